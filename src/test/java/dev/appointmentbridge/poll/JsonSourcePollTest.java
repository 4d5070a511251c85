package dev.appointmentbridge.poll;

import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.support.Management;
import static dev.appointmentbridge.support.EventLogApi.eventsOf;
import static dev.appointmentbridge.support.EventLogApi.types;
import static dev.appointmentbridge.support.SourcesApi.source;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.appointmentbridge.support.FakeJsonApi;
import dev.appointmentbridge.support.SourcesApi;
import dev.appointmentbridge.support.FakeJsonResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Generic JSON REST sources (issue 14) end to end against a Clockwise-like fake: a changed-since source paged by
 * a page parameter and window sources paged by a cursor token, with the same diff rules, events and event log
 * as FHIR sources. The window tests inject failed and cut-short scans: they must never cancel anything.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeJsonResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JsonSourcePollTest {

    private static final Instant SOON = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

    @Inject
    PollService polls;

    @Inject
    PollCycle cycle;

    private static FakeJsonApi api() {
        return FakeJsonResource.api;
    }

    private CycleResult poll(String source) {
        return SourcesApi.poll(polls, source);
    }

    private static List<String> typesOf(long id) {
        return types(eventsOf(Long.toString(id)));
    }

    @Test
    @Order(1)
    void aChangedSinceSourceDrivesEveryEventType() {
        for (long id = 101; id <= 105; id++) {
            api().put(id, "scheduled", SOON.plusSeconds(3600 * id), 30, "dr-1", "pat-" + id);
        }
        CycleResult baseline = poll("practice");
        assertTrue(baseline.baseline(), "the first sync stores a baseline");
        assertEquals(0, baseline.eventCount());
        assertEquals(5, baseline.records());

        api().put(106, "confirmed", SOON, 45, "dr-2", "pat-106");
        api().update(101, i -> new FakeJsonApi.Item(i.id(), i.state(), i.start().plusSeconds(1800),
                i.end().plusSeconds(1800), i.provider(), i.location(), i.patient(), null));
        api().update(102, i -> withState(i, "canceled"));
        api().update(103, i -> withState(i, "no_show"));
        api().update(104, i -> withState(i, "done"));
        api().update(105, i -> withState(i, "checked_in")); // booked → arrived: both active, nothing to announce
        CycleResult cycle = poll("practice");
        assertEquals(5, cycle.eventCount(), String.valueOf(cycle.events()));
        assertEquals(List.of("appointment.scheduled"), typesOf(106));
        assertEquals(List.of("appointment.rescheduled"), typesOf(101));
        assertEquals(List.of("appointment.cancelled"), typesOf(102));
        assertEquals(List.of("appointment.no_show"), typesOf(103));
        assertEquals(List.of("appointment.completed"), typesOf(104));
        assertEquals(List.of(), typesOf(105));

        JsonPath scheduled = eventsOf("106").get(0);
        assertEquals("practice", scheduled.getString("source"));
        assertEquals("dr-2", scheduled.getString("payload.appointment.provider_id"));
        assertEquals(SOON.toString(), Instant.parse(scheduled.getString("payload.appointment.start")).toString());
        assertEquals(45, scheduled.getInt("payload.appointment.duration_minutes"));
        JsonPath moved = eventsOf("101").get(0);
        assertEquals(Instant.parse(moved.getString("payload.previous.start")).plusSeconds(1800),
                Instant.parse(moved.getString("payload.appointment.start")));

        assertEquals(0, poll("practice").eventCount(), "the cursor's overlap re-reads the boundary, no repeats");
    }

    @Test
    @Order(2)
    void aStatusWordNotInTheMapIsQuarantinedNotGuessed() {
        api().put(107, "tentative", SOON, 30, "dr-1", "pat-107");
        CycleResult cycle = poll("practice");
        assertEquals(1, cycle.quarantined());
        assertEquals(0, cycle.eventCount());
        String reason = given().get("/admin/quarantine").then().statusCode(200).extract()
                .path("find { it.appointment_id == '107' }.reason");
        assertEquals("status 'tentative' is not in bridge.sources.practice.status-map", reason);
        api().update(107, i -> withState(i, "scheduled"));
        poll("practice");
        assertEquals(List.of("appointment.scheduled"), typesOf(107), "re-read once it changes, then diffed");
    }

    @Test
    @Order(3)
    void aWindowSourceSeesCreatesReschedulesAndRemovals() {
        for (long id = 201; id <= 207; id++) {
            api().put(id, "scheduled", SOON.plusSeconds(60 * id), 30, "dr-1", "pat-" + id);
        }
        assertTrue(poll("schedule").baseline());
        api().put(208, "scheduled", SOON.plusSeconds(60 * 208), 30, "dr-1", "pat-208");
        api().update(201, i -> new FakeJsonApi.Item(i.id(), i.state(), i.start().plusSeconds(600),
                i.end().plusSeconds(600), i.provider(), i.location(), i.patient(), null));
        api().update(202, i -> withState(i, "no_show"));
        api().remove(203);
        CycleResult cycle = poll("schedule");
        assertEquals(List.of("appointment.scheduled"), typesOf(208));
        assertEquals(List.of("appointment.rescheduled"), typesOf(201));
        assertEquals(List.of("appointment.no_show"), typesOf(202));
        assertEquals(List.of("appointment.cancelled"), typesOf(203));
        assertEquals("removed", eventsOf("203").get(0).getString("payload.reason"));
        assertEquals(1, cycle.deletes());
        assertTrue(source("schedule").getString("window").contains("1 known ones absent, 1 cancelled as removed"),
                source("schedule").getString("window"));
        assertEquals(0, poll("schedule").eventCount(), "a scan of an unchanged window adds nothing");
    }

    @Test
    @Order(4)
    void aScanThatFailsOnItsThirdPageConcludesNothing() {
        api().remove(204);
        api().failPage(3, 503);
        assertTrue(polls.poll("schedule").isEmpty(), "the cycle fails on page 3");
        assertEquals(List.of(), typesOf(204), "absent from a partial scan is not cancelled");
        assertTrue(source("schedule").getString("window").startsWith("scan stopped at page 3"),
                source("schedule").getString("window"));
        api().failPage(0, 0);
        poll("schedule");
        assertEquals(List.of("appointment.cancelled"), typesOf(204), "the next complete scan concludes it");
    }

    @Test
    @Order(5)
    void aScanCutShortWithoutAnErrorConcludesNothing() {
        api().remove(205);
        api().cutScansAt(2); // the API answers 2 of 6 and says that is all
        CycleResult cut = poll("schedule");
        assertEquals(0, cut.eventCount());
        assertEquals(List.of(), typesOf(205));
        assertEquals(List.of(), typesOf(206), "the 4 not listed are not cancelled");
        assertTrue(source("schedule").getString("window").contains("fewer than window.min-ratio"),
                source("schedule").getString("window"));
        api().cutScansAt(Integer.MAX_VALUE);
        poll("schedule");
        assertEquals(List.of("appointment.cancelled"), typesOf(205));
        assertEquals(List.of(), typesOf(206));
    }

    @Test
    @Order(6)
    void anAppointmentMovedOutOfTheWindowIsRescheduledNotCancelled() {
        api().update(206, i -> new FakeJsonApi.Item(i.id(), i.state(), i.start().plus(90, ChronoUnit.DAYS),
                i.end().plus(90, ChronoUnit.DAYS), i.provider(), i.location(), i.patient(), null));
        CycleResult cycle = poll("schedule");
        assertEquals(List.of("appointment.rescheduled"), typesOf(206), "its read by id found it, moved");
        assertEquals(0, cycle.deletes());
        assertTrue(api().requests().stream().anyMatch(r -> r.equals("/api/appointments/206")), "read by id");
    }

    @Test
    @Order(7)
    void anAppointmentLeavingTheWindowByTimeIsNotCancelled() throws Exception {
        // roster looks 3 s back and cannot read by id: after 4 s this appointment is behind the window.
        Instant soonPast = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        api().put(301, "scheduled", soonPast, 1, "dr-1", "pat-301");
        poll("roster");
        Thread.sleep(Duration.ofSeconds(4).toMillis());
        CycleResult cycle = poll("roster");
        assertEquals(0, cycle.deletes(), "left the window by time: dropped from tracking, never cancelled");
        assertEquals(List.of(), typesOf(301));
    }

    @Test
    @Order(8)
    void aWindowSourceWithoutReadsByIdCancelsWhatACompleteScanNoLongerLists() {
        api().put(302, "scheduled", SOON.plusSeconds(7200), 30, "dr-1", "pat-302");
        poll("roster");
        api().remove(302);
        poll("roster");
        assertEquals("removed", eventsOf("302").get(0).getString("payload.reason"));
    }

    /**
     * An API that lists its whole window on one page: 33,000 appointments used to fail every cycle (one insert
     * statement past PostgreSQL's 65,535 bind parameters); they are committed in parts.
     */
    /**
     * Issue 24: an API answering {@code 200 []} (a maintenance page, an expired scope) for 15 s got every booked
     * appointment of the window cancelled, since the same short answer twice in a row was taken as the window's new
     * size. Without reads by id a short answer now concludes nothing however often it repeats, and one scan
     * cancels no more than window.max-removals (5) or window.max-removal-share; the rest wait for an operator.
     */
    @Test
    @Order(8)
    void withoutReadsByIdEmptyAnswersNeverCancelAndManyAbsencesWaitForAnOperator() {
        poll("roster"); // past its first sync when run alone
        for (int i = 0; i < 8; i++) {
            api().put(310 + i, "scheduled", SOON.plusSeconds(3600 + 60L * i), 30, "dr-1", "pat-31" + i);
        }
        poll("roster");
        api().cutScansAt(0);
        try {
            for (int i = 0; i < 4; i++) {
                assertEquals(0, poll("roster").deletes(), "an empty answer concludes nothing, however often");
            }
            assertTrue(source("roster").getLong("pending_removals") >= 8, source("roster").getString("window"));
        } finally {
            api().cutScansAt(Integer.MAX_VALUE);
        }
        poll("roster");
        assertEquals(0, source("roster").getLong("pending_removals"), "listed again: nothing waits");
        for (int i = 0; i < 8; i++) {
            assertEquals(List.of("appointment.scheduled"), typesOf(310 + i), "no false cancellation of " + (310 + i));
        }

        for (int i = 0; i < 7; i++) {
            api().remove(310 + i);
        }
        assertEquals(0, poll("roster").deletes(), "7 at once is more than one scan may cancel");
        assertEquals(7, source("roster").getLong("pending_removals"));
        given().post("/admin/sources/roster/removals/confirm?through=x").then().statusCode(422);
        given().post("/admin/sources/roster/removals/confirm?through="
                + source("roster").getString("pending_removals_through")).then().statusCode(200);
        for (int i = 0; i < 7; i++) {
            assertEquals("removed", eventsOf(String.valueOf(310 + i)).get(0).getString("payload.reason"));
        }
        assertEquals(List.of("appointment.scheduled"), typesOf(317));
        assertEquals(0, source("roster").getLong("pending_removals"));
        assertEquals(0, poll("roster").deletes());
    }

    /**
     * Review of issue 24: a list shrinking in steps (20 -> 11 -> 6 -> 3) cancelled what each step's limit allowed,
     * since each scan's count became the floor while earlier removals waited. While removals of a slice wait,
     * nothing more is concluded from it.
     */
    @Test
    @Order(8)
    void aListShrinkingInStepsCancelsNothingWhileRemovalsWait() {
        for (int i = 0; i < 20; i++) {
            api().put(600 + i, "scheduled", SOON.plusSeconds(5000 + 60L * i), 30, "dr-1", "pat-6" + i);
        }
        poll("roster");
        long before = source("roster").getLong("pending_removals");
        int removed = 0;
        for (int step : new int[] { 9, 5, 3 }) {
            for (int i = 0; i < step; i++, removed++) {
                api().remove(600 + removed);
            }
            for (int k = 0; k < 3; k++) {
                assertEquals(0, poll("roster").deletes(), "after " + removed + " removed");
            }
        }
        assertEquals(before + 17, source("roster").getLong("pending_removals"), source("roster").getString("window"));
        for (int i = 0; i < 17; i++) {
            assertEquals(List.of("appointment.scheduled"), typesOf(600 + i), "not cancelled without an operator");
        }
        given().post("/admin/sources/roster/removals/confirm?through=2999-01-01T00:00:00Z").then().statusCode(422);
        for (int i = 0; i < 17; i++) { // the API recovers: listed again, nothing waits
            api().put(600 + i, "scheduled", SOON.plusSeconds(5000 + 60L * i), 30, "dr-1", "pat-6" + i);
        }
        poll("roster");
        assertEquals(before, source("roster").getLong("pending_removals"));
        assertEquals(List.of("appointment.scheduled"), typesOf(600));
    }

    @Test
    @Order(9)
    void aPageLargerThanOneCommitIsCommittedInParts() {
        api().putMany(1_000_000, 33_000, SOON.plusSeconds(86_400));
        api().schedulePageSize(50_000);
        try {
            CycleResult cycle = poll("roster");
            assertTrue(cycle.records() >= 33_000, "records " + cycle.records());
            assertEquals(1, cycle.pages());
            assertEquals(33_000L, count("SELECT count(*) FROM appointment_snapshot WHERE source = 'roster'"
                    + " AND appointment_id LIKE '10%' AND length(appointment_id) = 7"));
        } finally {
            api().schedulePageSize(3);
            api().removeMany(1_000_000, 33_000); // the other window sources scan 3 per page
        }
    }

    /** Review of issue 14: an API that ignores {page} was read up to max-pages (100,000) times per cycle. */
    @Test
    @Order(10)
    void anApiThatIgnoresThePageParameterFailsTheCycleAtOnce() {
        api().put(108, "scheduled", SOON, 30, "dr-1", "pat-108");
        api().put(109, "scheduled", SOON, 30, "dr-1", "pat-109");
        api().put(110, "scheduled", SOON, 30, "dr-1", "pat-110");
        api().ignorePage(true);
        int before = api().requests().size();
        try {
            assertTrue(polls.poll("practice").isEmpty(), "the cycle fails");
            assertTrue(api().requests().size() - before <= 3, "stopped at page 2: " + (api().requests().size() - before));
            assertTrue(source("practice").getString("last_error").contains("lists the same items as page 1: the API "
                    + "ignores {page}"), source("practice").getString("last_error"));
        } finally {
            api().ignorePage(false);
        }
    }

    /** Review of issue 14: a JSON source's URL template showed as "(unparseable URL)". */
    @Test
    @Order(11)
    void aJsonSourceShowsItsUrl() {
        assertTrue(source("schedule").getString("base_url").startsWith("http://127.0.0.1:"),
                source("schedule").getString("base_url"));
    }

    /** Review of issue 14: after a complete scan whose read by id failed, /admin/sources described the scan before. */
    @Test
    @Order(12)
    void aFailedReadByIdIsWhatTheWindowNoteSays() {
        api().put(250, "scheduled", SOON.plusSeconds(60 * 250), 30, "dr-1", "pat-250");
        poll("schedule");
        api().remove(250);
        api().failReads(503);
        try {
            assertTrue(polls.poll("schedule").isEmpty(), "the cycle fails on the read");
            String note = source("schedule").getString("window");
            assertTrue(note.startsWith("complete scan at ") && note.contains("a read by id failed"), note);
            assertEquals(List.of("appointment.scheduled"), typesOf(250), "nothing concluded");
        } finally {
            api().failReads(0);
        }
        poll("schedule");
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), typesOf(250));
    }

    @Inject
    javax.sql.DataSource dataSource;

    private long count(String sql) {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static FakeJsonApi.Item withState(FakeJsonApi.Item i, String state) {
        return new FakeJsonApi.Item(i.id(), state, i.start(), i.end(), i.provider(), i.location(), i.patient(), null);
    }

    /**
     * Issue 24: an API that stamps updated_at when a transaction starts and commits it later than the overlap puts
     * the change behind the cursor, where no changed-since request returns it; without sweeps it was lost for good.
     * The source's sweep reads the API's window listing (reconcile.url) and heals it with reason reconciled.
     */
    @Test
    @Order(30)
    void aLateCommitOnAChangedSinceSourceIsHealedByItsSweep() {
        Instant start = SOON.plus(3, ChronoUnit.DAYS);
        FakeJsonApi.Item booked = api().put(401, "scheduled", start, 30, "dr-1", "pat-401");
        api().putRaw(new FakeJsonApi.Item(401, booked.state(), booked.start(), booked.end(), booked.provider(),
                booked.location(), booked.patient(), Instant.now().minus(20, ChronoUnit.MINUTES)));
        api().put(402, "scheduled", start, 30, "dr-1", "pat-402"); // changed now: the cursor moves to now - 60 s
        poll("ledger"); // the first sync
        poll("ledger"); // the first sweep falls due one interval (1 min) from here
        // Moved by a transaction stamped 10 minutes ago that commits only now: behind the cursor (60 s overlap).
        api().putRaw(new FakeJsonApi.Item(401, "scheduled", start.plusSeconds(3600), booked.end().plusSeconds(3600),
                booked.provider(), booked.location(), booked.patient(), Instant.now().minus(10, ChronoUnit.MINUTES)));
        assertEquals(0, poll("ledger").eventCount(), "behind the cursor: the changed-since request misses it");
        double before = drift("ledger", "rescheduled");
        cycle.useClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(3)));
        try {
            poll("ledger");
        } finally {
            cycle.useClock(java.time.Clock.systemUTC());
        }
        assertEquals(List.of("appointment.rescheduled"), typesOf(401));
        assertEquals("reconciled", eventsOf("401").get(0).getString("payload.reason"));
        assertEquals(before + 1, drift("ledger", "rescheduled"));
        assertTrue(source("ledger").getString("reconcile").contains("finished"), source("ledger").getString("reconcile"));
    }

    /**
     * Issue 24: {@code 200 {"data": [], "error": {...}}} ended paging as if it were the last page, and a window source
     * without reads by id concluded absences from it. A page carrying an error envelope fails the cycle.
     */
    @Test
    @Order(31)
    void aPageCarryingAnErrorEnvelopeFailsAndConcludesNothing() {
        poll("roster"); // both past their first sync when run alone
        poll("practice");
        api().put(501, "scheduled", SOON.plusSeconds(7200), 30, "dr-1", "pat-501");
        poll("roster");
        poll("practice");
        List<String> announced = typesOf(501);
        assertTrue(announced.contains("appointment.scheduled"), announced.toString());
        api().errorEnvelope(true);
        try {
            for (int i = 0; i < 3; i++) {
                assertTrue(polls.poll("roster").isEmpty(), "the window scan fails");
                assertTrue(polls.poll("practice").isEmpty(), "the changed-since cycle fails");
            }
            assertTrue(source("roster").getString("last_error").contains("error-pointer"),
                    source("roster").getString("last_error"));
        } finally {
            api().errorEnvelope(false);
        }
        assertEquals(announced, typesOf(501), "no false cancellation, no second booking");
        poll("roster");
        poll("practice");
        assertEquals(announced, typesOf(501));
    }

    private static double drift(String source, String kind) {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("bridge_reconcile_drift_total{") && l.contains("kind=\"" + kind
                + "\"") && l.contains("source=\"" + source + "\"")).mapToDouble(l -> Double.parseDouble(l.substring(
                        l.lastIndexOf(' ') + 1))).findFirst().orElseThrow(() -> new AssertionError("no drift series"));
    }
}
