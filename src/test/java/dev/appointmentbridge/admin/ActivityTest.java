package dev.appointmentbridge.admin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** {@code GET /admin/activity}: the chart's data, every minute of the last hour, this minute's events counted. */
@QuarkusTest
class ActivityTest {

    @Test
    void theLastHourIsListedMinuteByMinuteWithThisMinutesEvents() {
        JsonPath before = given().get("/admin/activity").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> minutes = before.getList("minutes");
        assertEquals(60, minutes.size());
        assertEquals(60, java.time.Duration.between(Instant.parse(before.getString("from")),
                Instant.parse(before.getString("to"))).toMinutes());
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body("{\"event_type\":\"appointment.scheduled\",\"appointment_id\":"
                    + "\"act-" + i + "\",\"patient_id\":\"p\",\"timestamp\":\"2025-01-10T12:30:00Z\"}")
                    .post("/webhook/appointment").then().statusCode(201);
        }
        JsonPath after = given().get("/admin/activity").then().statusCode(200).extract().jsonPath();
        long now = after.getLong("minutes[59].events");
        long was = before.getString("to").equals(after.getString("to")) ? before.getLong("minutes[59].events") : 0;
        assertTrue(now - was >= 3, "this minute counts the 3 new events: " + was + " -> " + now);
    }
}
