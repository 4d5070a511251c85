package dev.appointmentbridge.delivery.store;

import dev.appointmentbridge.common.NativeColumn;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.common.InstanceName;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The delivery worker's queue operations on {@link DeliveryEntity} and {@link DeliveryAttemptEntity}: claim
 * due rows, record outcomes, all in batches, each call one JTA transaction. The claim and the outcome update
 * and the batch writes are native SQL on the session: HQL has no {@code FOR UPDATE SKIP LOCKED} in a
 * subquery and no update from a list of rows, and a batch is one statement (arrays + unnest) whatever its size.
 */
@ApplicationScoped
public class DeliveryStore {

    /**
     * SKIP LOCKED lets replicas claim disjoint rows; pushing next_attempt_at forward by the lease makes a
     * row due again if this worker dies before recording an outcome (at-least-once). Only head rows are claimed
     * (DeliveryOrder: no older row of their key is pending, in flight or backing off), so the claim is one range of
     * {@code delivery_claim_idx (target, next_attempt_at, id)} and stops after {@code :limit} rows, whatever the
     * planner knows about the table, and never enters another target's backlog.
     * <p>
     * {@code id = ANY(ARRAY(...))} rather than a join to a CTE: once the driver switches to a generic plan,
     * the planner cannot see the LIMIT and hash-joins the CTE against a sequential scan of the whole
     * delivery table, which only grows; the array form keeps a primary-key lookup.
     */
    private static final String CLAIM = """
            UPDATE delivery d
               SET next_attempt_at = now() + make_interval(secs => :lease), attempts = d.attempts + 1,
                   claim = d.claim + 1, in_flight_until = now() + make_interval(secs => :lease)
              FROM event e
             WHERE d.id = ANY(ARRAY(%s FOR UPDATE SKIP LOCKED))
               AND e.id = d.event_id
            RETURNING d.id, d.target, d.attempts, e.uuid, e.type, e.occurred_at, e.payload, d.claim, d.created_at,
                      d.sequence, d.source, d.appointment_id
            """.formatted(DeliveryStore.CANDIDATES);

    /** The rows a claim takes (its plan is checked by QueueClaimTest). */
    public static final String CANDIDATES = """
            SELECT c.id FROM delivery c
             WHERE c.target = :target AND c.status = 'pending' AND c.head AND c.next_attempt_at <= now()
             ORDER BY c.next_attempt_at, c.id
             LIMIT :limit""";

    /**
     * One statement for a whole batch of outcomes: the arrays are zipped row by row. Fenced: a row is updated
     * only if it still carries the claim the outcome was sent under, so a worker that outlived its lease (and
     * whose row another worker claimed since) cannot overwrite the newer outcome. A paced attempt (the receiver
     * asked to slow down) gives its attempt back: {@code attempts} counts the schedule's attempts only.
     */
    private static final String RECORD = """
            UPDATE delivery d
               SET status = x.status, next_attempt_at = COALESCE(x.next_at, d.next_attempt_at),
                   attempts = GREATEST(d.attempts - x.refund, 0),
                   last_attempt_at = x.at, last_status_code = x.code, last_error = x.err,
                   sent_at = CASE WHEN x.status = 'sent' THEN x.at ELSE d.sent_at END, in_flight_until = NULL
              FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[]), CAST(:nextAts AS timestamptz[]),
                          CAST(:ats AS timestamptz[]), CAST(:codes AS int[]), CAST(:errors AS text[]),
                          CAST(:claims AS bigint[]), CAST(:refunds AS int[]))
                   AS x(id, status, next_at, at, code, err, claim, refund)
             WHERE d.id = x.id AND d.claim = x.claim
            RETURNING d.id
            """;

    private static final String INSERT_ATTEMPTS = """
            INSERT INTO delivery_attempt (delivery_id, attempt, attempted_at, status_code, duration_ms, error,
                                          response_body, instance)
            SELECT x.*, :instance
              FROM unnest(CAST(:ids AS bigint[]), CAST(:attempts AS int[]), CAST(:ats AS timestamptz[]),
                          CAST(:codes AS int[]), CAST(:durations AS int[]), CAST(:errors AS text[]),
                          CAST(:bodies AS text[])) AS x
            """;

