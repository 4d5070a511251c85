package dev.appointmentbridge.poll.store;

import dev.appointmentbridge.poll.store.PageCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.snapshot.Snapshot;

/**
 * Where a poll cycle keeps its state: snapshots, held cancellations, quarantine, cursors and the lease. Each
 * method is one short transaction, never open while the upstream is asked anything. {@link DatabaseCycleStore}
 * is the PostgreSQL one; the property test keeps it in memory.
 */
public interface CycleStore {

    /** Diffs a page against the stored state, inside the page's transaction. */
    @FunctionalInterface
    interface PageWork {
        PageCommit diff(Map<String, Snapshot> known, Set<String> held);
    }

    /** Claims the source for {@code lease}; empty when another replica holds an unexpired claim. */
    Optional<Lease> acquire(String source, Duration lease);

    /** Loads the snapshots of {@code ids} and the held cancellations, runs {@code work}, writes its result. */
    PageCommit page(Lease lease, Collection<String> ids, PageWork work) throws LeaseLostException;

    /** Snapshots of {@code ids}, read-only. */
    Map<String, Snapshot> load(Lease lease, Collection<String> ids);

    /**
     * Ends a successful cycle: appends every held cancellation, stores the history cursor, moves the
     * complete-through watermark to {@code completeThrough} (null: leaves it; it never moves back), marks the
     * baseline done and releases the lease. Returns the types of the released cancellations.
     */
    List<EventType> finish(Lease lease, Instant historyCursor, Instant completeThrough, int records, int events)
            throws LeaseLostException;

    /**
     * Ends a push-triggered fetch: appends every held cancellation and releases the lease, leaving the
     * cursors, the baseline and the poll statistics as they are. Returns the types of the released cancellations.
     */
    List<EventType> releaseHeld(Lease lease) throws LeaseLostException;

    /**
     * Appends the cancellations an earlier run held and did not release (a process that stopped mid-cycle),
     * keeping the lease: a held cancellation waits at most until the next run of its source starts.
     */
    List<EventType> releaseLeftover(Lease lease) throws LeaseLostException;

    /** Turns delete detection off for the source, with the reason shown on /admin/sources. */
    void disableDeletes(Lease lease, String reason);

    /** Releases the lease after a failed cycle (what was committed stays). */
    void abandon(Lease lease);

    /** Whether any event of this source's appointment was ever stored (receivers have heard of it). */
    default boolean announced(String source, String appointmentId) {
        return false;
    }
}
