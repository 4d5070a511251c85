package dev.appointmentbridge.poll;

import java.time.Duration;
import java.util.Optional;

import dev.appointmentbridge.source.SourceFetchException;

/**
 * Runs one piece of a source's work (a cursor cycle, a window cycle, a push-triggered fetch) under the source's
 * lease: nothing when another replica holds it; on a failure the lease is released at once, so the next try need
 * not wait for it to run out (what was committed stays).
 */
final class UnderLease {

    /** The work, given the lease it holds. */
    @FunctionalInterface
    interface Work<T> {
        T run(Lease lease) throws SourceFetchException;
    }

    private UnderLease() {
    }

    /** Empty when another replica holds the source's lease. */
    static <T> Optional<T> run(CycleStore store, String source, Duration lease, Work<T> work)
            throws SourceFetchException {
        Optional<Lease> claimed = store.acquire(source, lease);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.run(claimed.get()));
        } catch (SourceFetchException | RuntimeException e) {
            store.abandon(claimed.get());
            throw e;
        }
    }
}
