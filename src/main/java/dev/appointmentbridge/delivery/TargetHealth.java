package dev.appointmentbridge.delivery;

import dev.appointmentbridge.delivery.target.TargetRegistry;
import dev.appointmentbridge.delivery.store.DeliveryEntity;
import dev.appointmentbridge.delivery.store.DeliveryAttemptEntity;
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

    /**
     * Index range reads only (statistics must not scan tables that grow with traffic): pending and
     * dead counts and the oldest pending row per target through {@code delivery_target_idx (target, status,
     * id)}; sent counts are not totalled, the last hour's attempts stand for them.
     */
    public List<Status> all() {
        List<Status> all = new ArrayList<>();
        for (TargetRegistry.Target t : targets.all()) {
            Map<String, Long> byStatus = new LinkedHashMap<>();
            String oldest = QuarkusTransaction.requiringNew().call(() -> {
                for (String status : List.of("pending", "dead")) {
                    byStatus.put(status, session.createSelectionQuery(
                            "select count(d) from DeliveryEntity d where d.target = :target and d.status = :status",
                            Long.class).setParameter("target", t.name()).setParameter("status", status)
                            .getSingleResult());
                }
                return session.createSelectionQuery("""
                        select d.createdAt from DeliveryEntity d where d.target = :target and d.status = 'pending'
                         order by d.id""", OffsetDateTime.class).setParameter("target", t.name()).setMaxResults(1)
                        .getResultList().stream().findFirst().map(o -> o.toInstant().toString()).orElse(null);
            });
            boolean disabled = targets.isDisabled(t.name());
            Double rate = recentSuccessRate(t.name());
            String health = disabled ? "disabled"
                    : rate == null ? "idle" : rate >= 0.99 ? "healthy" : rate >= 0.5 ? "degraded" : "failing";
            all.add(new Status(t, disabled, health, rate, byStatus.get("pending"), oldest, byStatus));
        }
        return all;
    }

    /**
     * Share of 2xx among the target's attempts of the last hour (through delivery_attempt_attempted_idx); null
     * when there were none. Answers that asked to slow down (paced, DeliveryWorker) are no failure and not counted.
     */
    private Double recentSuccessRate(String target) {
        Object[] r = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery("""
                select count(a) filter (where a.statusCode between 200 and 299), count(a)
                  from DeliveryAttemptEntity a join DeliveryEntity d on d.id = a.deliveryId
                 where d.target = :target and a.attemptedAt > :since
                   and (a.error is null or a.error not like :paced)""", Object[].class)
                .setParameter("target", target).setParameter("paced", "%" + DeliveryWorker.PACED + "%")
                .setParameter("since", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)).getSingleResult());
        long ok = (Long) r[0];
        long all = (Long) r[1];
        return all == 0 ? null : (double) ok / all;
    }
}
