package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(ApiKeyAuthTest.WithApiKey.class)
class ApiKeyAuthTest {

    static final String KEY = "s3cret-inbound-key";

    public static class WithApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.inbound.api-key", KEY);
        }
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
        given().get("/q/health/ready").then().statusCode(200);
    }
}
