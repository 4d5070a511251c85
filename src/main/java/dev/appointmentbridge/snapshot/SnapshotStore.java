package dev.appointmentbridge.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Snapshot reads and writes inside a poll cycle's transaction: one query per page to load, one to
 * upsert (arrays + unnest), so cost follows the number of changed records, not the store's size.
 */
@ApplicationScoped
public class SnapshotStore {

    private static final String LOAD = """
            SELECT appointment_id, status, start_at, end_at, duration_minutes, provider_id, location_id,
                   patient_id, replaces_id, replaced_by_id, content_hash, last_updated
              FROM appointment_snapshot
             WHERE source = ? AND appointment_id = ANY(?)
            """;

    private static final String INSERT_ROWS = """
            INSERT INTO appointment_snapshot (source, appointment_id, status, start_at, end_at, duration_minutes,
                   provider_id, location_id, patient_id, replaces_id, replaced_by_id, content_hash, last_updated,
                   last_seen_at)
            SELECT ?, a, s, st::timestamptz, en::timestamptz, d::int, pr, lo, pa, rp, rb, h, lu::timestamptz, now()
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[])
                   AS x(a, s, st, en, d, pr, lo, pa, rp, rb, h, lu)
            """;

    private static final String ON_CONFLICT = """
            ON CONFLICT (source, appointment_id) DO UPDATE SET
                   status = EXCLUDED.status, start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at,
                   duration_minutes = EXCLUDED.duration_minutes, provider_id = EXCLUDED.provider_id,
                   location_id = EXCLUDED.location_id, patient_id = EXCLUDED.patient_id,
                   replaces_id = EXCLUDED.replaces_id, replaced_by_id = EXCLUDED.replaced_by_id,
                   content_hash = EXCLUDED.content_hash, last_updated = EXCLUDED.last_updated,
                   last_seen_at = EXCLUDED.last_seen_at
            """;

    private static final String UPSERT = INSERT_ROWS + ON_CONFLICT;

    public boolean isEmpty(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT NOT EXISTS (SELECT 1 FROM appointment_snapshot WHERE source = ?)")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public Map<String, Snapshot> load(Connection c, String source, Collection<String> ids) throws SQLException {
        Map<String, Snapshot> found = new HashMap<>(ids.size() * 2);
        if (ids.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setString(1, source);
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer duration = (Integer) rs.getObject(5);
                    found.put(rs.getString(1), new Snapshot(rs.getString(1), rs.getString(2), instant(rs, 3),
                            instant(rs, 4), duration, rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), rs.getString(11), instant(rs, 12)));
                }
            }
        }
        return found;
    }

    public void upsert(Connection c, String source, Collection<Snapshot> snapshots) throws SQLException {
        write(c, source, snapshots, UPSERT);
    }

    /** Plain insert for ids known to be new (a first sync): skips ON CONFLICT's speculative insertion. */
    public void insertNew(Connection c, String source, Collection<Snapshot> snapshots) throws SQLException {
        write(c, source, snapshots, INSERT_ROWS);
    }

    private void write(Connection c, String source, Collection<Snapshot> snapshots, String sql) throws SQLException {
        if (snapshots.isEmpty()) {
            return;
        }
        int n = snapshots.size();
        String[][] cols = new String[12][n];
        int i = 0;
        for (Snapshot s : snapshots) {
            cols[0][i] = s.appointmentId();
            cols[1][i] = s.status();
            cols[2][i] = text(s.start());
            cols[3][i] = text(s.end());
            cols[4][i] = s.durationMinutes() == null ? null : s.durationMinutes().toString();
            cols[5][i] = s.providerId();
            cols[6][i] = s.locationId();
            cols[7][i] = s.patientId();
            cols[8][i] = s.replacesId();
            cols[9][i] = s.replacedById();
            cols[10][i] = s.contentHash();
            cols[11][i] = text(s.lastUpdated());
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, source);
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 2, c.createArrayOf("text", cols[col]));
            }
            ps.executeUpdate();
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
