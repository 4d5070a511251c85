package dev.appointmentbridge.delivery.store;

import java.util.Collection;
import java.util.List;

import org.hibernate.StatelessSession;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps {@code delivery.head}: true on a pending row while no older pending row of its (target, source, appointment)
 * exists, so each target gets one appointment's events in order and the claim needs no anti-join. Rows of the same
 * id from two sources are different appointments; rows stored before the source was kept (source '') are ordered
 * against every source's rows of their id.
 * <p>
 * Every transaction that moves a row into or out of 'pending' first takes the advisory locks of the keys it
 * touches, then (in a later statement, so with a snapshot that sees every earlier holder's commit) sets head. Two
 * writers of one key therefore never both decide from a snapshot that misses the other's row. Keys share 128 lock
 * buckets: a batch of thousands of keys takes at most 128 locks (PostgreSQL's lock table is small), always in
 * ascending order, so two batches never wait for each other in a cycle.
 */
@ApplicationScoped
public class DeliveryOrder {

    /** Advisory lock class of the buckets (the two-int form, apart from any one-bigint lock). */
    private static final int LOCK_CLASS = 25_0001;

    private static final String BUCKET = "(hashtext(target || '/' || appointment_id) & 127)";

    private static final String LOCK_KEYS = """
            SELECT count(pg_advisory_xact_lock(%d, b))
              FROM (SELECT DISTINCT (hashtext(t || '/' || a) & 127) AS b
                      FROM unnest(CAST(:targets AS text[]), CAST(:appointments AS text[])) AS k(t, a)
                     ORDER BY 1) s
            """.formatted(LOCK_CLASS);

    private static final String LOCK_ROWS = """
            SELECT count(pg_advisory_xact_lock(%d, b))
              FROM (SELECT DISTINCT %s AS b FROM delivery WHERE id = ANY(CAST(:ids AS bigint[])) ORDER BY 1) s
            """.formatted(LOCK_CLASS, BUCKET);

    /** Whether an older pending row holds {@code r}'s key; index-driven with or without statistics. */
    static final String OLDER_PENDING = """
            EXISTS (SELECT 1 FROM delivery o
                     WHERE o.status = 'pending' AND o.target = %1$s.target AND o.appointment_id = %1$s.appointment_id
                       AND o.id < %1$s.id AND (o.source = %1$s.source OR o.source = '' OR %1$s.source = ''))""";

    /**
     * Sets head on every pending row of the keys of the given rows (whatever their own status now), in one pass over
     * each key's pending rows in id order: a row is blocked by an earlier row of its source, by an earlier row stored
     * without a source, or, stored without a source itself, by any earlier row. Per key through
     * delivery_pending_appointment_idx (a lateral join: no plan can read the whole backlog for a batch of keys).
     */
    private static final String REHEAD_ROWS = """
            UPDATE delivery d SET head = x.head
              FROM (SELECT p.id,
                           NOT (row_number() OVER (PARTITION BY p.target, p.appointment_id, p.source ORDER BY p.id) > 1
                                OR COALESCE(count(*) FILTER (WHERE p.source = '') OVER (
                                       PARTITION BY p.target, p.appointment_id ORDER BY p.id
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0
                                OR (p.source = '' AND row_number() OVER (PARTITION BY p.target, p.appointment_id
                                                                         ORDER BY p.id) > 1)) AS head
                      FROM (SELECT DISTINCT target, appointment_id FROM delivery
                             WHERE id = ANY(CAST(:ids AS bigint[]))) k
                      CROSS JOIN LATERAL (SELECT q.id, q.target, q.appointment_id, q.source FROM delivery q
                                           WHERE q.target = k.target AND q.appointment_id = k.appointment_id
                                             AND q.status = 'pending') p) x
             WHERE d.id = x.id AND d.head <> x.head
            """;

    /**
     * Pending rows that wait although nothing older of their key is pending: none if every writer keeps head, but a
     * replica of an earlier release (during an upgrade) records outcomes without it. Through the small
     * delivery_waiting_idx.
     */
    private static final String STRANDED = """
            SELECT w.id FROM delivery w
             WHERE w.status = 'pending' AND NOT w.head AND NOT %s
             ORDER BY w.id LIMIT :limit
            """.formatted(OLDER_PENDING.formatted("w"));

    @Inject
    StatelessSession session;

    /** Locks the keys of rows about to be inserted; call in the inserting transaction, before the insert. */
    public void lockKeys(String[] targets, String[] appointmentIds) {
        session.createNativeQuery(LOCK_KEYS, Long.class).setParameter("targets", targets)
                .setParameter("appointments", appointmentIds).getSingleResult();
    }

    /** Locks the keys of existing rows; call before changing their status. */
    public void lockRows(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            session.createNativeQuery(LOCK_ROWS, Long.class).setParameter("ids", ids.toArray(new Long[0]))
                    .getSingleResult();
        }
    }

    /** Sets head right on the pending rows of the keys of {@code ids}, after their status changed; under lockRows. */
    public void rehead(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            session.createNativeMutationQuery(REHEAD_ROWS).setParameter("ids", ids.toArray(new Long[0]))
                    .executeUpdate();
        }
    }

    /** Rows waiting for nothing (see STRANDED), up to {@code limit}; heal them with lockRows and rehead. */
    public List<Long> stranded(int limit) {
        return session.createNativeQuery(STRANDED, Long.class).setParameter("limit", limit).getResultList();
    }
}
