package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.delivery.store.ClaimedDelivery;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Operator actions keep each appointment's order: a replay while a newer delivery of the appointment is in flight
 * sends the older ones and then the newer one again (before: the newer one was recorded sent and the replayed older
 * states arrived after it, so the receiver ended on an old state); retrying an old sent delivery that a newer one
 * followed needs force; a retry of a delivery in flight moves its claim on, so the attempt in flight records nothing
 * (before: two sends, two outcomes). The test is the worker: it claims and records outcomes itself.
 */
@QuarkusTest
@TestProfile(QueueOnlyProfile.class)
class OperatorOrderTest {

    private static final Duration LEASE = Duration.ofMinutes(2);

    @Inject
    DeliveryStore store;

    @Inject
    DataSource dataSource;

    @Test
    void aReplayWhileANewerDeliveryIsInFlightEndsOnTheNewestState() throws SQLException {
        String target = "replay-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        long first = delivery(target, "apt-1", "sent", false);
        long second = delivery(target, "apt-1", "sent", false);
        long newest = delivery(target, "apt-1", "pending", true);
        ClaimedDelivery inFlight = only(store.claim(target, 10, LEASE));
        assertEquals(newest, inFlight.id());

        assertEquals(2, store.requeue(target, since), "the two sent deliveries are re-queued");
        assertEquals(List.of(), store.claim(target, 10, LEASE),
                "nothing of the appointment goes while its newest state is in flight (no two on the wire)");
        assertEquals(1, store.record(List.of(inFlight.outcome("sent", Instant.now(), null, 200, 5, null, "ok"))),
                "the answer to the attempt in flight records nothing: its claim moved on");
        endLeases(target); // the in-flight attempt's lease is over

        List<Long> sentOrder = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ClaimedDelivery next = only(store.claim(target, 10, LEASE));
            sentOrder.add(next.id());
            assertEquals(0, store.record(List.of(next.outcome("sent", Instant.now(), null, 200, 5, null, "ok"))));
        }
        assertEquals(List.of(first, second, newest), sentOrder, "oldest first, and the newest state last");
        assertEquals(List.of(), store.claim(target, 10, LEASE));
    }

    @Test
    void retryingAnOldSentDeliveryThatANewerOneFollowedNeedsForce() throws SQLException {
        String target = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        long old = delivery(target, "apt-2", "sent", false);
        delivery(target, "apt-2", "sent", false);
        long other = delivery(target, "apt-3", "sent", false);
        assertEquals(DeliveryStore.Retry.FOLLOWED, store.requeue(old, false));
        assertEquals("sent", status(old), "refused: nothing changed");
        assertEquals(DeliveryStore.Retry.QUEUED, store.requeue(other, false), "nothing newer of its appointment");
        assertEquals(DeliveryStore.Retry.QUEUED, store.requeue(old, true));
        assertEquals("pending", status(old));
        assertEquals(DeliveryStore.Retry.NOT_FOUND, store.requeue(Long.MAX_VALUE, false));
    }

    @Test
    void aRetryOfADeliveryInFlightMovesItsClaimOn() throws SQLException {
        String target = "flight-" + UUID.randomUUID().toString().substring(0, 8);
        long id = delivery(target, "apt-4", "pending", true);
        ClaimedDelivery inFlight = only(store.claim(target, 10, LEASE));
        assertEquals(DeliveryStore.Retry.QUEUED, store.requeue(id, false));
        assertEquals(List.of(), store.claim(target, 10, LEASE), "not sent again beside the attempt in flight");
        assertEquals(1, store.record(List.of(inFlight.outcome("dead", Instant.now(), null, 500, 5, "HTTP 500", null))),
                "the attempt that was in flight records nothing");
        assertEquals("pending", status(id));
        endLeases(target);
        ClaimedDelivery again = only(store.claim(target, 10, LEASE));
        assertEquals(inFlight.claim() + 2, again.claim(), "the retry and the new claim each moved it on");
        assertEquals(0, store.record(List.of(again.outcome("sent", Instant.now(), null, 200, 5, null, "ok"))));
        assertEquals("sent", status(id));
    }

    /**
     * A replica of a release without the target sequence (during a rolling upgrade from before it) writes rows
     * without a number: the claim numbers them next in the target's sequence (before: never numbered, never in the
     * feed).
     */
    @Test
    void aRowWrittenWithoutANumberIsNumberedWhenClaimed() throws SQLException {
        String target = "unnumbered-" + UUID.randomUUID().toString().substring(0, 8);
        delivery(target, "apt-5", "pending", true);
        delivery(target, "apt-6", "pending", true);
        List<ClaimedDelivery> claimed = store.claim(target, 10, LEASE);
        assertEquals(List.of(1L, 2L), claimed.stream().map(ClaimedDelivery::sequence).sorted().toList());
        assertEquals("2", query("SELECT last FROM target_sequence WHERE target = '" + target + "'"));
        assertEquals("2", query("SELECT count(*) FROM delivery WHERE target = '" + target + "' AND sequence IS NOT NULL"));
    }

    /** A skipped delivery is never sent: a retry would number it and leave a gap in the target's sequence. */
    @Test
    void aSkippedDeliveryIsNotRetried() throws SQLException {
        String target = "skipped-" + UUID.randomUUID().toString().substring(0, 8);
        long id = delivery(target, "apt-7", "skipped", false);
        assertEquals(DeliveryStore.Retry.SKIPPED, store.requeue(id, true));
        assertEquals("skipped", status(id));
        assertEquals(List.of(), store.claim(target, 10, LEASE));
    }

    private void endLeases(String target) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE delivery SET next_attempt_at = now() - interval '1 second', in_flight_until = NULL"
                        + " WHERE target = ? AND status = 'pending'")) {
            ps.setString(1, target);
            ps.executeUpdate();
        }
    }

    private static ClaimedDelivery only(List<ClaimedDelivery> claimed) {
        assertEquals(1, claimed.size(), "claimed: " + claimed);
        return claimed.get(0);
    }

    private long delivery(String target, String appointment, String status, boolean head) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH e AS (INSERT INTO event (uuid, type, source, appointment_id, occurred_at, payload)
                           VALUES (?, 'appointment.scheduled', 'inbound', ?, now(), '{}') RETURNING id)
                INSERT INTO delivery (event_id, target, status, appointment_id, source, head, next_attempt_at)
                SELECT id, ?, ?, ?, 'inbound', ?, now() - interval '1 second' FROM e RETURNING id""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, appointment);
            ps.setString(3, target);
            ps.setString(4, status);
            ps.setString(5, appointment);
            ps.setBoolean(6, head);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String status(long id) throws SQLException {
        return query("SELECT status FROM delivery WHERE id = " + id);
    }

    private String query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
