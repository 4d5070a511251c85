package dev.appointmentbridge.delivery;

import java.util.Collection;

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

    /** Sets head on every pending row of the keys of the given rows (whatever their own status now). */
    private static final String REHEAD_ROWS = """
            UPDATE delivery d SET head = x.head
              FROM (SELECT p.id, NOT %s AS head
                      FROM (SELECT DISTINCT target, appointment_id FROM delivery
                             WHERE id = ANY(CAST(:ids AS bigint[]))) k
                      JOIN delivery p ON p.target = k.target AND p.appointment_id = k.appointment_id
                                     AND p.status = 'pending') x
             WHERE d.id = x.id AND d.head <> x.head
            """.formatted(OLDER_PENDING.formatted("p"));

    @Inject
    StatelessSession session;

    /** Locks the keys of rows about to be inserted; call in the inserting transaction, before the insert. */
    void lockKeys(String[] targets, String[] appointmentIds) {
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
}
