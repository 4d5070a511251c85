package dev.appointmentbridge.poll.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.common.InstanceName;

/**
 * Writes of {@link SourceStateEntity} ({@code source_state}): lease and fencing token, cursors, baseline flag
 * and the last poll's outcome, as HQL on the caller's StatelessSession, inside its transaction. Lease times
 * are the database's ({@code current_timestamp}), so replicas with skewed clocks agree on them.
 */
final class SourceStateStore {

    private SourceStateStore() {
    }

    /**
     * Claims the source when no other replica holds an unexpired lease. This replica may always claim it
     * again (its last cycle may have failed to release it, e.g. with the database down): the new fencing
     * token makes any older cycle of its own unable to commit.
     */
    static Optional<Lease> acquire(StatelessSession session, String source, Duration lease) {
        ensureRow(session, source);
        int claimed = session.createMutationQuery("""
                update SourceStateEntity s set s.fence = s.fence + 1, s.leaseOwner = :owner,
                       s.leaseUntil = current_timestamp + :seconds second,
                       s.baselineAt = case when s.baselineDone = false and s.baselineAt is null
                                           then current_timestamp else s.baselineAt end
                 where s.name = :name and (s.leaseUntil is null or s.leaseUntil < current_timestamp
                       or s.leaseOwner = :owner)
                """).setParameter("owner", InstanceName.get()).setParameter("seconds", seconds(lease))
                .setParameter("name", source).executeUpdate();
        if (claimed == 0) {
            return Optional.empty();
        }
        SourceStateEntity s = session.get(SourceStateEntity.class, source);
        return Optional.of(new Lease(source, s.fence, instant(s.cursorAt), instant(s.historyCursorAt), s.baselineDone,
                s.deletesOffReason, lease));
    }

    /**
     * Checks the fencing token, locks the row for the rest of the transaction and renews the lease; moves the
     * cursor when {@code cursor} is not null, and stores the first history cursor while there is none.
     */
    static void renew(StatelessSession session, Lease lease, Instant cursor, Instant firstHistoryCursor) {
        int updated = session.createMutationQuery("""
                update SourceStateEntity s set s.cursorAt = coalesce(:cursor, s.cursorAt),
                       s.historyCursorAt = coalesce(s.historyCursorAt, :history),
                       s.leaseUntil = current_timestamp + :seconds second
                 where s.name = :name and s.fence = :fence
                """).setParameter("cursor", time(cursor), OffsetDateTime.class)
                .setParameter("history", time(firstHistoryCursor), OffsetDateTime.class)
                .setParameter("seconds", seconds(lease.duration())).setParameter("name", lease.source())
                .setParameter("fence", lease.fence()).executeUpdate();
        if (updated == 0) {
            throw new LeaseLostException(lease.source(), lease.fence());
        }
    }

    static void finish(StatelessSession session, Lease lease, Instant historyCursor, Instant completeThrough,
            int records, int events) {
        int updated = session.createMutationQuery("""
                update SourceStateEntity s set s.historyCursorAt = :history, s.baselineDone = true,
                       s.completeThroughAt = greatest(s.completeThroughAt, :through),
                       s.lastPollAt = current_timestamp, s.lastSuccessAt = current_timestamp, s.lastResult = 'ok',
                       s.lastError = null, s.lastRecords = :records, s.lastEvents = :events,
                       s.pollsOk = s.pollsOk + 1, s.eventsTotal = s.eventsTotal + :events, s.leaseUntil = null
                 where s.name = :name and s.fence = :fence
                """).setParameter("history", time(historyCursor), OffsetDateTime.class)
                .setParameter("through", time(completeThrough), OffsetDateTime.class)
                .setParameter("records", records).setParameter("events", events).setParameter("name", lease.source())
                .setParameter("fence", lease.fence()).executeUpdate();
        if (updated == 0) {
            throw new LeaseLostException(lease.source(), lease.fence());
        }
    }

