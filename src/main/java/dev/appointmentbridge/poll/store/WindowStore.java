package dev.appointmentbridge.poll.store;

import java.time.Instant;
import java.util.List;

import dev.appointmentbridge.source.WindowScope;

/**
 * What window scans and reconciliation sweeps keep beyond the cursor cycle's state: the known
 * appointments of a scope and slice, each slice's last complete scan, the source's window note and watermark,
 * and where a sweep spread over cycles stands.
 */
public interface WindowStore {

    /** A slice's floor: items of its last complete scan, and of its last short one (null when none since). */
    record Floor(int complete, Integer lastShort) {
    }

    /** Where a cursor source's sweep stands; {@code from} null when none is under way. */
    record Sweep(Instant dueAt, Instant from, int nextUnit, Instant startedAt) {
    }

    /**
     * Ids of open (not cancelled, not deleted) appointments of the source starting in [from, to) whose
     * {@code scope} reference is the scope's value (all of them for {@link WindowScope#NONE}).
     */
    List<String> openStartingIn(Lease lease, WindowScope scope, Instant from, Instant to);

    /** The slice's floor, or null before its first complete scan. */
    Floor floor(Lease lease, WindowScope scope, Instant sliceKey);

    /** Stores the slice's floor after a scan. */
    void recordFloor(Lease lease, WindowScope scope, Instant sliceKey, Floor floor);

    /**
     * What the last scan (window mode) or sweep step concluded, for /admin/sources; a non-null
     * {@code completeThrough} moves the source's complete-through watermark there.
     */
    void recordScan(Lease lease, String note, Instant completeThrough);

    /** When the source's first sync began (its first attempt), or null before any. */
    Instant trackedSince(Lease lease);

    /** Where the source's sweep stands (all null on a new source). */
    Sweep sweep(Lease lease);

    /** Stores where the sweep stands and, when not null, its note. */
    void recordSweep(Lease lease, Sweep sweep, String note);

    /** Ids of the source's appointments whose removal waits for an operator's confirmation. */
    java.util.Set<String> pendingRemovals(Lease lease);

    /** Holds these absences for an operator's confirmation instead of cancelling them (known ones are kept). */
    void holdRemovals(Lease lease, java.util.Collection<String> ids, String reason, String why);
}
