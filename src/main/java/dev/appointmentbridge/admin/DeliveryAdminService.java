package dev.appointmentbridge.admin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.delivery.store.DeliveryAttemptEntity;
import dev.appointmentbridge.delivery.store.DeliveryEntity;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import dev.appointmentbridge.delivery.DeliveryWorker;
import dev.appointmentbridge.delivery.TargetHealth;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Operator queries and actions over targets and deliveries, each one transaction. */
@ApplicationScoped
public class DeliveryAdminService {

    private static final String SELECT = """
            select d, e.uuid, e.type, e.appointmentId
              from DeliveryEntity d join EventEntity e on e.id = d.eventId""";

    @Inject
    StatelessSession session;

    @Inject
    TargetRegistry targets;

    @Inject
    DeliveryWorker worker;

    @Inject
    DeliveryStore store;

    @Inject
    TargetHealth health;

    public List<TargetView> targets() {
        List<TargetView> views = new ArrayList<>();
        for (TargetHealth.Status st : health.all()) {
            TargetRegistry.Target t = st.target();
            String[] lastError = lastError(t.name());
            views.add(new TargetView(t.name(), t.address(), t.config().format().name().toLowerCase(),
                    t.events().stream().map(e -> e.wireName()).sorted().toList(), !st.disabled(),
                    targets.disabledReason(t.name()).orElse(null), t.config().secret().isPresent() ? "configured" : null,
                    t.signer() == null ? 0 : t.signer().count(),
                    t.signer() == null ? null : t.signer().publicKey().orElse(null),
                    t.config().bearerToken().isPresent() ? "configured" : null,
                    List.copyOf(t.config().headers().keySet()), st.health(), st.successRate(), st.queueDepth(),
                    st.oldestPendingAt(), st.deliveries(), lastError[0], lastError[1]));
        }
        return views;
    }

    private String[] lastError(String target) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery("""
                select a.error, a.attemptedAt from DeliveryAttemptEntity a join DeliveryEntity d on d.id = a.deliveryId
                 where d.target = :target and a.error is not null order by a.id desc""", Object[].class)
                .setParameter("target", target).setMaxResults(1).getResultList());
        return rows.isEmpty() ? new String[2] : new String[] { (String) rows.get(0)[0], time((OffsetDateTime) rows.get(0)[1]) };
    }

    public List<DeliveryView> deliveries(String status, String target, Long eventId, int limit) {
        StringBuilder hql = new StringBuilder(SELECT).append(" where true");
        if (status != null) {
            hql.append(" and d.status = :status");
        }
        if (target != null) {
            hql.append(" and d.target = :target");
        }
        if (eventId != null) {
            hql.append(" and d.eventId = :eventId");
        }
        hql.append(" order by d.id desc");
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = session.createSelectionQuery(hql.toString(), Object[].class).setMaxResults(limit);
            if (status != null) {
                query.setParameter("status", status);
            }
            if (target != null) {
                query.setParameter("target", target);
            }
            if (eventId != null) {
                query.setParameter("eventId", eventId);
            }
            return query.getResultList().stream().map(r -> view(r, null)).toList();
        });
    }

    public Optional<DeliveryView> delivery(long id) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(SELECT + " where d.id = :id",
                Object[].class).setParameter("id", id).getResultList().stream().findFirst()
                .map(r -> view(r, attempts(id))));
    }

    /** Sends a delivery again now, whatever its status; its attempt count starts over (see DeliveryStore.requeue). */
    public DeliveryStore.Retry retry(long id, boolean force) {
        DeliveryStore.Retry found = store.requeue(id, force);
        QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                "select d.target from DeliveryEntity d where d.id = :id", String.class).setParameter("id", id)
                .getResultList()).forEach(worker::resume); // "now" also ends a pause its receiver asked for
        worker.wake();
        return found;
    }

    /** Re-queues the target's dead and sent deliveries created since {@code since}. */
    public int replay(String target, OffsetDateTime since) {
        int requeued = store.requeue(target, since);
        worker.wake();
        return requeued;
    }

    public void enable(String target) {
        targets.enable(target);
        worker.resume(target);
    }

    private List<DeliveryView.Attempt> attempts(long id) {
        return session.createSelectionQuery("from DeliveryAttemptEntity where deliveryId = :id order by id",
                DeliveryAttemptEntity.class).setParameter("id", id).getResultList().stream()
                .map(a -> new DeliveryView.Attempt(a.attempt, time(a.attemptedAt), a.statusCode, a.durationMs, a.error,
                        a.responseBody, a.instance))
                .toList();
    }

    /** {@code r}: the delivery, then its event's uuid, type and appointment id. */
    private static DeliveryView view(Object[] r, List<DeliveryView.Attempt> attempts) {
        DeliveryEntity d = (DeliveryEntity) r[0];
        return new DeliveryView(d.id, d.eventId, r[1].toString(), (String) r[2], (String) r[3], d.target, d.sequence, d.status,
                // Only a pending delivery has a next attempt; a sent one kept its last schedule in the row.
                d.attempts, time(d.createdAt), "pending".equals(d.status) ? time(d.nextAttemptAt) : null,
                time(d.lastAttemptAt), d.lastStatusCode,
                d.lastError, time(d.sentAt), attempts);
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }
}
