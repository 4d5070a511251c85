package dev.appointmentbridge.delivery.store;

import dev.appointmentbridge.common.NativeColumn;
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
 * Every transaction that moves a row into or out of 'pending' first takes the locks of the keys it touches, then (in a
 * later statement, so with a snapshot that sees every earlier holder's commit) sets head. Two writers of one key
 * therefore never both decide from a snapshot that misses the other's row, while writers of different keys never
 * wait for each other (the receiving endpoint's concurrent batches of new appointments commit side by side):
 * <ol>
 * <li>the key's bucket of 128, shared: releases that locked buckets exclusively (and so waited for each other on
 * different keys of a bucket) still exclude this one on a shared key, during a rolling upgrade;</li>
 * <li>a transaction of at most {@value #KEY_LOCKS} keys takes the gate shared and then one lock per key; one with more
 * (a large poll page, a replay batch) takes the gate exclusively instead, so no transaction takes more than 128 + 1 +
 * {@value #KEY_LOCKS} locks (PostgreSQL's lock table is small).</li>
 * </ol>
 * Always in that order, each kind ascending, so two transactions never wait for each other in a cycle. One call per
 * transaction.
 */
@ApplicationScoped
public class DeliveryOrder {

    /** Advisory lock class of the buckets (the two-int form, apart from any one-bigint lock). */
    private static final int BUCKET_CLASS = 25_0001;

    /** Advisory lock class of single keys (their 32-bit hash). */
    private static final int KEY_CLASS = 25_0002;

    /** Advisory lock class of the gate between per-key and all-keys transactions (key 0). */
    private static final int GATE_CLASS = 25_0003;

    /** Most keys a transaction locks one by one; above, it takes the gate exclusively. */
    static final int KEY_LOCKS = 256;

    /** The locks of the keys in {@code k(t, a)}, in the order above: the CTE {@code order_locks(locks)}. */
    private static final String LOCK = """
            , m AS (SELECT count(*) > %4$d AS many FROM k),
            order_locks AS (
            SELECT count(CASE WHEN s.c = 1 THEN pg_advisory_xact_lock_shared(%1$d, s.n)
                              WHEN s.c = 2 AND s.n = 0 THEN pg_advisory_xact_lock_shared(%3$d, 0)
                              WHEN s.c = 2 THEN pg_advisory_xact_lock(%3$d, 0)
                              ELSE pg_advisory_xact_lock(%2$d, s.n) END) AS locks
              FROM (SELECT DISTINCT 1 AS c, hashtext(t || '/' || a) & 127 AS n FROM k
                    UNION ALL SELECT 2, CASE WHEN many THEN 1 ELSE 0 END FROM m
                    UNION ALL SELECT DISTINCT 3, hashtext(t || '/' || a) FROM k, m WHERE NOT many
                    ORDER BY 1, 2) s)
            """.formatted(BUCKET_CLASS, KEY_CLASS, GATE_CLASS, KEY_LOCKS);

    /**
     * The locks of the keys given as two arrays, {@code :lockTargets} and {@code :lockAppointments}, as CTEs ending in
     * {@code order_locks(locks)}: the statement that stores events takes its outbox rows' locks with them (Outbox), one
     * round trip fewer than {@link #lockKeys} before the rows' insert, which then runs as the later statement.
     */
    public static final String LOCK_KEYS_CTE = """
            k AS (SELECT DISTINCT t, a
                    FROM unnest(CAST(:lockTargets AS text[]), CAST(:lockAppointments AS text[])) AS k(t, a))
            """ + LOCK;

    private static final String LOCK_KEYS = "WITH " + LOCK_KEYS_CTE + "SELECT locks FROM order_locks";

    private static final String LOCK_ROWS = """
            WITH k AS (SELECT DISTINCT target AS t, appointment_id AS a FROM delivery
                        WHERE id = ANY(CAST(:ids AS bigint[])))
            """ + LOCK + "SELECT locks FROM order_locks";

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
        NativeColumn.select(session, LOCK_KEYS, "locks", Long.class).setParameter("lockTargets", targets)
                .setParameter("lockAppointments", appointmentIds).getSingleResult();
    }

    /** Locks the keys of existing rows; call before changing their status. */
    public void lockRows(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            NativeColumn.select(session, LOCK_ROWS, "locks", Long.class).setParameter("ids", ids.toArray(new Long[0]))
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
        return NativeColumn.values(NativeColumn.select(session, STRANDED, "id", Long.class).setParameter("limit", limit)
                .getResultList(), Long.class);
    }
}
