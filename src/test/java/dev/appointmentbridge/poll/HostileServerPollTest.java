package dev.appointmentbridge.poll;

import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.support.Management;
import static dev.appointmentbridge.support.EventLogApi.eventsOf;
import static dev.appointmentbridge.support.EventLogApi.types;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.appointmentbridge.support.FakeFhirResource;
import dev.appointmentbridge.support.FakeFhirServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Polling against a fake that behaves like real FHIR servers (issue 10): search caches serving current
 * versions, offset pages that shift, future-dated records, deletes, unreadable records, links and redirects to
 * another origin, reordered participants, rebookings by the R5 {@code replaces} extension.
 */
@QuarkusTest
@QuarkusTestResource(FakeFhirResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileServerPollTest {

    /** In the future by the bridge's clock, so deletes of these are of appointments that have not ended. */
    private static final Instant LATER = Instant.parse("2031-05-05T09:00:00Z");

    @Inject
    PollService polls;

    @Inject
    DataSource dataSource;

    private static FakeFhirServer fhir() {
        return FakeFhirResource.hostile;
    }

    private CycleResult poll() {
        return polls.poll("hostile").orElseThrow(() -> new AssertionError("poll of hostile failed: "
                + given().get("/admin/sources").then().extract().path("find { it.name == 'hostile' }.last_error")));
    }

    private static FakeFhirServer.Appt moved(FakeFhirServer.Appt a, long seconds) {
        return new FakeFhirServer.Appt(a.id(), a.status(), a.start().plusSeconds(seconds),
                a.end().plusSeconds(seconds), a.practitioner(), a.location(), a.patient(), a.replaces(), null);
    }

    @Test
    @Order(1)
    void aFirstSyncFailingOnPage40ResumesFromPage40() throws Exception {
        for (int i = 0; i < 300; i++) {
            fhir().put(String.format("bulk-%03d", i), "booked", LATER.plusSeconds(60L * i), "dr-1", "pat-b");
        }
        fhir().failPage(40, 503);
        assertTrue(polls.poll("hostile").isEmpty(), "the cycle fails on page 40");
        fhir().failPage(0, 0);
        long kept = count("SELECT count(*) FROM appointment_snapshot WHERE source = 'hostile'");
        // The order check reads the second page by the server's next link and then again by keyset: one request
        // of the 39 before the failure is that check.
        assertTrue(kept >= 38 * 2, "pages before the failure stay committed, kept " + kept);
        int searchesBefore = fhir().searches();
        CycleResult resumed = poll();
        int searches = fhir().searches() - searchesBefore;
        System.out.printf("first sync of 300 at page-size 3 failed on page 40 with %d snapshots kept; the next cycle "
                + "read %d records in %d pages (%d requests)%n", kept, resumed.records(), resumed.pages(), searches);
        // Keyset paging re-reads one boundary record per page, and the order check one page; nothing of pages 1-39
        // is read again.
        assertTrue(resumed.records() <= 300 - kept + resumed.pages() + 6,
                "resumed where it failed: read " + resumed.records() + " records with " + kept + " kept");
        assertEquals(300, count("SELECT count(*) FROM appointment_snapshot WHERE source = 'hostile'"));
        assertEquals(0, count("SELECT count(*) FROM event WHERE source = 'hostile'"), "a baseline announces nothing");
    }

    @Test
    @Order(2)
    void aCachedSearchServingNewerVersionsNeverMovesTheCursorPastTheSearch() throws Exception {
        // A proxy in between caches searches and ignores no-cache: only the cursor cap can save us.
        FakeFhirServer.Appt y = fhir().put("cache-y", "booked", LATER, "dr-1", "pat-c");
        for (int i = 0; i < 3; i++) {
            fhir().put("cache-filler-" + i, "booked", LATER, "dr-1", "pat-c");
        }
        FakeFhirServer.Appt x = fhir().put("cache-x", "booked", LATER, "dr-1", "pat-c");
        poll();
        fhir().cacheSearches(true, true);
        try {
            poll(); // this search's id list (the newest few, not y) is cached with its time
            fhir().update(y.id(), a -> moved(a, 3600)); // changed after the cached search: not in its list
            fhir().advance(Duration.ofSeconds(5));
            fhir().update(x.id(), a -> moved(a, 7200)); // in the list, served as its current version
            poll();
            poll();
            fhir().advance(Duration.ofSeconds(61)); // the cache entry expires
            poll();
            poll();
        } finally {
            fhir().cacheSearches(false, false);
        }
        assertEquals(List.of("appointment.rescheduled", "appointment.scheduled"), types(eventsOf(y.id())),
                "y's change is not lost");
        assertEquals(List.of("appointment.rescheduled", "appointment.scheduled"), types(eventsOf(x.id())));
    }

    @Test
    @Order(3)
    void everySearchAsksCachesNotToAnswer() throws Exception {
        FakeFhirServer.Appt y = fhir().put("nocache-y", "booked", LATER, "dr-1", "pat-c");
        for (int i = 0; i < 3; i++) {
            fhir().put("nocache-filler-" + i, "booked", LATER, "dr-1", "pat-c");
        }
        FakeFhirServer.Appt x = fhir().put("nocache-x", "booked", LATER, "dr-1", "pat-c");
        poll();
        fhir().cacheSearches(true, false); // HAPI's cache: honours Cache-Control: no-cache
        try {
            poll();
            fhir().update(y.id(), a -> moved(a, 3600));
            fhir().advance(Duration.ofSeconds(5));
            fhir().update(x.id(), a -> moved(a, 7200));
            poll(); // within 60 s: without no-cache this would be the cached search
        } finally {
            fhir().cacheSearches(false, false);
        }
        assertEquals(List.of("appointment.rescheduled", "appointment.scheduled"), types(eventsOf(y.id())),
                "seen in the very next poll");
    }

    @Test
    @Order(4)
    void aRecordDatedInTheFutureDoesNotDragTheCursorAlong() throws Exception {
        fhir().putRaw(new FakeFhirServer.Appt("future-f", "booked", LATER, LATER.plusSeconds(1800), "dr-1", "loc-1",
                "pat-f", null, Instant.parse("2031-01-01T00:00:00Z")));
        FakeFhirServer.Appt later = fhir().put("future-g", "booked", LATER, "dr-1", "pat-f");
        poll();
        fhir().update(later.id(), a -> moved(a, 1800));
        poll();
        assertEquals(List.of("appointment.rescheduled", "appointment.scheduled"), types(eventsOf(later.id())));
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("future-f")));
    }

    @Test
    @Order(5)
    void offsetPagesThatShiftWhileReadLoseNothing() throws Exception {
        List<FakeFhirServer.Appt> six = new ArrayList<>();
        for (String id : List.of("shift-a", "shift-b", "shift-c", "shift-d", "shift-e", "shift-f")) {
            six.add(fhir().put(id, "booked", LATER, "dr-1", "pat-s"));
        }
        poll();
        for (FakeFhirServer.Appt a : six) {
            fhir().update(a.id(), x -> moved(x, 900));
        }
        // Between page 1 and page 2, shift-a changes again and moves to the end of the result: with offset
        // paging every later record moves one place up and the one at the boundary is never served.
        fhir().afterFirstPage(() -> fhir().update("shift-a", x -> moved(x, 900)));
        poll();
        poll();
        for (String id : List.of("shift-b", "shift-c", "shift-d", "shift-e", "shift-f")) {
            assertEquals(List.of("appointment.rescheduled", "appointment.scheduled"), types(eventsOf(id)), id);
        }
    }

    @Test
    @Order(6)
    void deletesAreCancellationsWithReasonDeletedOnce() throws Exception {
        fhir().put("del-1", "booked", LATER, "dr-1", "pat-d");
        fhir().put("del-ended", "booked", Instant.parse("2025-02-02T09:00:00Z"), "dr-1", "pat-d");
        poll();
        fhir().delete("del-1");
        fhir().delete("del-ended");
        poll();
        poll();
        List<JsonPath> events = eventsOf("del-1");
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(events));
        assertEquals("deleted", events.get(0).getString("payload.reason"));
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("del-ended")), "an ended appointment's delete is history");
    }

    @Test
    @Order(7)
    void aServerWithoutHistoryTurnsDeleteDetectionOffWithAFlag() {
        FakeFhirServer noHistory = FakeFhirResource.noHistory;
        noHistory.historyStatus(404);
        noHistory.put("nh-1", "booked", LATER, "dr-1", "pat-n");
        assertTrue(polls.poll("nohistory").isPresent());
        noHistory.put("nh-2", "booked", LATER, "dr-1", "pat-n");
        assertTrue(polls.poll("nohistory").isPresent(), "a 4xx to _history does not fail the cycle");
        assertTrue(polls.poll("nohistory").isPresent());
        given().get("/admin/sources").then()
                .body("find { it.name == 'nohistory' }.detect_deletes", equalTo("off: GET Appointment/_history answered HTTP 404"))
                .body("find { it.name == 'hostile' }.detect_deletes", equalTo("history"));
        assertEquals(1, noHistory.requests().stream().filter(r -> r.contains("_history")).count(),
                "asked once, then left alone");
    }

    @Test
    @Order(8)
    void unreadableRecordsAreQuarantinedAndNeverBlockTheSource() throws Exception {
        fhir().putPoison("poison-nostatus", "{\"resourceType\":\"Appointment\",\"id\":\"poison-nostatus\",\"start\":\"2031-01-01T10:00:00Z\"}");
        fhir().putPoison("poison-status", "{\"resourceType\":\"Appointment\",\"id\":\"poison-status\",\"status\":\"tentative\"}");
        fhir().putPoison("poison-date", "{\"resourceType\":\"Appointment\",\"id\":\"poison-date\",\"status\":\"booked\",\"start\":\"next tuesday\"}");
        fhir().put("poison-neighbour", "booked", LATER, "dr-1", "pat-p");
        poll();
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("poison-neighbour")), "the source goes on");
        given().get("/admin/quarantine").then().statusCode(200)
                .body("find { it.appointment_id == 'poison-nostatus' }.reason", equalTo("no status"))
                .body("find { it.appointment_id == 'poison-status' }.reason", equalTo("unknown status code"))
                .body("find { it.appointment_id == 'poison-date' }.reason", equalTo("start is not a FHIR instant"))
                .body(not(containsString("next tuesday")));
        Management.given().get("/q/metrics").then().body(containsString("bridge_poll_quarantined_total{source=\"hostile\"}"));
        fhir().put("poison-nostatus", "booked", LATER, "dr-1", "pat-p"); // fixed upstream: re-read as it changes
        poll();
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("poison-nostatus")));
        given().get("/admin/quarantine").then().body("appointment_id", not(hasItem("poison-nostatus")))
                .body("appointment_id", hasItem("poison-status"));
    }

    @Test
    @Order(9)
    void aNextLinkToAnotherOriginFailsTheCycleAndTheTokenStaysHome() throws Exception {
        for (int i = 0; i < 5; i++) {
            fhir().put("origin-" + i, "booked", LATER, "dr-1", "pat-o");
        }
        fhir().foreignNext(FakeFhirResource.elsewhere.baseUrl() + "/Appointment?_count=3&_offset=3");
        try {
            assertTrue(polls.poll("hostile").isEmpty(), "the cycle fails");
        } finally {
            fhir().foreignNext(null);
        }
        given().get("/admin/sources").then()
                .body("find { it.name == 'hostile' }.last_error", containsString("another origin"));
        fhir().redirectTo(FakeFhirResource.elsewhere.baseUrl() + "/Appointment");
        try {
            assertTrue(polls.poll("hostile").isEmpty(), "a redirect fails the cycle");
        } finally {
            fhir().redirectTo(null);
        }
        assertEquals(List.of(), FakeFhirResource.elsewhere.requests(), "nothing, let alone the token, went elsewhere");
        poll();
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of("appointment.scheduled"), types(eventsOf("origin-" + i)));
        }
    }

    @Test
    @Order(10)
    void theProviderIsThePrimaryPerformerWhateverTheParticipantOrder() throws Exception {
        fhir().participants(false, "dr-attending");
        try {
            fhir().put("order-1", "booked", LATER, "dr-primary", "pat-r");
            poll();
            fhir().participants(true, "dr-attending");
            fhir().update("order-1", a -> a); // the same appointment, participants listed the other way round
            poll();
        } finally {
            fhir().participants(false, null);
        }
        List<JsonPath> events = eventsOf("order-1");
        assertEquals(List.of("appointment.scheduled"), types(events), "reordering is not a reschedule");
        assertEquals("dr-primary", events.get(0).getString("payload.appointment.provider_id"));
    }

    @Test
    @Order(11)
    void aRebookingByTheR5ReplacesExtensionIsOneReschedule() throws Exception {
        fhir().put("rebook-old", "booked", LATER, "dr-1", "pat-k");
        poll();
        fhir().update("rebook-old", a -> a.withStatus("cancelled"));
        fhir().put("rebook-new", "booked", LATER.plusSeconds(86400), 30, "dr-1", "loc-1", "pat-k", "rebook-old");
        poll();
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("rebook-old")), "its cancellation is folded");
        List<JsonPath> events = eventsOf("rebook-new");
        assertEquals(List.of("appointment.rescheduled"), types(events));
        assertEquals("rebook-old", events.get(0).getString("payload.previous.id"));
    }

    @Test
    @Order(12)
    void aReplacementFirstSeenCancelledLeavesTheOriginalsCancellationStanding() throws Exception {
        fhir().put("rebook2-old", "booked", LATER, "dr-1", "pat-k");
        poll();
        fhir().put("rebook2-new", "booked", LATER.plusSeconds(86400), 30, "dr-1", "loc-1", "pat-k", "rebook2-old");
        fhir().update("rebook2-old", a -> a.withStatus("cancelled"));
        fhir().update("rebook2-new", a -> a.withStatus("cancelled"));
        poll();
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(eventsOf("rebook2-old")));
        assertEquals(List.of(), types(eventsOf("rebook2-new")));
    }

    @Test
    @Order(13)
    void aBundleDatedInTheFutureCannotCarryTheCursorThere() throws Exception {
        fhir().put("fbundle-1", "booked", LATER, "dr-1", "pat-t");
        fhir().bundleTime(Instant.parse("2099-01-01T00:00:00Z")); // Date still says the server's real time
        try {
            poll();
        } finally {
            fhir().bundleTime(null);
        }
        fhir().update("fbundle-1", a -> a.withStatus("cancelled"));
        poll();
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(eventsOf("fbundle-1")));
    }

    @Test
    @Order(14)
    void aHistoryAnswerOf429IsTemporaryNotADisabledFeature() throws Exception {
        fhir().put("h429-1", "booked", LATER, "dr-1", "pat-h");
        poll();
        fhir().historyStatus(429);
        try {
            assertTrue(polls.poll("hostile").isEmpty(), "a 429 fails the cycle; it is asked again next time");
        } finally {
            fhir().historyStatus(200);
        }
        given().get("/admin/sources").then().body("find { it.name == 'hostile' }.detect_deletes", equalTo("history"));
        fhir().delete("h429-1");
        poll();
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(eventsOf("h429-1")));
    }

    /**
     * Issue 24: with {@code _history} answering 503 on every call the cycle never finished, so the cancellation its
     * search found was held for ever while the reschedule the same search found went out at once. The failed cycle
     * now releases it; the gauge shows nothing left held.
     */
    @Test
    @Order(14)
    void aHistoryFailingForeverWithholdsNoCancellation() throws Exception {
        fhir().put("h503-move", "booked", LATER, "dr-1", "pat-h");
        fhir().put("h503-cancel", "booked", LATER.plusSeconds(3600), "dr-1", "pat-h");
        poll();
        fhir().historyStatus(503);
        try {
            fhir().update("h503-move", a -> moved(a, 1800));
            fhir().update("h503-cancel", a -> a.withStatus("cancelled"));
            assertTrue(polls.poll("hostile").isEmpty(), "the cycle fails on _history");
            assertEquals(List.of("appointment.rescheduled", "appointment.scheduled"), types(eventsOf("h503-move")));
            assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(eventsOf("h503-cancel")),
                    "the cancellation goes out with the failed cycle, not after a cycle that never finishes");
            assertTrue(polls.poll("hostile").isEmpty(), "still failing");
            assertEquals(1, eventsOf("h503-cancel").stream().filter(e -> e.getString("event_type")
                    .equals("appointment.cancelled")).count(), "once");
            String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("bridge_poll_held_cancellations{source=\"hostile\"} 0.0"), "nothing held");
        } finally {
            fhir().historyStatus(200);
        }
    }

    @Test
    @Order(15)
    void aNulInAnIdIsQuarantinedAndDoesNotStopTheSource() throws Exception {
        fhir().putPoison("nul\u0000id", "{\"resourceType\":\"Appointment\",\"id\":\"nul\\u0000id\",\"status\":\"booked\"}");
        fhir().put("after-nul", "booked", LATER, "dr-1", "pat-n");
        poll();
        poll();
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("after-nul")));
        List<Map<String, String>> rows = given().get("/admin/quarantine").then().extract().jsonPath().getList("$");
        assertTrue(rows.stream().anyMatch(r -> "id contains a NUL character".equals(r.get("reason"))
                && r.get("appointment_id").equals("nul" + (char) 92 + "u0000id")), "quarantined under an escaped id: " + rows);
    }

    @Test
    @Order(16)
    void aServerThatIgnoresSortLosesNothing() throws Exception {
        FakeFhirServer noHistory = FakeFhirResource.noHistory;
        noHistory.ignoreSort(true);
        try {
            Instant t = noHistory.now().plusSeconds(300);
            // id order differs from lastUpdated order, and pages hold two
            noHistory.putRaw(new FakeFhirServer.Appt("u1", "booked", LATER, LATER.plusSeconds(1800), "dr-1", "loc-1",
                    "pat-u", null, t.minusSeconds(100)));
            noHistory.putRaw(new FakeFhirServer.Appt("u2", "booked", LATER, LATER.plusSeconds(1800), "dr-1", "loc-1",
                    "pat-u", null, t.minusSeconds(50)));
            noHistory.putRaw(new FakeFhirServer.Appt("u3", "booked", LATER, LATER.plusSeconds(1800), "dr-1", "loc-1",
                    "pat-u", null, t.minusSeconds(200)));
            noHistory.putRaw(new FakeFhirServer.Appt("u4", "booked", LATER, LATER.plusSeconds(1800), "dr-1", "loc-1",
                    "pat-u", null, t.minusSeconds(10)));
            noHistory.advance(Duration.ofSeconds(400));
            assertTrue(polls.poll("nohistory").isPresent());
            assertTrue(polls.poll("nohistory").isPresent());
        } finally {
            noHistory.ignoreSort(false);
        }
        for (String id : List.of("u1", "u2", "u3", "u4")) {
            assertEquals(List.of("appointment.scheduled"), types(eventsOf(id)), id);
        }
    }

    @Test
    @Order(17)
    void aDeleteTheServerWillNotConfirmIsQuarantinedNotGuessedAndDoesNotBlock() throws Exception {
        fhir().put("del-403", "booked", LATER, "dr-1", "pat-q");
        poll();
        fhir().delete("del-403");
        fhir().readStatus("del-403", 403);
        fhir().put("del-403-neighbour", "booked", LATER, "dr-1", "pat-q");
        poll();
        poll();
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("del-403")), "no cancellation guessed");
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("del-403-neighbour")));
        given().get("/admin/quarantine").then().body("find { it.appointment_id == 'del-403' }.reason",
                equalTo("delete not confirmed: GET Appointment/{id} answered HTTP 403"));
        given().get("/admin/sources").then().body("find { it.name == 'hostile' }.last_result", equalTo("ok"));
    }

    @Test
    @Order(18)
    void pollNowDuringARunningCycleIsSkippedAndCutsNothingOff() throws Exception {
        fhir().put("concurrent-1", "booked", LATER, "dr-1", "pat-x");
        fhir().delay(1500);
        java.util.concurrent.CompletableFuture<java.util.Optional<CycleResult>> first;
        try {
            int searched = fhir().searchStartNanos().size();
            first = java.util.concurrent.CompletableFuture.supplyAsync(() -> polls.poll("hostile"));
            // The first cycle is running once its search reached the server (which then waits 1.5 s to answer).
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> fhir().searchStartNanos().size() > searched);
            CycleResult second = polls.poll("hostile").orElseThrow();
            assertTrue(second.skipped(), "the second poll of a running source is skipped");
        } finally {
            fhir().delay(0);
        }
        CycleResult done = first.get().orElseThrow(() -> new AssertionError("the running cycle was cut off"));
        assertTrue(!done.skipped());
        assertEquals(List.of("appointment.scheduled"), types(eventsOf("concurrent-1")));
    }

    @Test
    @Order(19)
    void aBodyLargerThanMaxPageBytesFailsThePageUnread() {
        fhir().hugeBody(512L * 1024 * 1024);
        try {
            assertTrue(polls.poll("hostile").isEmpty(), "the cycle fails");
        } finally {
            fhir().hugeBody(0);
        }
        given().get("/admin/sources").then().body("find { it.name == 'hostile' }.last_error",
                containsString("larger than max-page-bytes (1048576 bytes)"));
        long sent = fhir().hugeBytesSent();
        System.out.printf("a 512 MiB page with max-page-bytes=1M: %d MiB went out before the bridge stopped reading%n",
                sent / (1024 * 1024));
        assertTrue(sent < 64L * 1024 * 1024, "the bridge stopped reading early, " + sent + " bytes went out");
    }

    // --- helpers -------------------------------------------------------------------------------

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Issue 24: the complete-through watermark of a cursor source stood still while nothing changed (40 s behind
     * after 32 s of quiet polls, growing), so the watermark-lag alert fired every quiet night.
     */
    @Test
    @Order(40)
    void aQuietSourcesWatermarkFollowsItsSearches() {
        fhir().put("quiet-1", "booked", LATER, "dr-1", "pat-q");
        poll();
        Instant first = Instant.parse(given().get("/admin/sources").then().extract()
                .path("find { it.name == 'hostile' }.complete_through"));
        fhir().advance(Duration.ofMinutes(10));
        assertEquals(0, poll().eventCount(), "nothing changed");
        Instant second = Instant.parse(given().get("/admin/sources").then().extract()
                .path("find { it.name == 'hostile' }.complete_through"));
        Instant searched = fhir().now().isBefore(Instant.now()) ? fhir().now() : Instant.now();
        assertTrue(second.isAfter(first), "the watermark moved: " + first + " -> " + second);
        assertTrue(!second.isBefore(searched.minusSeconds(3)) && !second.isAfter(searched),
                "within the overlap of the search's time " + searched + ": " + second);
        double gauge = Management.given().get("/q/metrics").then().extract().asString().lines()
                .filter(l -> l.startsWith("bridge_source_complete_through_seconds{source=\"hostile\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        assertEquals(second.toEpochMilli() / 1000.0, gauge, 0.001, "the gauge too");
    }

    /**
     * Issue 24: a server whose nodes' clocks drift served version 2 of an appointment dated before version 1
     * (LinuxForHealth FHIR #3690); the cancellation was dropped as "older than its snapshot" and never announced.
     * meta.versionId orders versions where the server gives it; a stale version served again is still dropped.
     */
    @Test
    @Order(41)
    void aVersionDatedBeforeItsPredecessorIsOrderedByItsVersionNumber() {
        polls.poll("hostile"); // past its first sync when run alone
        FakeFhirServer.Appt v1 = fhir().put("drift-1", "booked", LATER, "dr-1", "pat-d");
        poll();
        fhir().putRaw(new FakeFhirServer.Appt(v1.id(), "cancelled", v1.start(), v1.end(), v1.practitioner(),
                v1.location(), v1.patient(), null, v1.lastUpdated().minusSeconds(1)));
        fhir().put("drift-tick", "booked", LATER, "dr-1", "pat-d");
        poll();
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(eventsOf("drift-1")));
        fhir().putRaw(v1); // the old version served again, with its own number: still older
        fhir().put("drift-tick", "booked", LATER.plusSeconds(60), "dr-1", "pat-d");
        poll();
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types(eventsOf("drift-1")));
    }

    /**
     * Issue 24: a server that ignores {@code _sort=_lastUpdated} but echoes it in its self link (microsoft/fhir-server
     * #620): its first page happened to be ascending, so keyset paging from that page's newest skipped two bookings
     * until the next sweep. The order is now checked on what arrives before keyset paging trusts it.
     */
    @Test
    @Order(42)
    void aServerEchoingASortItIgnoresLosesNothing() throws Exception {
        FakeFhirServer noHistory = FakeFhirResource.noHistory;
        polls.poll("nohistory"); // past its first sync when run alone
        noHistory.ignoreSort(true);
        noHistory.echoIgnoredSort(true);
        try {
            Instant t = noHistory.now().plusSeconds(300);
            // id order (the server's) differs from lastUpdated order; pages hold two, the first ascending by chance
            String[] ids = { "e1", "e2", "e3", "e4", "e5" };
            long[] ago = { 100, 50, 200, 10, 150 };
            for (int i = 0; i < ids.length; i++) {
                noHistory.putRaw(new FakeFhirServer.Appt(ids[i], "booked", LATER, LATER.plusSeconds(1800), "dr-1",
                        "loc-1", "pat-e", null, t.minusSeconds(ago[i])));
            }
            noHistory.advance(Duration.ofSeconds(400));
            assertTrue(polls.poll("nohistory").isPresent());
        } finally {
            noHistory.ignoreSort(false);
            noHistory.echoIgnoredSort(false);
        }
        for (String id : List.of("e1", "e2", "e3", "e4", "e5")) {
            assertEquals(List.of("appointment.scheduled"), types(eventsOf(id)), id);
        }
    }
}