    /** Window mode: what the scan concluded; a non-null {@code completeThrough} moves the watermark. */
    static void recordScan(StatelessSession session, Lease lease, String note, Instant completeThrough) {
        session.createMutationQuery("""
                update SourceStateEntity s set s.windowNote = :note,
                       s.completeThroughAt = coalesce(:through, s.completeThroughAt)
                 where s.name = :name and s.fence = :fence
                """).setParameter("note", note).setParameter("through", time(completeThrough), OffsetDateTime.class)
                .setParameter("name", lease.source()).setParameter("fence", lease.fence()).executeUpdate();
    }

    static Instant baselineAt(StatelessSession session, String source) {
        SourceStateEntity s = session.get(SourceStateEntity.class, source);
        return s == null ? null : instant(s.baselineAt);
    }

    static WindowStore.Sweep sweep(StatelessSession session, String source) {
        SourceStateEntity s = session.get(SourceStateEntity.class, source);
        return s == null ? new WindowStore.Sweep(null, null, 0, null)
                : new WindowStore.Sweep(instant(s.sweepDueAt), instant(s.sweepFrom), s.sweepNextUnit,
                        instant(s.sweepStartedAt));
    }

    static void recordSweep(StatelessSession session, Lease lease, WindowStore.Sweep sweep, String note) {
        int updated = session.createMutationQuery("""
                update SourceStateEntity s set s.sweepDueAt = :due, s.sweepFrom = :from, s.sweepNextUnit = :next,
                       s.sweepStartedAt = :started, s.sweepNote = coalesce(:note, s.sweepNote)
                 where s.name = :name and s.fence = :fence
                """).setParameter("due", time(sweep.dueAt()), OffsetDateTime.class)
                .setParameter("from", time(sweep.from()), OffsetDateTime.class).setParameter("next", sweep.nextUnit())
                .setParameter("started", time(sweep.startedAt()), OffsetDateTime.class)
                .setParameter("note", note).setParameter("name", lease.source()).setParameter("fence", lease.fence())
                .executeUpdate();
        if (updated == 0) {
            throw new LeaseLostException(lease.source(), lease.fence());
        }
    }

    static void release(StatelessSession session, Lease lease) {
        session.createMutationQuery(
                "update SourceStateEntity s set s.leaseUntil = null where s.name = :name and s.fence = :fence")
                .setParameter("name", lease.source()).setParameter("fence", lease.fence()).executeUpdate();
    }

    static void disableDeletes(StatelessSession session, String source, String reason) {
        session.createMutationQuery("update SourceStateEntity s set s.deletesOffReason = :reason where s.name = :name")
                .setParameter("reason", reason).setParameter("name", source).executeUpdate();
    }

    /** Clears every source's "delete detection off" flag, so the next cycle asks {@code _history} again. */
    static int retryDeleteDetection(StatelessSession session) {
        return session.createMutationQuery("update SourceStateEntity s set s.deletesOffReason = null "
                + "where s.deletesOffReason is not null").executeUpdate();
    }

    /** In its own transaction: operators must see the failure; the pages committed before it stay. */
    static void recordFailure(StatelessSession session, String source, String error) {
        ensureRow(session, source);
        session.createMutationQuery("""
                update SourceStateEntity s set s.lastPollAt = current_timestamp, s.lastResult = 'failed',
                       s.lastError = :error, s.pollsFailed = s.pollsFailed + 1
                 where s.name = :name
                """).setParameter("error", error).setParameter("name", source).executeUpdate();
    }

    private static void ensureRow(StatelessSession session, String source) {
        session.createMutationQuery("""
                insert into SourceStateEntity (name, baselineDone, lastRecords, lastEvents, pollsOk, pollsFailed,
                       eventsTotal, fence)
                values (:name, false, 0, 0, 0, 0, 0, 0)
                on conflict (name) do nothing
                """).setParameter("name", source).executeUpdate();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
