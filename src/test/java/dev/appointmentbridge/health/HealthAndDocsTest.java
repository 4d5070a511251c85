package dev.appointmentbridge.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database"));
    }

    @Test
    void metricsCountReceivedAndRejectedRequests() {
        given().contentType(ContentType.JSON).body("""
                {"event_type":"appointment.completed","appointment_id":"m1","patient_id":"p","timestamp":"2025-01-10T12:30:00Z"}
                """).post("/webhook/appointment").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{}").post("/webhook/appointment").then().statusCode(422);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("bridge_inbound_events_total{type=\"appointment.completed\"}"))
                .body(containsString("bridge_inbound_rejected_total{status=\"422\"}"));
    }

    /**
     * Issue 15: series that have seen nothing yet exist at zero, so dashboards and "no traffic" alerts have a
     * series to read (these appeared only after their first increment).
     */
    @Test
    void seriesExistBeforeTheirFirstEvent() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("bridge_inbound_rejected_total{status=\"503\"} 0.0"))
                .body(containsString("bridge_inbound_events_total{type=\"unmapped\"} 0.0"))
                .body(containsString("bridge_poll_cycles_total{result=\"failed\",source=\"eager\"}"))
                .body(containsString("bridge_poll_events_total{source=\"nohistory\",type=\"appointment.no_show\"}"))
                .body(containsString("bridge_poll_duration_seconds_count{source=\"secured\"}"));
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/webhook/appointment"));
        given().redirects().follow(true).get("/docs").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void unknownPathsAnswerInTheErrorShape() {
        given().get("/webhook/nothing-here").then().statusCode(404).body("status", equalTo("error"));
    }
}
