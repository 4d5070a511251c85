package dev.appointmentbridge.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How each configured target is doing: {@code disabled}, {@code idle} (no attempt in the last hour),
 * {@code healthy} (&ge; 99% of last hour's attempts 2xx), {@code degraded} (&ge; 50%) or {@code failing}, with its
 * queue. Read by the operator view and the targets health group.
 */
@ApplicationScoped
public class TargetHealth {

    /** One target's state; {@code successRate} is null when it had no attempt in the last hour. */
    public record Status(TargetRegistry.Target target, boolean disabled, String health, Double successRate,
            long queueDepth, String oldestPendingAt, Map<String, Long> deliveries) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    TargetRegistry targets;

    public List<Status> all() throws SQLException {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        Map<String, String> oldest = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT target, status, count(*), min(created_at) FILTER (WHERE status = 'pending')
                          FROM delivery GROUP BY target, status
                        """);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
                if (rs.getTimestamp(4) != null) {
                    oldest.put(rs.getString(1), rs.getTimestamp(4).toInstant().toString());
                }
            }
        }
        List<Status> all = new ArrayList<>();
        for (TargetRegistry.Target t : targets.all()) {
            Map<String, Long> byStatus = counts.getOrDefault(t.name(), Map.of());
            boolean disabled = targets.isDisabled(t.name());
            Double rate = recentSuccessRate(t.name());
            String health = disabled ? "disabled"
                    : rate == null ? "idle" : rate >= 0.99 ? "healthy" : rate >= 0.5 ? "degraded" : "failing";
            all.add(new Status(t, disabled, health, rate, byStatus.getOrDefault("pending", 0L), oldest.get(t.name()),
                    byStatus));
        }
        return all;
    }

    /** Share of 2xx among the target's attempts of the last hour; null when there were none. */
    private Double recentSuccessRate(String target) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299), count(*)
                          FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id
                         WHERE d.target = ? AND a.attempted_at > now() - interval '1 hour'
                        """)) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long ok = rs.getLong(1);
                long all = rs.getLong(2);
                return all == 0 ? null : (double) ok / all;
            }
        }
    }
}
