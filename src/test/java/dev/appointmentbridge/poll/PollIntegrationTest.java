package dev.appointmentbridge.poll;

import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.support.Management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.appointmentbridge.support.EventLogApi;
import dev.appointmentbridge.support.FakeFhirResource;
import dev.appointmentbridge.support.FakeFhirServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Poll cycles against fake FHIR servers on loopback, checked through the event log and source state. */
@QuarkusTest
@QuarkusTestResource(FakeFhirResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PollIntegrationTest {

    private static final Instant NINE = Instant.parse("2025-03-03T09:00:00Z");

    @Inject
    PollService polls;

    @Inject
    DataSource dataSource;

    private static FakeFhirServer clinic() {
        return FakeFhirResource.clinic;
    }

    private CycleResult poll(String source) {
        return polls.poll(source).orElseThrow(() -> new AssertionError("poll of " + source + " failed"));
    }

    @Test
    @Order(1)
    void firstSyncIsASilentBaseline() throws Exception {
        for (int i = 0; i < 7; i++) {
            clinic().put("base-" + i, "booked", NINE.plusSeconds(3600L * i), "dr-1", "pat-" + i);
        }
        CycleResult first = poll("clinic");
        assertTrue(first.baseline());
        // The second page is read by the server's next link to check its order (issue 24), then keyset paging goes
        // on from the first page's newest, re-reading each page's last record as the next page's first: 7 records,
        // 4 pages of 3.
        assertEquals(4, first.pages());
        assertEquals(12, first.records());
        assertEquals(0, first.eventCount());
        assertEquals(0, eventsOf("clinic").size());
        assertEquals(7, snapshotCount("clinic"));

        CycleResult again = poll("clinic");
        assertFalse(again.baseline());
        assertEquals(0, again.eventCount(), "re-reading the overlap emits nothing");
    }

    @Test
    @Order(2)
    void newAppointmentIsScheduledWithPatientName() throws Exception {
        clinic().patient("pat-new", "Zenobia", "Lovelace");
        clinic().put("apt-new", "booked", NINE, "dr-1", "pat-new");
        CycleResult r = poll("clinic");
        assertEquals(1, r.eventCount());
        JsonPath event = onlyEvent("apt-new");
        assertEquals("appointment.scheduled", event.getString("event_type"));
        assertEquals("clinic", event.getString("source"));
        assertEquals("Zenobia", event.getString("payload.patient.first_name"));
        assertEquals("Lovelace", event.getString("payload.patient.last_name"));
        assertEquals("dr-1", event.getString("payload.appointment.provider_id"));
        assertEquals(30, event.getInt("payload.appointment.duration_minutes"));
    }

    @Test
    @Order(3)
    void timeChangeIsARescheduleCarryingThePreviousValues() throws Exception {
        clinic().put("apt-move", "booked", NINE, "dr-1", "pat-m");
        poll("clinic");
        clinic().update("apt-move", a -> new FakeFhirServer.Appt(a.id(), a.status(), NINE.plusSeconds(5 * 3600),
                NINE.plusSeconds(5 * 3600 + 1800), a.practitioner(), a.location(), a.patient(), null, null));
        poll("clinic");
        List<JsonPath> events = EventLogApi.eventsOf("apt-move");
        assertEquals(List.of("appointment.rescheduled", "appointment.scheduled"), EventLogApi.types(events));
        JsonPath moved = events.get(0);
        assertEquals("2025-03-03T14:00:00Z", moved.getString("payload.appointment.start"));
        assertEquals("2025-03-03T09:00:00Z", moved.getString("payload.previous.start"));
    }

    @Test
    @Order(4)
    void practitionerChangeIsAReschedule() throws Exception {
        clinic().put("apt-dr", "booked", NINE, "dr-1", "pat-d");
        poll("clinic");
        clinic().update("apt-dr", a -> new FakeFhirServer.Appt(a.id(), a.status(), a.start(), a.end(), "dr-2",
                a.location(), a.patient(), null, null));
        poll("clinic");
        JsonPath moved = EventLogApi.eventsOf("apt-dr").get(0);
        assertEquals("appointment.rescheduled", moved.getString("event_type"));
        assertEquals("dr-2", moved.getString("payload.appointment.provider_id"));
        assertEquals("dr-1", moved.getString("payload.previous.provider_id"));
    }

    @Test
    @Order(5)
    void statusChangesMapToCancelledNoShowCompleted() throws Exception {
        String[][] cases = { { "apt-c", "cancelled", "appointment.cancelled" },
                { "apt-e", "entered-in-error", "appointment.cancelled" },
                { "apt-n", "noshow", "appointment.no_show" },
                { "apt-f", "fulfilled", "appointment.completed" } };
        for (String[] c : cases) {
            clinic().put(c[0], "booked", NINE, "dr-1", "pat-s");
        }
        poll("clinic");
        for (String[] c : cases) {
            clinic().update(c[0], a -> a.withStatus(c[1]));
        }
        poll("clinic");
        poll("clinic"); // a repeated poll changes nothing
        for (String[] c : cases) {
            assertEquals(List.of(c[2], "appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf(c[0])), c[0]);
        }
    }

    @Test
    @Order(6)
    void aNewAppointmentReplacingAnotherIsItsRescheduleNotACancellation() throws Exception {
        clinic().put("apt-old", "booked", NINE, "dr-1", "pat-r");
        poll("clinic");
        clinic().update("apt-old", a -> a.withStatus("cancelled"));
        clinic().put("apt-rebooked", "booked", NINE.plusSeconds(86400), 30, "dr-1", "loc-1", "pat-r", "apt-old");
        poll("clinic");
        assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("apt-old")));
        JsonPath rebooked = onlyEvent("apt-rebooked");
        assertEquals("appointment.rescheduled", rebooked.getString("event_type"));
        assertEquals("apt-old", rebooked.getString("payload.previous.id"));
        assertEquals("2025-03-03T09:00:00Z", rebooked.getString("payload.previous.start"));
    }

    @Test
    @Order(7)
    void aFailedSecondPageKeepsTheFirstAndTheNextCycleEmitsEachEventOnce() throws Exception {
        for (int i = 0; i < 7; i++) {
            clinic().put("apt-p" + i, "booked", NINE, "dr-1", "pat-p");
        }
        clinic().failPage(2, 500);
        try {
            assertTrue(polls.poll("clinic").isEmpty(), "the cycle fails");
        } finally {
            clinic().failPage(0, 0);
        }
        // Page 1 (commit per page) is kept with its events; nothing of page 2 on is.
        int announced = 0;
        for (int i = 0; i < 7; i++) {
            announced += EventLogApi.eventsOf("apt-p" + i).size();
        }
        assertTrue(announced <= 3, "at most page 1's three records announced, was " + announced);
        given().get("/admin/sources").then().statusCode(200)
                .body("find { it.name == 'clinic' }.last_result", equalTo("failed"))
                .body("find { it.name == 'clinic' }.last_error", equalTo("GET /fhir/Appointment answered HTTP 500"));
        Management.given().get("/q/health/group/sources").then().statusCode(503)
                .body("checks[0].data.clinic", equalTo("failed: GET /fhir/Appointment answered HTTP 500"));
        Management.given().get("/q/health/ready").then().statusCode(200); // an upstream outage is not the bridge's
        Management.given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("bridge_poll_failures_total{source=\"clinic\",status=\"500\"}"));

        CycleResult recovered = poll("clinic");
        assertEquals(7 - announced, recovered.eventCount());
        Management.given().get("/q/health/group/sources").then()
                .body("checks[0].data.clinic", org.hamcrest.Matchers.startsWith("ok at "));
        poll("clinic");
        for (int i = 0; i < 7; i++) {
            assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("apt-p" + i)));
        }
    }

    @Test
    @Order(8)
    void malformedJsonFailsTheCycleWithoutEvents() throws Exception {
        clinic().put("apt-bad", "cancelled", NINE, "dr-1", "pat-b");
        clinic().malformed(true);
        try {
            assertTrue(polls.poll("clinic").isEmpty());
        } finally {
            clinic().malformed(false);
        }
        given().get("/admin/sources").then()
                .body("find { it.name == 'clinic' }.last_error", equalTo("malformed page: body is not valid JSON"));
        poll("clinic");
        assertEquals(0, EventLogApi.eventsOf("apt-bad").size(), "first seen already cancelled: nothing to announce");
    }

    @Test
    @Order(9)
    void staleVersionsFromOutOfOrderPagesAreIgnored() throws Exception {
        FakeFhirServer.Appt booked = clinic().put("apt-ooo", "booked", NINE, "dr-1", "pat-o");
        poll("clinic");
        clinic().update("apt-ooo", a -> a.withStatus("cancelled"));
        poll("clinic");
        // The server now hands back the older, booked version with its old lastUpdated.
        clinic().putRaw(booked);
        clinic().put("apt-ooo-tick", "booked", NINE, "dr-1", "pat-o"); // moves the server clock on
        poll("clinic");
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("apt-ooo")));
    }

    @Test
    @Order(10)
    void absoluteNextLinksAreFollowed() throws Exception {
        clinic().absoluteNextLinks(true);
        try {
            for (int i = 0; i < 5; i++) {
                clinic().put("apt-abs" + i, "booked", NINE, "dr-1", "pat-a");
            }
            CycleResult r = poll("clinic");
            assertTrue(r.pages() >= 2);
            assertEquals(5, r.eventCount());
        } finally {
            clinic().absoluteNextLinks(false);
        }
    }

    @Test
    @Order(11)
    void aSlowUpstreamTimesOutWithoutEvents() throws Exception {
        clinic().put("apt-slow", "booked", NINE, "dr-1", "pat-t");
        clinic().delay(3000);
        try {
            assertTrue(polls.poll("clinic").isEmpty());
        } finally {
            clinic().delay(0);
        }
        assertEquals(0, EventLogApi.eventsOf("apt-slow").size());
        given().get("/admin/sources").then()
                .body("find { it.name == 'clinic' }.last_error", equalTo("GET /fhir/Appointment timed out"));
        poll("clinic");
        assertEquals(1, EventLogApi.eventsOf("apt-slow").size());
    }

    @Test
    @Order(12)
    void garbageTruncatedOrEmptyPagesNeverProduceFalseEvents() throws Exception {
        for (int i = 0; i < 4; i++) {
            clinic().put("apt-g" + i, "booked", NINE, "dr-1", "pat-g");
        }
        poll("clinic");
        clinic().update("apt-g0", a -> a.withStatus("cancelled"));
        clinic().put("apt-h0", "booked", NINE, "dr-1", "pat-g");
        String[][] garbage = {
                { "<html><body>502 Bad Gateway</body></html>", "1" },
                { "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\"}]}", "1" },
                { "[]", "1" },
                { "", "1" },
                { "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Appointment\",\"id\":\"apt-g1\",\"sta",
                        "1" },
                { "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Appointment\",\"status\":\"booked\"}}]}",
                        "1" } };
        for (String[] g : garbage) {
            clinic().garbage(g[0], Integer.parseInt(g[1]));
            try {
                assertTrue(polls.poll("clinic").isEmpty(), "a cycle over " + g[0] + " fails");
            } finally {
                clinic().garbage(null, 1);
            }
        }
        // A valid but empty page (an upstream that lost its data) is a cycle with nothing in it, not a
        // cancellation of every appointment it no longer lists.
        clinic().garbage("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[]}", 1);
        try {
            assertEquals(0, poll("clinic").eventCount());
        } finally {
            clinic().garbage(null, 1);
        }
        for (String id : List.of("apt-g0", "apt-g1", "apt-g2", "apt-g3", "apt-h0")) {
            List<String> expectedBefore = id.equals("apt-h0") ? List.of() : List.of("appointment.scheduled");
            assertEquals(expectedBefore, EventLogApi.types(EventLogApi.eventsOf(id)), "no event for " + id + " from bad pages");
        }
        poll("clinic");
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("apt-g0")));
        assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("apt-g1")));
        assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("apt-h0")));
    }

    @Test
    void emitOnFirstSyncAnnouncesExistingAppointments() throws Exception {
        FakeFhirResource.eager.put("eager-1", "booked", NINE, "dr-9", "pat-e");
        FakeFhirResource.eager.put("eager-2", "pending", NINE, "dr-9", "pat-e");
        CycleResult r = poll("eager");
        assertFalse(r.baseline());
        assertEquals(2, r.eventCount());
        assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("eager-1")));
    }

    @Test
    void oauth2TokenIsCachedAndRefreshedOnA401() throws Exception {
        FakeFhirServer secured = FakeFhirResource.secured;
        secured.put("sec-1", "booked", NINE, "dr-s", "pat-s");
        poll("secured");
        poll("secured");
        assertEquals(1, secured.tokensIssued(), "token reused while valid");
        secured.revokeTokens();
        secured.put("sec-2", "booked", NINE, "dr-s", "pat-s");
        CycleResult r = poll("secured");
        assertEquals(2, secured.tokensIssued(), "a 401 fetched a fresh token");
        assertEquals(1, r.eventCount(), "sec-2 announced; sec-1 was the silent baseline");
        given().get("/admin/sources").then()
                .body("find { it.name == 'secured' }.auth", equalTo("oauth2"))
                .body("find { it.name == 'secured' }.last_result", equalTo("ok"));
    }

    @Test
    void smartBackendServicesPollsWithASignedAssertionThatPassesAStrictChecker() throws Exception {
        for (String name : List.of("smartrsa", "smartec")) {
            FakeFhirServer server = name.equals("smartrsa") ? FakeFhirResource.smartRsa : FakeFhirResource.smartEc;
            dev.appointmentbridge.support.SmartTokenChecker checker = name.equals("smartrsa")
                    ? FakeFhirResource.smartRsaChecker : FakeFhirResource.smartEcChecker;
            server.put(name + "-1", "booked", NINE, "dr-s", "pat-s");
            poll(name);
            server.revokeTokens(); // the next token request makes a new assertion
            server.put(name + "-2", "booked", NINE, "dr-s", "pat-s");
            CycleResult r = poll(name);
            assertEquals(1, r.eventCount(), name + ": polled with the token its assertion earned");
            assertEquals(List.of(), checker.refusals(), name + ": every assertion passed the checker");
            assertEquals(2, checker.accepted().size(), name + ": a new assertion (jti) per token request");
            given().get("/admin/sources").then()
                    .body("find { it.name == '" + name + "' }.auth", equalTo("smart-backend-services"));
        }
        // the checker is not a formality: an assertion signed with a key other than the registered one is refused
        FakeFhirResource.smartWrongKey.put("wrong-1", "booked", NINE, "dr-s", "pat-s");
        try {
            poll("smartwrong");
        } catch (AssertionError | RuntimeException expected) {
            // a failed cycle; the refusal below is what counts
        }
        assertEquals(List.of("the signature does not verify with the registered key"),
                FakeFhirResource.smartWrongKeyChecker.refusals().stream().distinct().toList());
        assertEquals(0, FakeFhirResource.smartWrongKey.tokensIssued());
    }

    @Test
    void adminSourcesNeverShowSecrets() {
        String body = given().get("/admin/sources").then().statusCode(200).extract().asString();
        assertFalse(body.contains("static-token"));
        assertFalse(body.contains("s3cret"));
    }

    @Test
    @Order(Integer.MAX_VALUE) // after every other test of this class, the unordered ones included
    void patientNamesAndSourceSecretsNeverReachTheLog() throws Exception {
        dev.appointmentbridge.support.LogScan.assertNeverLogged("Zenobia", "Lovelace", "static-token", "s3cret", "tok-1");
    }

    // --- helpers -------------------------------------------------------------------------------

    private JsonPath onlyEvent(String appointmentId) {
        List<JsonPath> events = EventLogApi.eventsOf(appointmentId);
        assertEquals(1, events.size(), "events of " + appointmentId);
        return events.get(0);
    }

    private List<Long> eventsOf(String source) throws Exception {
        return query("SELECT id FROM event WHERE source = ?", source);
    }

    private long snapshotCount(String source) throws Exception {
        return query("SELECT count(*) FROM appointment_snapshot WHERE source = ?", source).get(0);
    }

    private String sourceCursor(String source) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT cursor_at::text FROM source_state WHERE name = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private List<Long> query(String sql, String param) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }
}
