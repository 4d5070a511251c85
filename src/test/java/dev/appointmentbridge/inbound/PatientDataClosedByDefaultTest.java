package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.LogScan;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Issue 12, keys by default: with the prod defaults ({@code bridge.admin.require-api-key=true},
 * {@code bridge.inbound.require-api-key=true}) and no key configured, nothing that returns patient data is served,
 * no push is accepted (issue 24: anyone reaching the port could otherwise have signed cancellations delivered),
 * and the start says why.
 */
@QuarkusTest
@TestProfile(PatientDataClosedByDefaultTest.ProdDefaults.class)
class PatientDataClosedByDefaultTest {

    public static class ProdDefaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.admin.require-api-key", "true", "bridge.inbound.require-api-key", "true");
        }
    }

    @Test
    void noPatientDataWithoutTheAdminKey() {
        for (String path : new String[] { "/webhook/events", "/webhook/events?appointment_id=closed-1",
                "/admin/deliveries", "/admin/targets", "/admin/sources", "/admin/quarantine", "/admin/replicas" }) {
            given().get(path).then().statusCode(401).body("status", equalTo("error"))
                    .body("errors[0].msg", containsString("bridge.admin.api-key"))
                    .body(org.hamcrest.Matchers.not(containsString("closed-1")));
        }
    }

    /** Issue 24: every push shape is refused naming the setting; Clockwise keeps its own key. */
    @Test
    void noPushWithoutTheInboundKey() {
        post("closed-1").statusCode(401).body("errors[0].msg", containsString("bridge.inbound.api-key"))
                .header("WWW-Authenticate", "Bearer");
        given().contentType(ContentType.JSON).body("{}").post("/webhook/canvas").then().statusCode(401)
                .body("errors[0].msg", containsString("bridge.inbound.api-key"));
        given().contentType(ContentType.JSON).body("{\"appointment_id\": 1, \"event_type\": \"remove\"}")
                .post("/webhook/clockwise").then().statusCode(401);
        long warnings = LogScan.lines().stream()
                .filter(l -> l.contains("WARN") && l.contains("bridge.inbound.api-key is not set")).count();
        assertEquals(true, warnings >= 1, "a WARN at start names the setting");
    }

    @Test
    void aCrossSitePostToAnAdminMutationIsRefused() {
        given().header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .body("since=2020-01-01T00:00:00Z").post("/admin/targets/any/replay").then().statusCode(401);
        given().post("/admin/deliveries/1/retry").then().statusCode(401);
    }

    @Test
    void theStartLogSaysOnceWhy() {
        long warnings = LogScan.lines().stream()
                .filter(l -> l.contains("WARN") && l.contains("bridge.admin.api-key is not set")).count();
        assertEquals(true, warnings >= 1, "a WARN at start names the setting");
    }

    private static io.restassured.response.ValidatableResponse post(String id) {
        return given().contentType(ContentType.JSON)
                .body(InboundEventResourceTest.body("appointment.scheduled", id, "p-1", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then();
    }
}
