package dev.appointmentbridge.delivery;

import dev.appointmentbridge.delivery.target.TargetRegistry;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.LogScan;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Issue 24: pending deliveries of a target removed from the configuration were never claimed, never retained away,
 * and kept the oldest-pending-age gauge rising for ever. At start they are marked dead (reason "target removed"),
 * with one WARN giving the count, and the queue gauges count configured targets only.
 */
@QuarkusTest
@TestProfile(DeliveryTestProfile.class)
class RemovedTargetTest {

    @Inject
    DataSource dataSource;

    @Inject
    dev.appointmentbridge.delivery.RemovedTargets removedTargets;

    @Inject
    dev.appointmentbridge.delivery.store.QueueStats queueStats;

    @Inject
    DeliveryStore store;

    @Inject
    TargetRegistry targets;

    @Test
    void pendingDeliveriesOfARemovedTargetAreRetiredAndLeaveTheGauges() throws SQLException {
        long orphan = delivery("removed-target", "2 days");
        List<String> configured = targets.all().stream().map(TargetRegistry.Target::name).toList();
        assertTrue(queueStats.queueStats(configured)[1] < 86_400, "a removed target's row is not in the oldest age");

        removedTargets.retire();

        assertEquals("dead", query("SELECT status FROM delivery WHERE id = " + orphan));
        assertEquals(DeliveryStore.TARGET_REMOVED, query("SELECT last_error FROM delivery WHERE id = " + orphan));
        assertEquals("0", query("SELECT count(*) FROM delivery WHERE status = 'pending' AND target <> ALL(ARRAY['"
                + String.join("','", configured) + "', 'crm']) AND created_at < now() - interval '10 minutes'"));
        assertTrue(LogScan.lines().stream().anyMatch(l -> l.contains("WARN")
                && l.contains("1 pending deliveries belong to targets that no replica seen within")), "one WARN, the count");
    }

    /**
     * A replica started with a narrower configuration (here: this one, without "crm") does not retire the pending
     * deliveries of a target another live replica still serves (before: it marked them all dead at start); once that
     * replica has not been seen for the grace period, they are retired. Rows newer than the grace period are kept.
     */
    @Test
    void aTargetAnotherLiveReplicaServesKeepsItsPendingDeliveries() throws SQLException {
        long served = delivery("crm", "2 days");
        long recent = delivery("gone-recently", "1 minute");
        update("INSERT INTO replica (instance, version, fingerprint, targets, sources) VALUES ('other-pod:1', 'x',"
                + " 'abc', ARRAY['crm', 'std'], ARRAY[]::text[]) ON CONFLICT (instance) DO UPDATE SET last_seen = now()");
        removedTargets.retire();
        assertEquals("pending", query("SELECT status FROM delivery WHERE id = " + served), "crm is served elsewhere");
        assertEquals("pending", query("SELECT status FROM delivery WHERE id = " + recent), "younger than the grace");

        update("UPDATE replica SET last_seen = now() - interval '1 hour' WHERE instance = 'other-pod:1'");
        removedTargets.retire();
        assertEquals("dead", query("SELECT status FROM delivery WHERE id = " + served), "no live replica has crm");
        assertEquals("pending", query("SELECT status FROM delivery WHERE id = " + recent));
        update("DELETE FROM replica WHERE instance = 'other-pod:1'");
    }

    private void update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private long delivery(String target, String age) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH e AS (INSERT INTO event (uuid, type, source, appointment_id, occurred_at, payload)
                           VALUES (?, 'appointment.scheduled', 'inbound', 'orphan-apt', now(), '{}') RETURNING id)
                INSERT INTO delivery (event_id, target, status, appointment_id, created_at)
                SELECT id, ?, 'pending', 'orphan-apt', now() - CAST(? AS interval) FROM e RETURNING id""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, target);
            ps.setString(3, age);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
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
