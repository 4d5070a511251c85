package dev.appointmentbridge.poll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.appointmentbridge.common.InstanceName;

/**
 * The {@code source_state} row of a source: lease and fencing token, cursors, baseline flag and the last
 * poll's outcome. Plain SQL on the caller's connection (the page transaction's, or its own for failures).
 */
final class SourceStateStore {

    private SourceStateStore() {
    }

    /**
     * Claims the source when no other replica holds an unexpired lease. This replica may always claim it
     * again (its last cycle may have failed to release it, e.g. with the database down): the new fencing
     * token makes any older cycle of its own unable to commit.
     */
    static Optional<Lease> acquire(Connection c, String source, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO source_state (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, source);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE source_state SET fence = fence + 1, lease_owner = ?,
                       lease_until = now() + make_interval(secs => ?)
                 WHERE name = ? AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ?)
                RETURNING fence, cursor_at, history_cursor_at, baseline_done, deletes_off_reason
                """)) {
            ps.setString(1, InstanceName.get());
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setString(3, source);
            ps.setString(4, InstanceName.get());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(source, rs.getLong(1), instant(rs, 2), instant(rs, 3), rs.getBoolean(4),
                        rs.getString(5), lease));
            }
        }
    }

    /**
     * Checks the fencing token, locks the row for the rest of the transaction and renews the lease; moves the
     * cursor when {@code cursor} is not null, and stores the first history cursor while there is none. Throws when another replica has claimed the source since.
     */
    static void renew(Connection c, Lease lease, Duration duration, Instant cursor, Instant firstHistoryCursor)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE source_state SET cursor_at = COALESCE(?, cursor_at),
                       history_cursor_at = COALESCE(history_cursor_at, ?),
                       lease_until = now() + make_interval(secs => ?)
                 WHERE name = ? AND fence = ?
                """)) {
            ps.setTimestamp(1, cursor == null ? null : Timestamp.from(cursor));
            ps.setTimestamp(2, firstHistoryCursor == null ? null : Timestamp.from(firstHistoryCursor));
            ps.setDouble(3, duration.toMillis() / 1000.0);
            ps.setString(4, lease.source());
            ps.setLong(5, lease.fence());
            if (ps.executeUpdate() == 0) {
                throw new LeaseLostException(lease.source(), lease.fence());
            }
        }
    }

    static void finish(Connection c, Lease lease, Instant historyCursor, int records, int events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE source_state SET history_cursor_at = ?, baseline_done = TRUE, last_poll_at = now(),
                       last_success_at = now(), last_result = 'ok', last_error = NULL, last_records = ?,
                       last_events = ?, polls_ok = polls_ok + 1, events_total = events_total + ?, lease_until = NULL
                 WHERE name = ? AND fence = ?
                """)) {
            ps.setTimestamp(1, historyCursor == null ? null : Timestamp.from(historyCursor));
            ps.setInt(2, records);
            ps.setInt(3, events);
            ps.setInt(4, events);
            ps.setString(5, lease.source());
            ps.setLong(6, lease.fence());
            if (ps.executeUpdate() == 0) {
                throw new LeaseLostException(lease.source(), lease.fence());
            }
        }
    }

    static void release(Connection c, Lease lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE source_state SET lease_until = NULL WHERE name = ? AND fence = ?")) {
            ps.setString(1, lease.source());
            ps.setLong(2, lease.fence());
            ps.executeUpdate();
        }
    }

    static void disableDeletes(Connection c, String source, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE source_state SET deletes_off_reason = ? WHERE name = ?")) {
            ps.setString(1, reason);
            ps.setString(2, source);
            ps.executeUpdate();
        }
    }

    /** In its own transaction: operators must see the failure; the pages committed before it stay. */
    static void recordFailure(Connection c, String source, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_state (name, last_poll_at, last_result, last_error, polls_failed)
                VALUES (?, now(), 'failed', ?, 1)
                ON CONFLICT (name) DO UPDATE SET last_poll_at = now(), last_result = 'failed',
                       last_error = EXCLUDED.last_error, polls_failed = source_state.polls_failed + 1
                """)) {
            ps.setString(1, source);
            ps.setString(2, error);
            ps.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
