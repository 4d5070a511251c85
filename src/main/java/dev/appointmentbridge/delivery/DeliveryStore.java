package dev.appointmentbridge.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import dev.appointmentbridge.common.InstanceName;
import dev.appointmentbridge.common.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Outbox queries of the delivery worker: claim due rows, record outcomes, all in batches. */
@ApplicationScoped
public class DeliveryStore {

    /**
     * SKIP LOCKED lets replicas claim disjoint rows; pushing next_attempt_at forward by the lease makes a
     * row due again if this worker dies before recording an outcome (at-least-once). A row waits while an
     * older row of its (target, appointment) is pending, in flight or backing off, so each target sees one
     * appointment's events in order of creation; a dead row stops blocking.
     * <p>
     * {@code id = ANY(ARRAY(...))} rather than a join to a CTE: once the driver switches to a generic plan,
     * the planner cannot see the LIMIT and hash-joins the CTE against a sequential scan of the whole
     * delivery table, which only grows; the array form keeps a primary-key lookup.
     */
    private static final String CLAIM = """
            UPDATE delivery d
               SET next_attempt_at = now() + make_interval(secs => ?), attempts = d.attempts + 1
              FROM event e
             WHERE d.id = ANY(ARRAY(
                       SELECT c.id FROM delivery c
                        WHERE c.status = 'pending' AND c.next_attempt_at <= now() AND c.target = ANY(?::text[])
                          AND NOT EXISTS (SELECT 1 FROM delivery o
                                           WHERE o.status = 'pending' AND o.target = c.target
                                             AND o.appointment_id = c.appointment_id AND o.id < c.id)
                        ORDER BY c.next_attempt_at, c.id
                        LIMIT ?
                        FOR UPDATE SKIP LOCKED))
               AND e.id = d.event_id
            RETURNING d.id, d.target, d.attempts, e.uuid::text, e.type, e.occurred_at, e.payload
            """;

    private static final String RECORD = """
            UPDATE delivery d
               SET status = x.status, next_attempt_at = COALESCE(x.next_at::timestamptz, d.next_attempt_at),
                   last_attempt_at = x.at::timestamptz, last_status_code = x.code::int, last_error = x.err,
                   sent_at = CASE WHEN x.status = 'sent' THEN x.at::timestamptz ELSE d.sent_at END
              FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                   AS x(id, status, next_at, at, code, err)
             WHERE d.id = x.id
            """;

    private static final String ATTEMPTS = """
            INSERT INTO delivery_attempt (delivery_id, attempt, attempted_at, status_code, duration_ms, error,
                                          response_body, instance)
            SELECT id, n::int, at::timestamptz, code::int, ms::int, err, body, ?
              FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                   AS x(id, n, at, code, ms, err, body)
            """;

    @Inject
    DataSource dataSource;

    public List<ClaimedDelivery> claim(Collection<String> targets, int limit, Duration lease) throws SQLException {
        List<ClaimedDelivery> claimed = new ArrayList<>();
        if (targets.isEmpty() || limit <= 0) {
            return claimed;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setArray(2, c.createArrayOf("text", targets.toArray()));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new ClaimedDelivery(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant().toString(), rs.getString(7)));
                }
            }
        }
        return claimed;
    }

    /** Writes a batch of outcomes and their attempt rows in one transaction. */
    public void record(List<AttemptOutcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        int n = outcomes.size();
        Long[] ids = new Long[n];
        String[][] cols = new String[5][n];
        List<AttemptOutcome> attempted = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AttemptOutcome o = outcomes.get(i);
            ids[i] = o.deliveryId();
            cols[0][i] = o.status();
            cols[1][i] = o.nextAttemptAt() == null ? null : o.nextAttemptAt().toString();
            cols[2][i] = o.attemptedAt().toString();
            cols[3][i] = o.statusCode() == null ? null : o.statusCode().toString();
            cols[4][i] = o.error();
            if (o.recordsAttempt()) {
                attempted.add(o);
            }
        }
        Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                for (int col = 0; col < cols.length; col++) {
                    ps.setArray(col + 2, c.createArrayOf("text", cols[col]));
                }
                ps.executeUpdate();
            }
            insertAttempts(c, attempted);
            return null;
        });
    }

    private static void insertAttempts(Connection c, List<AttemptOutcome> attempted) throws SQLException {
        if (attempted.isEmpty()) {
            return;
        }
        int n = attempted.size();
        Long[] ids = new Long[n];
        String[][] cols = new String[6][n];
        for (int i = 0; i < n; i++) {
            AttemptOutcome o = attempted.get(i);
            ids[i] = o.deliveryId();
            cols[0][i] = Integer.toString(o.attempt());
            cols[1][i] = o.attemptedAt().toString();
            cols[2][i] = o.statusCode() == null ? null : o.statusCode().toString();
            cols[3][i] = Integer.toString(o.durationMs());
            cols[4][i] = o.error();
            cols[5][i] = o.responseBody();
        }
        try (PreparedStatement ps = c.prepareStatement(ATTEMPTS)) {
            ps.setString(1, InstanceName.get()); // the SELECT list's parameter comes first
            ps.setArray(2, c.createArrayOf("bigint", ids));
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 3, c.createArrayOf("text", cols[col]));
            }
            ps.executeUpdate();
        }
    }

    /** Pending count and age of the oldest pending delivery, for the queue gauges. */
    public long[] queueStats() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::bigint
                          FROM delivery WHERE status = 'pending'
                        """);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] { rs.getLong(1), rs.getLong(2) };
        }
    }
}
