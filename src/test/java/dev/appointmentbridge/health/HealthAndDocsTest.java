package dev.appointmentbridge.health;

import dev.appointmentbridge.support.Management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class HealthAndDocsTest {

    @Test
    void rootIsAHealthSummary() {
        given().get("/").then().statusCode(200).body("status", equalTo("ok")).body("database", equalTo("up"));
    }

    @Test
    void liveAndReadyChecksPass() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database"));
    }

    @Test
    void metricsCountReceivedAndRejectedRequests() {
        given().contentType(ContentType.JSON).body("""
                {"event_type":"appointment.completed","appointment_id":"m1","patient_id":"p","timestamp":"2025-01-10T12:30:00Z"}
                """).post("/webhook/appointment").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{}").post("/webhook/appointment").then().statusCode(422);
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("bridge_inbound_events_total{type=\"appointment.completed\"}"))
                .body(containsString("bridge_inbound_rejected_total{status=\"422\"}"));
    }

    /**
     * Issue 15: series that have seen nothing yet exist at zero, so dashboards and "no traffic" alerts have a
     * series to read (these appeared only after their first increment).
     */
    @Test
    void seriesExistBeforeTheirFirstEvent() {
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("bridge_inbound_rejected_total{status=\"503\"} 0.0"))
                .body(containsString("bridge_inbound_events_total{type=\"unmapped\"} 0.0"))
                .body(containsString("bridge_poll_cycles_total{result=\"failed\",source=\"eager\"}"))
                .body(containsString("bridge_poll_events_total{source=\"nohistory\",type=\"appointment.no_show\"}"))
                .body(containsString("bridge_poll_duration_seconds_count{source=\"secured\"}"));
    }

    /** Issue 15: /docs showed the receiving endpoint with a binary body and none of its answers. */
    @Test
    void theOpenApiDocumentShowsWhatToSendAndEveryAnswer() {
        io.restassured.path.json.JsonPath api = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        String post = "paths.'/webhook/appointment'.post.";
        org.junit.jupiter.api.Assertions.assertEquals(List.of("appointment.scheduled", "appointment.cancelled",
                "appointment.rescheduled", "appointment.completed", "appointment.no_show"),
                api.getList(post + "requestBody.content.'application/json'.schema.properties.event_type.enum"));
        org.junit.jupiter.api.Assertions.assertEquals("apt-1",
                api.getString(post + "requestBody.content.'application/json'.example.appointment_id"));
        java.util.Map<String, Object> responses = api.getMap(post + "responses");
        org.junit.jupiter.api.Assertions.assertTrue(responses.keySet().containsAll(
                List.of("200", "201", "400", "401", "409", "413", "415", "422", "503")), responses.keySet().toString());
        for (String path : List.of("/webhook/appointment", "/webhook/canvas", "/webhook/clockwise",
                "/webhook/clockwise/{key}")) {
            java.util.Map<String, Object> answers = api.getMap("paths.'" + path + "'.post.responses");
            for (String status : answers.keySet()) {
                org.junit.jupiter.api.Assertions.assertNotNull(api.get("paths.'" + path + "'.post.responses.'" + status
                        + "'.content.'application/json'.example"), path + " " + status + " has an example body");
            }
            org.junit.jupiter.api.Assertions.assertNotNull(api.get("paths.'" + path
                    + "'.post.requestBody.content.'application/json'.example"), path + " has a request example");
        }
        // The operator API's refusals (the new-user review of issue 15 found only 200s there).
        for (String[] expected : new String[][] { { "'/admin/deliveries/{id}/retry'.post", "401", "403", "404" },
                { "'/webhook/events'.get", "401", "422" }, { "'/admin/sources/{name}/poll'.post", "404", "502" },
                { "'/'.get", "503" } }) {
            for (int i = 1; i < expected.length; i++) {
                org.junit.jupiter.api.Assertions.assertNotNull(api.get("paths." + expected[0] + ".responses.'"
                        + expected[i] + "'.content.'application/json'.example"), expected[0] + " " + expected[i]);
            }
        }
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/webhook/appointment"));
        given().redirects().follow(true).get("/docs").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void unknownPathsAnswerInTheErrorShape() {
        // a path no rule names is refused before routing; a path under a named one is looked up
        given().get("/webhook/nothing-here").then().statusCode(401).body("status", equalTo("error"));
        given().get("/admin/nothing-here").then().statusCode(404).body("status", equalTo("error"));
    }
}
