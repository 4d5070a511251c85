package dev.appointmentbridge.retention;

import dev.appointmentbridge.config.RetentionConfig;
import dev.appointmentbridge.delivery.store.DeliveryEntity;
import dev.appointmentbridge.delivery.store.DeliveryAttemptEntity;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.hibernate.LockMode;
import org.hibernate.StatelessSession;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Deletes what is past its retention through the entity mappings, in batches of {@code batch-size} rows,
 * each batch its own short transaction (no long lock, no huge WAL burst): first the attempts of finished
 * deliveries, then those deliveries, then events no delivery refers to any more. Pending deliveries are never
 * deleted, so their events stay (the foreign key would refuse it anyway). Replicas may run it at once: the
 * deletes are idempotent.
 */
@ApplicationScoped
public class RetentionService {

    /** Rows deleted in one run, per table. */
    public record Removed(long attempts, long deliveries, long events) {
    }

    @Inject
    StatelessSession session;

    @Inject
    RetentionConfig config;

    public Removed run() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long[] removed = new long[3];
        OffsetDateTime deliveryCutoff = now.minus(config.deliveries());
        List<Long> ids;
        do {
            ids = QuarkusTransaction.requiringNew().call(() -> {
                List<Long> batch = session.createSelectionQuery("""
                        select d.id from DeliveryEntity d
                         where d.status in ('sent', 'dead', 'skipped') and d.createdAt < :cutoff order by d.createdAt""",
                        Long.class).setParameter("cutoff", deliveryCutoff).setMaxResults(config.batchSize())
                        // locked: an operator's retry or replay may make a row pending again meanwhile, and a
                        // pending row deleted here would leave the rows behind it waiting for it for ever
                        .setHibernateLockMode(LockMode.PESSIMISTIC_WRITE).getResultList();
                if (!batch.isEmpty()) {
                    removed[0] += session.createMutationQuery("delete from DeliveryAttemptEntity where deliveryId in :ids")
                            .setParameterList("ids", batch).executeUpdate();
                    removed[1] += session.createMutationQuery("delete from DeliveryEntity where id in :ids")
                            .setParameterList("ids", batch).executeUpdate();
                }
                return batch;
            });
        } while (ids.size() == config.batchSize());
        OffsetDateTime eventCutoff = now.minus(config.events());
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> {
                List<Long> batch = session.createSelectionQuery("""
                        select e.id from EventEntity e
                         where e.receivedAt < :cutoff
                           and not exists (select 1 from DeliveryEntity d where d.eventId = e.id)
                         order by e.receivedAt""", Long.class).setParameter("cutoff", eventCutoff)
                        .setMaxResults(config.batchSize()).getResultList();
                return batch.isEmpty() ? 0 : session.createMutationQuery("delete from EventEntity where id in :ids")
                        .setParameterList("ids", batch).executeUpdate();
            });
            removed[2] += deleted;
        } while (deleted == config.batchSize());
        return new Removed(removed[0], removed[1], removed[2]);
    }
}
