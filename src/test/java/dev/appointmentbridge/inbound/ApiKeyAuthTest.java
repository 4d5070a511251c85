package dev.appointmentbridge.inbound;

import dev.appointmentbridge.support.Management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.TestReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(ApiKeyAuthTest.WithApiKey.class)
class ApiKeyAuthTest {

    static final String KEY = "s3cret-inbound-key";

    static TestReceiver receiver;

    /** The prod default (pushes need a key) with the key set, and one target to see what reaches it. */
    public static class WithApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.inbound.api-key", KEY, "bridge.inbound.require-api-key", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Target.class));
        }
    }

    public static class Target implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                receiver = new TestReceiver();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("bridge.targets.portal.url", receiver.url("/portal"));
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }

    /** Issue 24: only the keyed push reaches the target; the one without a key is neither stored nor sent. */
    @Test
    void onlyAKeyedPushReachesTheTarget() throws InterruptedException {
        given().contentType(ContentType.JSON)
                .body(InboundEventResourceTest.body("appointment.cancelled", "forged-1", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(401);
        given().contentType(ContentType.JSON).header("X-API-Key", KEY)
                .body(InboundEventResourceTest.body("appointment.cancelled", "keyed-1", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(201);
        assertEquals(1, receiver.await("/portal", "keyed-1", 1, TestReceiver.seconds(30)).size());
        assertEquals(List.of(), receiver.receivedFor("/portal", "forged-1"));
        given().header("X-API-Key", KEY).queryParam("appointment_id", "forged-1").get("/webhook/events").then()
                .statusCode(200).body("count", equalTo(0));
    }

    private static final String VALID = InboundEventResourceTest.body("appointment.scheduled", "auth-apt", "p",
            "2025-01-10T12:30:00Z");

    @Test
    void withoutAKeyTheRequestIsRefusedAndNothingStored() {
        given().contentType(ContentType.JSON).body(VALID).post("/webhook/appointment").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo("error"))
                .body("message", equalTo("Missing or invalid API key"));
        given().header("X-API-Key", KEY).queryParam("appointment_id", "auth-apt").get("/webhook/events").then()
                .statusCode(200).body("count", equalTo(0));
    }

    @Test
    void aWrongKeyIsRefused() {
        given().contentType(ContentType.JSON).header("X-API-Key", KEY + "x").body(VALID)
                .post("/webhook/appointment").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wrong").body(VALID)
                .post("/webhook/appointment").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Basic " + KEY).body(VALID)
                .post("/webhook/appointment").then().statusCode(401);
    }

    @Test
    void xApiKeyOrBearerIsAccepted() {
        given().contentType(ContentType.JSON).header("X-API-Key", KEY)
                .body(InboundEventResourceTest.body("appointment.scheduled", "auth-x", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(201);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + KEY)
                .body(InboundEventResourceTest.body("appointment.scheduled", "auth-b", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(201);
    }

    @Test
    void healthStaysOpen() {
        given().get("/").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200);
    }
}