    @Inject
    StatelessSession session;

    @Inject
    DeliveryOrder order;

    @Inject
    TargetSequences sequences;

    /** Claims up to {@code limit} due deliveries of one target, oldest due first. */
    public List<ClaimedDelivery> claim(String target, int limit, Duration lease) {
        if (limit <= 0) {
            return List.of();
        }
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> number(session.createNativeQuery(CLAIM,
                Object[].class)
                .addScalar("id", Long.class).addScalar("target", String.class).addScalar("attempts", Integer.class)
                .addScalar("uuid", UUID.class).addScalar("type", String.class)
                .addScalar("occurred_at", Instant.class).addScalar("payload", String.class)
                .addScalar("claim", Long.class).addScalar("created_at", Instant.class)
                .addScalar("sequence", Long.class).addScalar("source", String.class)
                .addScalar("appointment_id", String.class)
                .setParameter("lease", lease.toMillis() / 1000.0)
                .setParameter("target", target)
                .setParameter("limit", limit).getResultList(), target));
        List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            claimed.add(new ClaimedDelivery((Long) r[0], (String) r[1], (Integer) r[2], r[3].toString(),
                    (String) r[4], r[5].toString(), (String) r[6], (Long) r[7], (Instant) r[8], (Long) r[9], (String) r[10], (String) r[11]));
        }
        return claimed;
    }

    /**
     * Numbers the claimed rows that have no number yet: a row takes its number in its target's sequence when it is
     * first claimed, in the claim's transaction, which holds the target's row of {@code target_sequence} until it
     * commits; so numbers are gapless, never reused, and become visible in the order they were taken (the feed reads
     * up to the last one taken). The claim takes at most one row of an appointment (head), so one appointment's rows
     * are numbered in order; within a claim, in id order. Taking the number here rather than where the event is stored
     * keeps that row lock out of the receiving endpoint's commits (docs/benchmarks.md).
     */
    private List<Object[]> number(List<Object[]> rows, String target) {
        List<Object[]> unnumbered = rows.stream().filter(r -> r[9] == null)
                .sorted(java.util.Comparator.comparingLong(r -> (Long) r[0])).toList();
        if (unnumbered.isEmpty()) {
            return rows;
        }
        long next = sequences.take(new java.util.TreeMap<>(java.util.Map.of(target, (long) unnumbered.size())))
                .get(target);
        Long[] ids = new Long[unnumbered.size()];
        Long[] numbers = new Long[unnumbered.size()];
        for (int i = 0; i < unnumbered.size(); i++) {
            unnumbered.get(i)[9] = next + i;
            ids[i] = (Long) unnumbered.get(i)[0];
            numbers[i] = next + i;
        }
        session.createNativeMutationQuery("""
                UPDATE delivery d SET sequence = x.seq
                  FROM unnest(CAST(:ids AS bigint[]), CAST(:numbers AS bigint[])) AS x(id, seq)
                 WHERE d.id = x.id AND d.sequence IS NULL""")
                .setParameter("ids", ids).setParameter("numbers", numbers).executeUpdate();
        return rows;
    }

    /**
     * Writes a batch of outcomes and their attempt rows in one transaction. Attempt rows are written for every
     * attempt made (the request did go out); a delivery's status only moves for outcomes whose claim still holds.
     *
     * @return how many outcomes were stale (their claim superseded) and dropped
     */
    public int record(List<AttemptOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        int n = outcomes.size();
        Long[] ids = new Long[n];
        String[] statuses = new String[n];
        OffsetDateTime[] nextAts = new OffsetDateTime[n];
        OffsetDateTime[] ats = new OffsetDateTime[n];
        Integer[] codes = new Integer[n];
        String[] errors = new String[n];
        Long[] claims = new Long[n];
        Integer[] refunds = new Integer[n];
        List<AttemptOutcome> attempted = new ArrayList<>(n);
        List<Long> finished = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AttemptOutcome o = outcomes.get(i);
            ids[i] = o.deliveryId();
            statuses[i] = o.status();
            nextAts[i] = utc(o.nextAttemptAt());
            ats[i] = utc(o.attemptedAt());
            codes[i] = o.statusCode();
            errors[i] = o.error();
            claims[i] = o.claim();
            refunds[i] = o.paced() ? 1 : 0;
            if (o.recordsAttempt()) {
                attempted.add(o);
            }
            if (!"pending".equals(o.status())) {
                finished.add(o.deliveryId());
            }
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            order.lockRows(finished);
            int updated = NativeColumn.select(session, RECORD, "id", Long.class).setParameter("ids", ids)
                    .setParameter("statuses", statuses).setParameter("nextAts", nextAts).setParameter("ats", ats)
                    .setParameter("codes", codes).setParameter("errors", errors).setParameter("claims", claims)
                    .setParameter("refunds", refunds).getResultList().size();
            order.rehead(finished); // the next row of each finished key may go
            if (!attempted.isEmpty()) {
                insertAttempts(attempted);
            }
            return n - updated;
        });
    }

    private void insertAttempts(List<AttemptOutcome> attempted) {
        session.createNativeMutationQuery(INSERT_ATTEMPTS)
                .setParameter("ids", attempted.stream().map(AttemptOutcome::deliveryId).toArray(Long[]::new))
                .setParameter("attempts", attempted.stream().map(AttemptOutcome::attempt).toArray(Integer[]::new))
                .setParameter("ats", attempted.stream().map(o -> utc(o.attemptedAt())).toArray(OffsetDateTime[]::new))
                .setParameter("codes", attempted.stream().map(AttemptOutcome::statusCode).toArray(Integer[]::new))
                .setParameter("durations", attempted.stream().map(AttemptOutcome::durationMs).toArray(Integer[]::new))
                .setParameter("errors", attempted.stream().map(AttemptOutcome::error).toArray(String[]::new))
                .setParameter("bodies", attempted.stream().map(AttemptOutcome::responseBody).toArray(String[]::new))
                .setParameter("instance", InstanceName.get()).executeUpdate();
    }

    /** What an operator's retry of one delivery did. */
    public enum Retry {
        QUEUED, NOT_FOUND,
        /** Skipped: the target's format cannot carry the event, so it is never sent (and takes no number). */
        SKIPPED,
        /** A newer delivery of its appointment was sent since: retrying would send an older state after it. */
        FOLLOWED
    }

    /**
     * Whether a newer delivery of the same appointment to the same target was sent (through event_appointment_idx and
     * the (event, target) key: the work is the appointment's, not the target's).
     */
    private static final String FOLLOWED = """
            SELECT EXISTS (SELECT 1 FROM event e JOIN delivery n ON n.event_id = e.id AND n.target = d.target
                            WHERE e.appointment_id = d.appointment_id AND n.id > d.id AND n.status = 'sent'
                              AND (n.source = d.source OR n.source = '' OR d.source = ''))
                   AS followed, d.status
              FROM delivery d WHERE d.id = :id""";

    /**
     * Sends a delivery again as soon as its turn comes, whatever its status; its attempts start over and its claim
     * moves on, so an attempt in flight for it records nothing. A sent or dead delivery that a newer one of its
     * appointment followed is re-sent only with {@code force} (else it would arrive after the newer state).
     */
    public Retry requeue(long id, boolean force) {
        return QuarkusTransaction.requiringNew().call(() -> {
            order.lockRows(List.of(id));
            List<Object[]> found = session.createNativeQuery(FOLLOWED, Object[].class)
                    .addScalar("followed", Boolean.class).addScalar("status", String.class).setParameter("id", id)
                    .getResultList();
            if (found.isEmpty()) {
                return Retry.NOT_FOUND;
            }
            if ("skipped".equals(found.get(0)[1])) {
                return Retry.SKIPPED;
            }
            if ((Boolean) found.get(0)[0] && !force) {
                return Retry.FOLLOWED;
            }
            return requeue(List.of(id), "'pending', 'sent', 'dead'") > 0 ? Retry.QUEUED : Retry.NOT_FOUND;
        });
    }

    /**
     * Re-queues a target's dead and sent deliveries created since {@code since}, oldest first, in transactions of
     * {@value #REQUEUE_BATCH} rows (each locks its keys, DeliveryOrder). Only rows that existed when the replay began,
     * each once: a row replayed and sent again meanwhile is not replayed twice. Returns how many.
     */
    public int requeue(String target, OffsetDateTime since) {
        long[] range = QuarkusTransaction.requiringNew().call(() -> {
            Object[] r = session.createNativeQuery("""
                    SELECT COALESCE((SELECT min(id) FROM delivery WHERE status <> 'pending' AND created_at >= :since),
                                    1) - 1,
                           (SELECT COALESCE(max(id), 0) FROM delivery)""", Object[].class)
                    .setParameter("since", since).getSingleResult();
            return new long[] { ((Number) r[0]).longValue(), ((Number) r[1]).longValue() };
        });
        int[] requeued = { 0 };
        long after = range[0];
        while (true) {
            long from = after;
            List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
                List<Long> batch = NativeColumn.values(NativeColumn.select(session, REPLAY_BATCH, "id", Long.class).setParameter("target", target)
                        .setParameter("after", from).setParameter("through", range[1]).setParameter("since", since)
                        .setParameter("batch", REQUEUE_BATCH).getResultList(), Long.class);
                requeued[0] += requeue(batch, "'sent', 'dead'");
                return batch;
            });
            if (ids.size() < REQUEUE_BATCH) {
                return requeued[0];
            }
            after = ids.get(ids.size() - 1);
        }
    }

    /**
     * The next replay batch in id order, so each appointment's rows are pending again oldest first; one ordered range
     * of delivery_target_idx (target, status, id) per status, merged: the work is the batch's, not the target's.
     */
    private static final String REPLAY_BATCH = """
            SELECT id FROM (
                (SELECT id FROM delivery WHERE target = :target AND status = 'dead' AND id > :after AND id <= :through
                    AND created_at >= :since ORDER BY id LIMIT :batch)
                UNION ALL
                (SELECT id FROM delivery WHERE target = :target AND status = 'sent' AND id > :after AND id <= :through
                    AND created_at >= :since ORDER BY id LIMIT :batch)) x
             ORDER BY id LIMIT :batch""";

    private static final int REQUEUE_BATCH = 1000;

    /**
     * Pending again, claim moved on. A newer row of the same key that may be in flight (pending and head) has its
     * claim moved on too and goes again after the re-queued ones: its answer, if any, records nothing, so the
     * appointment's newest state is the last one the receiver gets, never an older one after it. The re-queued rows
     * wait until what is in flight of their appointment has ended (at most its lease).
     */
    private int requeue(List<Long> ids, String fromStatuses) {
        order.lockRows(ids);
        Long[] array = ids.toArray(new Long[0]);
        // Each waits until no delivery of its appointment from itself on is in flight (their claims' leases): the
        // receiver never has an older state on the wire beside a newer one, the older finishing last.
        int updated = session.createNativeMutationQuery("""
                UPDATE delivery r SET status = 'pending', attempts = 0, claim = r.claim + 1,
                       next_attempt_at = GREATEST(now(), (SELECT max(f.in_flight_until) FROM delivery f
                                                           WHERE f.status = 'pending' AND f.target = r.target
                                                             AND f.appointment_id = r.appointment_id
                                                             AND f.id >= r.id AND f.in_flight_until > now()))
                 WHERE r.id = ANY(CAST(:ids AS bigint[])) AND r.status IN (%s)""".formatted(fromStatuses))
                .setParameter("ids", array).executeUpdate();
        session.createNativeMutationQuery("""
                UPDATE delivery n SET claim = n.claim + 1, next_attempt_at = LEAST(n.next_attempt_at, now())
                  FROM (SELECT target, appointment_id, min(id) AS first FROM delivery
                         WHERE id = ANY(CAST(:ids AS bigint[])) GROUP BY 1, 2) k
                 WHERE n.target = k.target AND n.appointment_id = k.appointment_id AND n.status = 'pending'
                   AND n.head AND n.id > k.first AND n.id <> ALL(CAST(:ids AS bigint[]))""")
                .setParameter("ids", array).executeUpdate();
        order.rehead(ids);
        return updated;
    }

    /**
     * Releases up to {@code limit} pending rows that wait behind nothing (DeliveryOrder.stranded): a replica of an
     * earlier release recorded the outcome they waited for without releasing them. Returns how many.
     */
    public int releaseStranded(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Long> ids = order.stranded(limit);
            order.lockRows(ids);
            order.rehead(ids);
            return ids.size();
        });
    }

    /** Why a delivery of a target no longer in the configuration was given up (its last_error). */
    public static final String TARGET_REMOVED = "target removed from the configuration of every replica";

    /**
     * Marks the pending deliveries (stored longer ago than {@code olderThan}) of targets not in {@code configured} dead ({@link #TARGET_REMOVED}): nothing
     * would ever claim them, retention keeps pending rows for ever, and they would hold the oldest-pending gauge up.
     * In batches of {@code batch} rows, each its own short transaction. Returns how many. A target configured again
     * gets them back with a replay.
     */
    public java.util.Map<String, Long> retireRemovedTargets(Collection<String> configured, Duration olderThan,
            int batch) {
        String[] names = configured.toArray(new String[0]);
        double age = (double) olderThan.toSeconds();
        // The targets with rows, by a skip scan of delivery_target_idx (one probe per target, whatever the backlog),
        // then those not served that have an old pending row: this runs every minute.
        List<String> removed = QuarkusTransaction.requiringNew().call(() -> NativeColumn.values(NativeColumn.select(session, """
                WITH RECURSIVE t AS (
                    SELECT min(target) AS target FROM delivery
                    UNION ALL
                    SELECT (SELECT min(d.target) FROM delivery d WHERE d.target > t.target) FROM t
                     WHERE t.target IS NOT NULL)
                SELECT t.target FROM t
                 WHERE t.target IS NOT NULL AND t.target <> ALL(CAST(:names AS text[]))
                   AND EXISTS (SELECT 1 FROM delivery p WHERE p.target = t.target AND p.status = 'pending'
                                  AND p.created_at < now() - make_interval(secs => :age))""", "target", String.class)
                .setParameter("names", names).setParameter("age", age).getResultList(), String.class));
        java.util.Map<String, Long> retired = new java.util.TreeMap<>();
        for (String target : removed) {
            while (true) {
                int[] done = QuarkusTransaction.requiringNew().call(() -> {
                    List<Long> ids = NativeColumn.values(NativeColumn.select(session, """
                            SELECT id FROM delivery WHERE target = :target AND status = 'pending'
                               AND created_at < now() - make_interval(secs => :age)
                             ORDER BY id LIMIT :batch""", "id", Long.class)
                            .setParameter("target", target).setParameter("age", age).setParameter("batch", batch)
                            .getResultList(), Long.class);
                    // under the keys' locks: a replica that still has the target may be inserting behind these rows
                    order.lockRows(ids);
                    int updated = session.createNativeMutationQuery("""
                            UPDATE delivery SET status = 'dead', last_error = :reason, claim = claim + 1
                             WHERE id = ANY(CAST(:ids AS bigint[])) AND status = 'pending'""")
                            .setParameter("reason", TARGET_REMOVED).setParameter("ids", ids.toArray(new Long[0]))
                            .executeUpdate();
                    order.rehead(ids);
                    return new int[] { ids.size(), updated };
                });
                retired.merge(target, (long) done[1], Long::sum);
                if (done[0] < batch) {
                    break;
                }
            }
        }
        retired.values().removeIf(n -> n == 0);
        return retired;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
