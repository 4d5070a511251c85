package dev.appointmentbridge.delivery;

import dev.appointmentbridge.delivery.store.DeliveryStore;
import dev.appointmentbridge.delivery.store.ClaimedDelivery;
import dev.appointmentbridge.delivery.store.AttemptOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 13, fencing: a worker that outlived its lease (here: the lease is ended by hand, the test hook, and
 * the row is claimed again) cannot overwrite the newer claim's outcome with its stale one.
 */
@QuarkusTest
class ClaimFencingTest {

    private static final String TARGET = "fence-test"; // not a configured target: the running worker leaves it

    @Inject
    DeliveryStore store;

    @Inject
    DataSource dataSource;

    @Test
    void aStaleOutcomeIsDroppedAndCounted() throws SQLException {
        long id = delivery();
        ClaimedDelivery first = only(store.claim(TARGET, 10, Duration.ofMinutes(2)));
        endLease(id); // the first worker pauses past its lease...
        ClaimedDelivery second = only(store.claim(TARGET, 10, Duration.ofMinutes(2)));
        assertEquals(first.claim() + 1, second.claim(), "each claim gets a new token");

        assertEquals(0, store.record(List.of(second.outcome("sent", Instant.now(), null, 200, 5, null, "ok"))));
        // ...then wakes up and reports a failure with a retry: too late, the row has been claimed since
        AttemptOutcome stale = first.outcome("pending", Instant.now(), Instant.now().plusSeconds(60), 500, 9000,
                "HTTP 500", null);
        assertEquals(1, store.record(List.of(stale)), "the stale outcome is dropped");

        assertEquals("sent", status(id));
        assertEquals(2, attempts(id), "both attempts went out and both are in the attempt log");
    }

    private static ClaimedDelivery only(List<ClaimedDelivery> claimed) {
        assertEquals(1, claimed.size(), "claimed: " + claimed);
        return claimed.get(0);
    }

    private long delivery() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH e AS (INSERT INTO event (uuid, type, source, appointment_id, occurred_at, payload)
                           VALUES (?, 'appointment.scheduled', 'inbound', 'fence-apt', now(), '{}') RETURNING id)
                INSERT INTO delivery (event_id, target, status, appointment_id)
                SELECT id, ?, 'pending', 'fence-' || id FROM e RETURNING id""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, TARGET);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void endLease(long id) throws SQLException {
        update("UPDATE delivery SET next_attempt_at = now() - interval '1 second' WHERE id = " + id);
    }

    private String status(long id) throws SQLException {
        return query("SELECT status FROM delivery WHERE id = " + id);
    }

    private int attempts(long id) throws SQLException {
        return Integer.parseInt(query("SELECT count(*) FROM delivery_attempt WHERE delivery_id = " + id));
    }

    private void update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
