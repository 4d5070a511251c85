package dev.appointmentbridge.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentRecord;

/** Every row of the design's diff table, plus the no-change, repeat and out-of-order cases. */
class DiffRulesTest {

    private static final Instant START = Instant.parse("2025-03-03T09:00:00Z");
    private static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);

    private static AppointmentRecord record(String status, Instant start, String provider, String location,
            Instant updated) {
        return new AppointmentRecord("a1", status, start, start.plusSeconds(1800), 30, provider, location, "p1", null,
                updated);
    }

    private static AppointmentRecord booked(Instant updated) {
        return record("booked", START, "dr-1", "loc-1", updated);
    }

    private static Snapshot snapshotOf(AppointmentRecord r) {
        return DiffRules.snapshot(r, DiffRules.contentHash(r), null);
    }

    @ParameterizedTest
    @ValueSource(strings = { "proposed", "pending", "booked", "arrived", "checked-in", "waitlist" })
    void noSnapshotAndActiveIsScheduled(String status) {
        Change c = DiffRules.derive(null, record(status, START, "dr-1", "loc-1", T1), null);
        assertEquals(EventType.SCHEDULED, c.event());
        assertNotNull(c.next());
    }

    @ParameterizedTest
    @ValueSource(strings = { "cancelled", "noshow", "fulfilled", "entered-in-error" })
    void firstSeenAlreadyOverIsStoredButNotAnnounced(String status) {
        Change c = DiffRules.derive(null, record(status, START, "dr-1", "loc-1", T1), null);
        assertNull(c.event());
        assertNotNull(c.next());
    }

    @ParameterizedTest
    @CsvSource({ "booked,cancelled,CANCELLED", "arrived,entered-in-error,CANCELLED", "noshow,cancelled,CANCELLED",
            "booked,noshow,NO_SHOW", "checked-in,noshow,NO_SHOW", "booked,fulfilled,COMPLETED",
            "arrived,fulfilled,COMPLETED", "noshow,fulfilled,COMPLETED" })
    void statusTransitions(String from, String to, EventType expected) {
        Snapshot previous = snapshotOf(record(from, START, "dr-1", "loc-1", T1));
        assertEquals(expected, DiffRules.derive(previous, record(to, START, "dr-1", "loc-1", T2), null).event());
    }

    @ParameterizedTest
    @CsvSource({ "cancelled,entered-in-error", "cancelled,cancelled", "noshow,noshow", "fulfilled,fulfilled",
            "booked,arrived", "arrived,checked-in" })
    void transitionsWithinAClassAreNotEvents(String from, String to) {
        Snapshot previous = snapshotOf(record(from, START, "dr-1", "loc-1", T1));
        assertNull(DiffRules.derive(previous, record(to, START, "dr-1", "loc-1", T2), null).event());
    }

    @Test
    void bookedAgainAfterCompletionIsScheduledAgain() {
        // Found by the poll invariant property test: without it a receiver keeps "completed" for an active one.
        Snapshot previous = snapshotOf(record("fulfilled", START, "dr-1", "loc-1", T1));
        assertEquals(EventType.SCHEDULED, DiffRules.derive(previous, booked(T2), null).event());
    }

    @Test
    void rebookedAfterCancellationIsScheduledAgain() {
        Snapshot previous = snapshotOf(record("cancelled", START, "dr-1", "loc-1", T1));
        assertEquals(EventType.SCHEDULED, DiffRules.derive(previous, booked(T2), null).event());
    }

    @Test
    void startChangeIsARescheduleCarryingThePreviousSnapshot() {
        Snapshot previous = snapshotOf(booked(T1));
        Change c = DiffRules.derive(previous, record("booked", START.plusSeconds(3600), "dr-1", "loc-1", T2), null);
        assertEquals(EventType.RESCHEDULED, c.event());
        assertSame(previous, c.previous());
    }

    @Test
    void durationOrEndChangeIsAReschedule() {
        Snapshot previous = snapshotOf(booked(T1));
        AppointmentRecord longer = new AppointmentRecord("a1", "booked", START, START.plusSeconds(3600), 60, "dr-1",
                "loc-1", "p1", null, T2);
        assertEquals(EventType.RESCHEDULED, DiffRules.derive(previous, longer, null).event());
    }

    @Test
    void practitionerOrLocationChangeIsAReschedule() {
        Snapshot previous = snapshotOf(booked(T1));
        assertEquals(EventType.RESCHEDULED,
                DiffRules.derive(previous, record("booked", START, "dr-2", "loc-1", T2), null).event());
        assertEquals(EventType.RESCHEDULED,
                DiffRules.derive(previous, record("booked", START, "dr-1", "loc-9", T2), null).event());
    }

    @Test
    void unchangedRecordWritesNothing() {
        Snapshot previous = snapshotOf(booked(T1));
        Change c = DiffRules.derive(previous, booked(T2), null);
        assertNull(c.event());
        assertNull(c.next(), "only lastUpdated moved: no snapshot write");
    }

    @Test
    void repeatedPollIsIdempotent() {
        AppointmentRecord cancelled = record("cancelled", START, "dr-1", "loc-1", T2);
        Change first = DiffRules.derive(snapshotOf(booked(T1)), cancelled, null);
        assertEquals(EventType.CANCELLED, first.event());
        Change second = DiffRules.derive(first.next(), cancelled, null);
        assertNull(second.event());
        assertNull(second.next());
    }

    @Test
    void olderVersionFromAnOutOfOrderPageIsIgnored() {
        Snapshot cancelledLater = snapshotOf(record("cancelled", START, "dr-1", "loc-1", T2));
        Change c = DiffRules.derive(cancelledLater, booked(T1), null);
        assertNull(c.event());
        assertNull(c.next(), "a stale version never overwrites a newer snapshot");
    }

    @Test
    void newAppointmentReplacingAnotherIsARescheduleOfIt() {
        Snapshot original = new Snapshot("a0", "booked", START, START.plusSeconds(1800), 30, "dr-1", "loc-1", "p1",
                null, null, "h", T1);
        AppointmentRecord rebooked = new AppointmentRecord("a1", "booked", START.plusSeconds(86400), null, 30, "dr-1",
                "loc-1", "p1", "a0", T2);
        Change c = DiffRules.derive(null, rebooked, original);
        assertEquals(EventType.RESCHEDULED, c.event());
        assertSame(original, c.previous());
        assertEquals("a0", c.next().replacesId());
    }

    @Test
    void cancellingARebookedAppointmentIsNotACancellation() {
        Snapshot replaced = snapshotOf(booked(T1)).withReplacedBy("a2");
        assertNull(DiffRules.derive(replaced, record("cancelled", START, "dr-1", "loc-1", T2), null).event());
    }

    @Test
    void unknownStatusIsNoEvent() {
        Snapshot previous = snapshotOf(booked(T1));
        assertNull(DiffRules.derive(previous, record("something-new", START, "dr-1", "loc-1", T2), null).event());
    }

    private static AppointmentRecord versioned(String status, Instant updated, long version) {
        return new AppointmentRecord("a1", status, START, START.plusSeconds(1800), 30, "dr-1", "loc-1", "p1", null,
                updated, version);
    }

    /**
     * A resource re-created after a delete, or renumbered by a migration, restarts at versionId 1: dated later than
     * the snapshot by more than the overlap it is a new version (before: every later change dropped as "older"); within
     * the overlap the version number stands, as for a server whose nodes' clocks drift.
     */
    @Test
    void aLowerVersionIdDatedLaterThanTheOverlapIsANewVersion() {
        Snapshot v7 = snapshotOf(versioned("booked", T1, 7));
        AppointmentRecord recreated = versioned("cancelled", T1.plusSeconds(60), 1);
        assertEquals(EventType.CANCELLED, DiffRules.derive(v7, recreated, null, java.time.Duration.ofSeconds(2))
                .event());
        assertTrue(DiffRules.versionWentBack(v7, recreated));
        AppointmentRecord withinOverlap = versioned("cancelled", T1.plusSeconds(1), 1);
        assertNull(DiffRules.derive(v7, withinOverlap, null, java.time.Duration.ofSeconds(2)).event(),
                "within the overlap the lower version is older");
        assertNull(DiffRules.derive(v7, versioned("cancelled", T1.minusSeconds(60), 6), null,
                java.time.Duration.ofSeconds(2)).event(), "an older version dated earlier");
    }
}
