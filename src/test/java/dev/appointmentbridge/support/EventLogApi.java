package dev.appointmentbridge.support;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;

import io.restassured.path.json.JsonPath;

/** The event log as tests read it, through {@code GET /webhook/events}: newest first. */
public final class EventLogApi {

    private EventLogApi() {
    }

    /** Every event of one appointment, newest first, each rooted at its entry. */
    public static List<JsonPath> eventsOf(String appointmentId) {
        JsonPath page = given().queryParam("appointment_id", appointmentId).get("/webhook/events").then()
                .statusCode(200).extract().jsonPath();
        List<JsonPath> events = new ArrayList<>();
        for (int i = 0; i < page.getInt("count"); i++) {
            events.add(new JsonPath(page.prettify()).setRootPath("events[" + i + "]"));
        }
        return events;
    }

    /** Their {@code event_type}s, in the same order. */
    public static List<String> types(List<JsonPath> events) {
        return events.stream().map(e -> e.getString("event_type")).toList();
    }
}
