package dev.appointmentbridge.delivery;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.StatelessSession;

import io.quarkus.narayana.jta.QuarkusTransaction;
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
    StatelessSession session;

    @Inject
    TargetRegistry targets;

    public List<Status> all() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        Map<String, String> oldest = new LinkedHashMap<>();
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery("""
                select d.target, d.status, count(d), min(d.createdAt) filter (where d.status = 'pending')
                  from DeliveryEntity d group by d.target, d.status""", Object[].class).getResultList());
        for (Object[] r : rows) {
            counts.computeIfAbsent((String) r[0], k -> new LinkedHashMap<>()).put((String) r[1], (Long) r[2]);
            if (r[3] != null) {
                oldest.put((String) r[0], ((OffsetDateTime) r[3]).toInstant().toString());
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
    private Double recentSuccessRate(String target) {
        Object[] r = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery("""
                select count(a) filter (where a.statusCode between 200 and 299), count(a)
                  from DeliveryAttemptEntity a join DeliveryEntity d on d.id = a.deliveryId
                 where d.target = :target and a.attemptedAt > :since""", Object[].class)
                .setParameter("target", target)
                .setParameter("since", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)).getSingleResult());
        long ok = (Long) r[0];
        long all = (Long) r[1];
        return all == 0 ? null : (double) ok / all;
    }
}
