package dev.appointmentbridge.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.appointmentbridge.common.SafeUrl;
import dev.appointmentbridge.delivery.DeliveryWorker;
import dev.appointmentbridge.delivery.TargetHealth;
import dev.appointmentbridge.delivery.TargetRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Operator queries and actions over targets and deliveries. */
@ApplicationScoped
public class DeliveryAdminService {

    private static final String SELECT = """
            SELECT d.id, d.event_id, e.uuid::text, e.type, e.appointment_id, d.target, d.status, d.attempts,
                   d.created_at, d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error, d.sent_at
              FROM delivery d JOIN event e ON e.id = d.event_id
            """;

    @Inject
    DataSource dataSource;

    @Inject
    TargetRegistry targets;

    @Inject
    DeliveryWorker worker;

    @Inject
    TargetHealth health;

    public List<TargetView> targets() throws SQLException {
        List<TargetView> views = new ArrayList<>();
        for (TargetHealth.Status st : health.all()) {
            TargetRegistry.Target t = st.target();
            String[] lastError = lastError(t.name());
            views.add(new TargetView(t.name(), SafeUrl.of(t.config().url()), t.config().format().name().toLowerCase(),
                    t.events().stream().map(e -> e.wireName()).sorted().toList(), !st.disabled(),
                    targets.disabledReason(t.name()).orElse(null), t.signer() != null ? "configured" : null,
                    t.config().bearerToken().isPresent() ? "configured" : null,
                    List.copyOf(t.config().headers().keySet()), st.health(), st.successRate(), st.queueDepth(),
                    st.oldestPendingAt(), st.deliveries(), lastError[0], lastError[1]));
        }
        return views;
    }

    private String[] lastError(String target) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT a.error, a.attempted_at FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id
                         WHERE d.target = ? AND a.error IS NOT NULL ORDER BY a.id DESC LIMIT 1
                        """)) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getTimestamp(2).toInstant().toString() }
                        : new String[2];
            }
        }
    }

    public List<DeliveryView> deliveries(String status, String target, Long eventId, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (status != null) {
            sql.append(" AND d.status = ?");
            params.add(status);
        }
        if (target != null) {
            sql.append(" AND d.target = ?");
            params.add(target);
        }
        if (eventId != null) {
            sql.append(" AND d.event_id = ?");
            params.add(eventId);
        }
        sql.append(" ORDER BY d.id DESC LIMIT ?");
        params.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<DeliveryView> views = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    views.add(view(rs, null));
                }
            }
            return views;
        }
    }

    public Optional<DeliveryView> delivery(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT + " WHERE d.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(view(rs, attempts(c, id)));
            }
        }
    }

    /** Sends a delivery again now, whatever its status; its attempt count starts over. */
    public boolean retry(long id) throws SQLException {
        int updated = update("""
                UPDATE delivery SET status = 'pending', next_attempt_at = now(), attempts = 0 WHERE id = ?
                """, ps -> ps.setLong(1, id));
        worker.wake();
        return updated == 1;
    }

    /** Re-queues the target's dead and sent deliveries created since {@code since}. */
    public int replay(String target, OffsetDateTime since) throws SQLException {
        int updated = update("""
                UPDATE delivery SET status = 'pending', next_attempt_at = now(), attempts = 0
                 WHERE target = ? AND status IN ('dead', 'sent') AND created_at >= ?
                """, ps -> {
            ps.setString(1, target);
            ps.setTimestamp(2, Timestamp.from(since.toInstant()));
        });
        worker.wake();
        return updated;
    }

    public void enable(String target) throws SQLException {
        targets.enable(target);
        worker.wake();
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    private static List<DeliveryView.Attempt> attempts(Connection c, long id) throws SQLException {
        List<DeliveryView.Attempt> attempts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT attempt, attempted_at, status_code, duration_ms, error, response_body, instance
                  FROM delivery_attempt WHERE delivery_id = ? ORDER BY id
                """)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attempts.add(new DeliveryView.Attempt(rs.getInt(1), time(rs, 2), (Integer) rs.getObject(3),
                            rs.getInt(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return attempts;
    }

    private static DeliveryView view(ResultSet rs, List<DeliveryView.Attempt> attempts) throws SQLException {
        return new DeliveryView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), time(rs, 9), time(rs, 10), time(rs, 11),
                (Integer) rs.getObject(12), rs.getString(13), time(rs, 14), attempts);
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant().toString();
    }
}
