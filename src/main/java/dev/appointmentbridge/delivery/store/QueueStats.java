package dev.appointmentbridge.delivery.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;

import org.hibernate.StatelessSession;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Read-only figures of the outbox for the queue gauges, each one short transaction of its own. */
@ApplicationScoped
public class QueueStats {

    @Inject
    StatelessSession session;

    /**
     * Pending count and age in seconds of the oldest pending delivery of the given targets, for the queue gauges
     * (the worker passes its enabled targets: a disabled one's backlog is not scanned every few seconds).
     */
    public long[] queueStats(Collection<String> configured) {
        if (configured.isEmpty()) {
            return new long[] { 0, 0 };
        }
        Object[] row = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                "select count(d), min(d.createdAt) from DeliveryEntity d where d.status = 'pending'"
                        + " and d.target in :targets", Object[].class)
                .setParameter("targets", configured).getSingleResult());
        OffsetDateTime oldest = (OffsetDateTime) row[1];
        long age = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), Instant.now()).toSeconds());
        return new long[] { (Long) row[0], age };
    }

    /**
     * What stops vacuum from cleaning the outbox: the age in seconds of the oldest snapshot any session holds (a
     * report, a stuck transaction; sessions of other roles count only where this role may read their activity, e.g.
     * with pg_read_all_stats), and the delivery table's dead row versions.
     */
    public long[] vacuumStats() {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> session.createNativeQuery("""
                SELECT CAST(COALESCE(EXTRACT(EPOCH FROM max(now() - a.xact_start)), 0) AS bigint),
                       CAST(COALESCE((SELECT n_dead_tup FROM pg_stat_user_tables
                                       WHERE relid = CAST('delivery' AS regclass)), 0) AS bigint)
                  FROM pg_stat_activity a
                 WHERE (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
                   AND a.pid <> pg_backend_pid()""", Object[].class)
                .getSingleResult());
        return new long[] { ((Number) row[0]).longValue(), ((Number) row[1]).longValue() };
    }
}
