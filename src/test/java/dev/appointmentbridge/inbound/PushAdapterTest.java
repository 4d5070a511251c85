package dev.appointmentbridge.inbound;

import dev.appointmentbridge.support.Management;
import static dev.appointmentbridge.support.EventLogApi.eventsOf;
import static dev.appointmentbridge.support.EventLogApi.types;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.poll.PollService;
import dev.appointmentbridge.support.FakeJsonApi;
import dev.appointmentbridge.support.FakeJsonResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Contract tests of the push adapters (issue 14) with the seeds' payload shapes: {@code POST /webhook/canvas}
 * (the Canvas appointment-sync plugin's payload, zone-less times) and {@code POST /webhook/clockwise}
 * (Clockwise.MD's {@code appointment_id} + {@code event_type}, the key in the URL or an Authtoken header).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeJsonResource.class, restrictToAnnotatedClass = true)
class PushAdapterTest {

    /** The plugin's own shape: no zone on any time. */
    private static final String CANVAS_CREATED = """
            {"event_type": "appointment_created",
             "appointment": {"id": "cv-appt-1", "provider_id": "dr-jones", "start_time": "2024-01-15T10:00:00",
                             "duration_minutes": 30, "end_time": "2024-01-15T10:30:00"},
             "patient": {"id": "cv-pat-1", "first_name": "John", "last_name": "Doe"},
             "timestamp": "2024-01-10T09:00:00"}""";

    private static final String CANVAS_RESCHEDULED = """
            {"event_type": "appointment_rescheduled",
             "appointment": {"id": "cv-appt-2", "provider_id": "dr-jones", "start_time": "2024-01-16T14:00:00",
                             "duration_minutes": 45, "end_time": "2024-01-16T14:45:00",
                             "original_appointment": {"id": "cv-appt-2", "provider_id": "dr-jones",
                                                      "start_time": "2024-01-15T10:00:00", "duration_minutes": 30,
                                                      "end_time": "2024-01-15T10:30:00"}},
             "patient": {"id": "cv-pat-2", "first_name": "Jane", "last_name": "Roe"},
             "timestamp": "2024-01-12T08:00:00"}""";

    @Inject
    PollService polls;

    @Inject
    DataSource dataSource;

    @Test
    void aCanvasPushIsStoredOnceWithItsTimesReadInTheConfiguredZone() throws Exception {
        int id = given().contentType(ContentType.JSON).body(CANVAS_CREATED).post("/webhook/canvas").then()
                .statusCode(201).body("data.event_type", equalTo("appointment.scheduled"))
                .body("data.appointment_id", equalTo("cv-appt-1")).extract().path("event_id");
        JsonPath event = eventsOf("cv-appt-1").get(0);
        assertEquals("canvas", event.getString("source"));
        assertEquals("2024-01-15T15:00:00Z", event.getString("payload.appointment.start"), "10:00 in New York");
        assertEquals("2024-01-10T14:00:00Z", event.getString("payload.occurred_at"));
        assertEquals("dr-jones", event.getString("payload.appointment.provider_id"));
        assertEquals("Doe", event.getString("payload.patient.last_name"));
        assertEquals(1, deliveries(id), "delivered onward like every other event");

        given().contentType(ContentType.JSON).body(CANVAS_CREATED).post("/webhook/canvas").then().statusCode(200)
                .body("event_id", equalTo(id));
        assertEquals(1, eventsOf("cv-appt-1").size(), "the same push again is the same event");
    }

    @Test
    void aCanvasRescheduleCarriesTheOriginalAppointment() {
        given().contentType(ContentType.JSON).body(CANVAS_RESCHEDULED).post("/webhook/canvas").then().statusCode(201);
        JsonPath event = eventsOf("cv-appt-2").get(0);
        assertEquals("appointment.rescheduled", event.getString("event_type"));
        assertEquals("2024-01-15T15:00:00Z", event.getString("payload.previous.start"));
        assertEquals("2024-01-16T19:00:00Z", event.getString("payload.appointment.start"));
        assertEquals(45, event.getInt("payload.appointment.duration_minutes"));
    }

    @Test
    void aMalformedCanvasPushIsA422ListingEveryBadField() {
        given().contentType(ContentType.JSON).body("""
                {"event_type": 7, "appointment": {"provider_id": "dr", "start_time": "Jan 15"},
                 "patient": {"id": ""}, "timestamp": "yesterday"}""").post("/webhook/canvas").then().statusCode(422)
                .body("status", equalTo("error"))
                .body("errors.loc", hasItems(List.of("body", "event_type"), List.of("body", "appointment", "id"),
                        List.of("body", "appointment", "start_time"), List.of("body", "patient", "id"),
                        List.of("body", "timestamp")));
    }

    /** Issue 24: a key sent twice is a 422 naming it in every push shape, never "the last one wins". */
    @Test
    void aKeySentTwiceIs422NamingItInEveryShape() {
        given().contentType(ContentType.JSON).body(CANVAS_CREATED.replace("cv-appt-1", "cv-dup-1")
                .replace("\"id\": \"cv-dup-1\",", "\"id\": \"cv-dup-1\", \"id\": \"cv-dup-2\","))
                .post("/webhook/canvas").then().statusCode(422)
                .body("errors[0].loc", equalTo(List.of("body", "appointment", "id")))
                .body("errors[0].type", equalTo("duplicate_key"));
        given().contentType(ContentType.JSON).header("Authtoken", "k-plain-91bc")
                .body("{\"appointment_id\": 9301, \"event_type\": \"create\", \"event_type\": \"remove\"}")
                .post("/webhook/clockwise").then().statusCode(422)
                .body("errors[0].loc", equalTo(List.of("body", "event_type")));
        assertEquals(List.of(), eventsOf("cv-dup-1"));
        assertEquals(List.of(), eventsOf("9301"));
    }

    /** Issue 24: a local time a clock change skips or repeats in the zone is refused, never shifted. */
    @Test
    void aCanvasTimeInADstGapOrOverlapIs422() {
        given().contentType(ContentType.JSON).body(CANVAS_CREATED.replace("cv-appt-1", "cv-dst-1")
                .replace("2024-01-15T10:00:00\"", "2025-03-09T02:30:00\"")).post("/webhook/canvas").then()
                .statusCode(422).body("errors[0].loc", equalTo(List.of("body", "appointment", "start_time")))
                .body("errors[0].type", equalTo("local_time_gap"));
        given().contentType(ContentType.JSON).body(CANVAS_CREATED.replace("cv-appt-1", "cv-dst-2")
                .replace("2024-01-15T10:00:00\"", "2025-11-02T01:30:00\"")).post("/webhook/canvas").then()
                .statusCode(422).body("errors[0].loc", equalTo(List.of("body", "appointment", "start_time")))
                .body("errors[0].type", equalTo("local_time_ambiguous"));
        given().contentType(ContentType.JSON).body(CANVAS_CREATED.replace("cv-appt-1", "cv-dst-3")
                .replace("2024-01-15T10:00:00\"", "2025-11-02T01:30:00-05:00\"")).post("/webhook/canvas").then()
                .statusCode(201);
    }

    @Test
    void anUnknownCanvasNameIsStoredAndListedButNotDelivered() throws Exception {
        int id = given().contentType(ContentType.JSON).body(CANVAS_CREATED.replace("appointment_created",
                "appointment_checked_in").replace("cv-appt-1", "cv-appt-3")).post("/webhook/canvas").then()
                .statusCode(201).extract().path("event_id");
        assertEquals(List.of("canvas.appointment_checked_in"), types(eventsOf("cv-appt-3")));
        assertEquals(0, deliveries(id));
    }

    @Test
    void aClockwisePushWithAWrongOrMissingKeyIs401() {
        String push = "{\"appointment_id\": 1, \"event_type\": \"create\"}";
        given().contentType(ContentType.JSON).body(push).post("/webhook/clockwise/not-a-key").then().statusCode(401)
                .body("errors[0].type", equalTo("unauthorized"));
        given().contentType(ContentType.JSON).body(push).post("/webhook/clockwise").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authtoken", "k-plain-91bc-and-more").body(push)
                .post("/webhook/clockwise").then().statusCode(401);
    }

    /**
     * Issue 24: a Clockwise key is a value ({@code .key}), so the entry's name is only a label and no secret need be
     * a property or environment variable name; the older form (the key as the name) still works, with one WARN at
     * start that says how to move and never names the key.
     */
    @Test
    void aClockwiseKeyIsAValueAndTheOlderFormWarnsWithoutNamingIt() {
        String push = "{\"appointment_id\": 4200, \"event_type\": \"create\"}";
        given().contentType(ContentType.JSON).header("Authtoken", "practice-push").body(push)
                .post("/webhook/clockwise").then().statusCode(401);
        given().contentType(ContentType.JSON).body(push).post("/webhook/clockwise/practice-push").then()
                .statusCode(401);
        List<String> warnings = dev.appointmentbridge.support.LogScan.lines().stream()
                .filter(l -> l.contains("WARN") && l.contains("configured as property names")).toList();
        assertTrue(!warnings.isEmpty(), "the older form is named at start");
        assertTrue(warnings.stream().allMatch(l -> l.contains("bridge.inbound.clockwise.<name>.key")
                && !l.contains("k-plain-91bc")), "says how to move, never the key: " + warnings);
    }

    @Test
    void anUnlinkedClockwisePushIsStoredWithItsMappedType() throws Exception {
        int id = given().contentType(ContentType.JSON).body("{\"appointment_id\": 9001, \"event_type\": \"create\"}")
                .post("/webhook/clockwise/k-plain-91bc").then().statusCode(201)
                .body("data.event_type", equalTo("appointment.scheduled")).extract().path("event_id");
        assertEquals("clockwise", eventsOf("9001").get(0).getString("source"));
        assertEquals(1, deliveries(id));
        int other = given().contentType(ContentType.JSON).header("Authtoken", "k-plain-91bc")
                .body("{\"appointment_id\": \"9002\", \"event_type\": \"check_in\"}").post("/webhook/clockwise")
                .then().statusCode(201).extract().path("event_id");
        assertEquals(List.of("clockwise.check_in"), types(eventsOf("9002")));
        assertEquals(0, deliveries(other), "a name the bridge does not map is listed, never delivered");
    }

    @Test
    void aMalformedClockwisePushIs422() {
        given().contentType(ContentType.JSON).body("{\"appointment_id\": {}, \"event_type\": \"Create Now\"}")
                .post("/webhook/clockwise/k-plain-91bc").then().statusCode(422)
                .body("errors.loc", hasItems(List.of("body", "appointment_id"), List.of("body", "event_type")));
        given().contentType(ContentType.JSON).body("[1,2]").post("/webhook/clockwise/k-plain-91bc").then()
                .statusCode(422);
    }

    @Test
    void aLinkedClockwisePushFetchesTheAppointmentAndTheNextPollAddsNothing() {
        FakeJsonApi api = FakeJsonResource.api;
        Instant start = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        api.put(4001, "confirmed", start.minusSeconds(7200), 30, "dr-9", "pat-4000");
        polls.poll("practice"); // baseline
        api.put(4002, "confirmed", start, 30, "dr-9", "pat-4002");

        long began = System.nanoTime();
        given().contentType(ContentType.JSON).header("Authtoken", "k-linked-7f3a")
                .body("{\"appointment_id\": 4002, \"event_type\": \"create\"}").post("/webhook/clockwise").then()
                .statusCode(200).body("status", equalTo("success")).body("events", equalTo(1));
        long ms = (System.nanoTime() - began) / 1_000_000;
        JsonPath event = eventsOf("4002").get(0);
        assertEquals("appointment.scheduled", event.getString("event_type"));
        assertEquals("practice", event.getString("source"), "a poll-shaped event from the linked source");
        assertEquals("dr-9", event.getString("payload.appointment.provider_id"), "full data, fetched");
        assertEquals("Ada", event.getString("payload.patient.first_name"));
        assertTrue(ms < 2000, "one full event within 2 s of the push: " + ms + " ms");

        api.update(4002, i -> new FakeJsonApi.Item(i.id(), "canceled", i.start(), i.end(), i.provider(),
                i.location(), i.patient(), null));
        given().contentType(ContentType.JSON).body("{\"appointment_id\": \"4002\", \"event_type\": \"remove\"}")
                .post("/webhook/clockwise/k-linked-7f3a").then().statusCode(200).body("events", equalTo(1));
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(eventsOf("4002")));

        assertEquals(0, polls.poll("practice").orElseThrow().eventCount(), "the next poll sees nothing new");
        assertEquals(2, eventsOf("4002").size());
    }

    /** Review of issue 14: a refused push put its Clockwise key into /q/metrics, which needs no key. */
    @Test
    void aClockwiseKeyNeverBecomesAMetricsLabel() {
        given().contentType(ContentType.TEXT).body("{}").post("/webhook/clockwise/k-plain-91bc").then().statusCode(415);
        given().contentType(ContentType.JSON).body("{}").post("/webhook/clockwise/an-invented-path-42").then()
                .statusCode(401);
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(!metrics.contains("k-plain-91bc") && !metrics.contains("an-invented-path-42"),
                "no key or invented path in a label");
    }

    /** Review of issue 14: pushes counted as poll cycles (and logged as polls). */
    @Test
    void aLinkedPushIsCountedAsAFetchNotAPollCycle() {
        FakeJsonResource.api.put(4100, "confirmed", Instant.now().plus(4, ChronoUnit.DAYS), 30, "dr-9", "pat-4100");
        double cycles = metric("bridge_poll_cycles_total{result=\"ok\",source=\"practice\"}");
        double fetches = metric("bridge_push_fetches_total{source=\"practice\"}");
        given().contentType(ContentType.JSON).header("Authtoken", "k-linked-7f3a")
                .body("{\"appointment_id\": 4100, \"event_type\": \"create\"}").post("/webhook/clockwise").then()
                .statusCode(200).body("status", equalTo("success"));
        assertEquals(cycles, metric("bridge_poll_cycles_total{result=\"ok\",source=\"practice\"}"));
        assertEquals(fetches + 1, metric("bridge_push_fetches_total{source=\"practice\"}"));
    }

    private static double metric(String series) {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }

    private long deliveries(int eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM delivery WHERE event_id = ?")) {
            s.setLong(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
