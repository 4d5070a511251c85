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
