package dev.appointmentbridge.inbound;

import dev.appointmentbridge.support.Management;
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
        given().header("X-API-Key", "inbound-key").get("/admin/targets").then().statusCode(403)
                .body("errors[0].msg", org.hamcrest.Matchers.containsString("bridge.admin.api-key"));
        given().header("X-API-Key", "admin-key").get("/admin/sources").then().statusCode(200);
        given().header("Authorization", "Bearer admin-key").get("/admin/deliveries").then().statusCode(200);
    }

    @Test
    void theAdminKeyDoesNotOpenTheReceivingEndpoint() {
        given().contentType(ContentType.JSON).header("X-API-Key", "admin-key")
                .body(InboundEventResourceTest.body("appointment.scheduled", "adm-1", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(403)
                .body("errors[0].msg", org.hamcrest.Matchers.containsString("bridge.inbound.api-key"));
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
        given().get("/webhook/events").then().statusCode(401);
        given().header("X-API-Key", "inbound-key").get("/webhook/events").then().statusCode(403);
        given().header("X-API-Key", "admin-key").get("/webhook/events").then().statusCode(200)
                .body("events", org.hamcrest.Matchers.notNullValue());
    }

    /** Issue 12: reading the event log is reading patient data, so it takes the admin key, not the inbound one. */
    @Test
    void theEventLogNeedsTheAdminKey() {
        given().get("/webhook/events").then().statusCode(401);
        given().header("X-API-Key", "inbound-key").get("/webhook/events").then().statusCode(403);
        given().header("Authorization", "Bearer admin-key").get("/webhook/events").then().statusCode(200);
    }

    /** Issue 12: a cross-site form or fetch cannot trigger an admin mutation, even if it somehow had the key. */
    @Test
    void anAdminMutationFromAnotherSiteIs403() {
        for (String origin : new String[] { "https://evil.example", "null", "http://localhost:1", "not a url" }) {
            given().header("X-API-Key", "admin-key").header("Origin", origin).post("/admin/deliveries/1/retry")
                    .then().statusCode(403).body("errors[0].type", org.hamcrest.Matchers.equalTo("forbidden_origin"));
            given().header("X-API-Key", "admin-key").header("Origin", origin)
                    .contentType("application/x-www-form-urlencoded").body("x=1")
                    .post("/admin/targets/none/replay").then().statusCode(403);
        }
        // the same request from the service's own origin (the admin page) goes through to the resource
        String self = "http://localhost:" + io.restassured.RestAssured.port;
        given().header("X-API-Key", "admin-key").header("Origin", self).post("/admin/deliveries/999999999/retry")
                .then().statusCode(404);
        // the key in a cookie is no key
        given().cookie("X-API-Key", "admin-key").post("/admin/deliveries/999999999/retry").then().statusCode(401);
    }

    @Test
    void healthAndDocsStayOpen() {
        given().get("/").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200);
    }
}
