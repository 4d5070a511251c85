package dev.appointmentbridge.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 12, retention: finished deliveries past bridge.retention.deliveries go with their attempts; events past
 * bridge.retention.events go unless a delivery still refers to them; pending deliveries and recent rows stay.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    DataSource dataSource;

    @Inject
    RetentionJob job;

    @Test
    void oldFinishedWorkGoesPendingAndRecentWorkStays() throws SQLException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long oldSent = delivery(event(run + "-old-sent", 100), "sent", 40, 2);
        long oldDead = delivery(event(run + "-old-dead", 100), "dead", 40, 5);
        long oldPendingEvent = event(run + "-old-pending", 100);
        long oldPending = delivery(oldPendingEvent, "pending", 40, 1);
        long recentSentEvent = event(run + "-recent", 100);
        long recentSent = delivery(recentSentEvent, "sent", 10, 1);
        long lonelyOld = event(run + "-lonely-old", 91);
        long lonelyRecent = event(run + "-lonely-recent", 89);

        RetentionService.Removed removed = job.runOnce();

        assertEquals(0, count("delivery", oldSent) + count("delivery", oldDead));
        assertEquals(0, countWhere("delivery_attempt", "delivery_id IN (" + oldSent + "," + oldDead + ")"));
        assertEquals(1, count("delivery", oldPending), "pending deliveries are never removed");
        assertEquals(1, count("event", oldPendingEvent), "an event a pending delivery needs stays");
        assertEquals(1, count("delivery", recentSent));
        assertEquals(1, countWhere("delivery_attempt", "delivery_id = " + recentSent));
        assertEquals(1, count("event", recentSentEvent), "a delivery still refers to it");
        assertEquals(0, count("event", lonelyOld));
        assertEquals(1, count("event", lonelyRecent));
        assertEquals(0, countWhere("event", "appointment_id IN ('" + run + "-old-sent','" + run + "-old-dead')"),
                "events whose deliveries went are removed in the same run");
        assertEquals(true, removed.events() >= 3 && removed.deliveries() >= 2 && removed.attempts() >= 7,
                String.valueOf(removed));
    }

    private long event(String appointmentId, int daysAgo) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event (uuid, type, source, appointment_id, occurred_at, received_at, payload)
                VALUES (gen_random_uuid(), 'appointment.scheduled', 'inbound', ?, now(), now() - make_interval(days => ?), '{}')
                RETURNING id""")) {
            ps.setString(1, appointmentId);
            ps.setInt(2, daysAgo);
            return single(ps);
        }
    }

    private long delivery(long eventId, String status, int daysAgo, int attempts) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery (event_id, target, status, appointment_id, created_at)
                    VALUES (?, 'retention-test', ?, 'x', now() - make_interval(days => ?)) RETURNING id""")) {
                ps.setLong(1, eventId);
                ps.setString(2, status);
                ps.setInt(3, daysAgo);
                id = single(ps);
            }
            for (int i = 1; i <= attempts; i++) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO delivery_attempt (delivery_id, attempt, attempted_at, duration_ms)
                        VALUES (?, ?, now() - make_interval(days => ?), 1)""")) {
                    ps.setLong(1, id);
                    ps.setInt(2, i);
                    ps.setInt(3, daysAgo);
                    ps.executeUpdate();
                }
            }
            return id;
        }
    }

    private long count(String table, long id) throws SQLException {
        return countWhere(table, "id = " + id);
    }

    private long countWhere(String table, String where) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + where)) {
            return single(ps);
        }
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
