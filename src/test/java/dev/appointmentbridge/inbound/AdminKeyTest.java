package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** The admin API has its own key; the inbound key does not open it, nor the other way round. */
@QuarkusTest
@TestProfile(AdminKeyTest.BothKeys.class)
class AdminKeyTest {

    public static class BothKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.inbound.api-key", "inbound-key", "bridge.admin.api-key", "admin-key");
        }
    }

    @Test
    void adminNeedsTheAdminKey() {
        given().get("/admin/sources").then().statusCode(401);
        given().header("X-API-Key", "inbound-key").get("/admin/targets").then().statusCode(401);
        given().header("X-API-Key", "admin-key").get("/admin/sources").then().statusCode(200);
        given().header("Authorization", "Bearer admin-key").get("/admin/deliveries").then().statusCode(200);
    }

    @Test
    void theAdminKeyDoesNotOpenTheReceivingEndpoint() {
        given().contentType(ContentType.JSON).header("X-API-Key", "admin-key")
                .body(InboundEventResourceTest.body("appointment.scheduled", "adm-1", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(401);
        given().contentType(ContentType.JSON).header("X-API-Key", "inbound-key")
                .body(InboundEventResourceTest.body("appointment.scheduled", "adm-1", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(201);
    }

    @Test
    void theOperatorPageLoadsWithoutTheKeyButItsDataNeedsIt() {
        given().redirects().follow(false).get("/admin").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/admin/"));
        given().get("/admin/").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/html"))
                .body(org.hamcrest.Matchers.containsString("<table id=\"deliveries\">"));
        given().get("/admin/assets/admin.js").then().statusCode(200);
        given().get("/admin/events").then().statusCode(401);
        given().header("X-API-Key", "inbound-key").get("/admin/events").then().statusCode(401);
        given().header("X-API-Key", "admin-key").get("/admin/events").then().statusCode(200)
                .body("events", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void healthAndDocsStayOpen() {
        given().get("/").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
