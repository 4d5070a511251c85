package dev.appointmentbridge.poll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/** The {@code source_state} row of a source: cursor, baseline flag and last poll outcome. */
@ApplicationScoped
public class SourceStateStore {

    /** Cursor and baseline flag, read under the cycle's lock. */
    public record Position(Instant cursor, boolean baselineDone) {
    }

    public Position lockAndRead(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO source_state (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, source);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cursor_at, baseline_done FROM source_state WHERE name = ? FOR UPDATE")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp cursor = rs.getTimestamp(1);
                return new Position(cursor == null ? null : cursor.toInstant(), rs.getBoolean(2));
            }
        }
    }

    public void recordSuccess(Connection c, String source, Instant cursor, int records, int events)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE source_state SET cursor_at = ?, baseline_done = TRUE, last_poll_at = now(),
                       last_success_at = now(), last_result = 'ok', last_error = NULL, last_records = ?,
                       last_events = ?, polls_ok = polls_ok + 1, events_total = events_total + ?
                 WHERE name = ?
                """)) {
            ps.setTimestamp(1, cursor == null ? null : Timestamp.from(cursor));
            ps.setInt(2, records);
            ps.setInt(3, events);
            ps.setInt(4, events);
            ps.setString(5, source);
            ps.executeUpdate();
        }
    }

    /** In its own transaction: the failed cycle's was rolled back, but operators must see the failure. */
    public void recordFailure(Connection c, String source, String error) throws SQLException {
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
}
