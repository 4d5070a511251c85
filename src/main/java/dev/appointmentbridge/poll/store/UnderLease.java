package dev.appointmentbridge.poll.store;

import java.time.Duration;
import java.util.Optional;

import dev.appointmentbridge.source.SourceFetchException;

/**
 * Runs one piece of a source's work (a cursor cycle, a window cycle, a push-triggered fetch) under the source's
 * lease: nothing when another replica holds it; on a failure the lease is released at once, so the next try need
 * not wait for it to run out (what was committed stays).
 *
 * <p>Cancellations are held while a run goes on, so a rebooking found later in the same run can fold them into
 * its reschedule. They are never held longer than the run: a failed run (a {@code _history} that answers 503
 * forever, one failed window search) releases them as it ends, and each run first releases what an earlier run
 * left (a process that stopped). Otherwise receivers would see a reschedule found by the same search, but never
 * the cancellation.
 */
public final class UnderLease {

    /** The work, given the lease it holds. */
    @FunctionalInterface
    public interface Work<T> {
        public T run(Lease lease) throws SourceFetchException;
    }

    private UnderLease() {
    }

    /** Empty when another replica holds the source's lease. */
    public static <T> Optional<T> run(CycleStore store, String source, Duration lease, Work<T> work)
            throws SourceFetchException {
        Optional<Lease> claimed = store.acquire(source, lease);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        try {
            store.releaseLeftover(claimed.get());
            return Optional.of(work.run(claimed.get()));
        } catch (SourceFetchException | RuntimeException e) {
            try {
                store.releaseHeld(claimed.get());
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed);
                store.abandon(claimed.get());
            }
            throw e;
        }
    }
}
