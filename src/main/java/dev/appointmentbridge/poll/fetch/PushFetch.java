package dev.appointmentbridge.poll.fetch;

import dev.appointmentbridge.poll.cursor.CursorCycle;
import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.page.PageDiff;
import dev.appointmentbridge.poll.page.PollEventFactory;
import dev.appointmentbridge.poll.store.CycleStore;
import dev.appointmentbridge.poll.store.Lease;
import dev.appointmentbridge.poll.store.UnderLease;
import dev.appointmentbridge.poll.page.CycleResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.SourceFetchException;

/**
 * A push-triggered fetch of one appointment (a Clockwise push names only an id and a change): the
 * appointment is read by id from its source and diffed against its snapshot exactly as a poll page would be,
 * under the source's lease. Its snapshot is then current, so the next poll that sees the same version adds
 * nothing. Found → the usual events; 404/410 → cancelled, reason {@code deleted}. A push names a change, so its
 * fetch is never a silent baseline, even before the source's first sync: that sync then finds the snapshot
 * current and adds nothing.
 */
public final class PushFetch {

    private final CursorCycle.Settings settings;
    private final PolledSource source;
    private final CycleStore store;
    private final PollEventFactory factory;
    private final Clock clock;

    public PushFetch(CursorCycle.Settings settings, PolledSource source, CycleStore store, PollEventFactory factory, Clock clock) {
        this.settings = settings;
        this.source = source;
        this.store = store;
        this.factory = factory;
        this.clock = clock;
    }

    /**
     * Empty when another replica holds the source's lease. {@code duringFirstSync}: the push arrived while the
     * source's first sync ran (see {@link PageDiff#announceBaselined()}).
     */
    public Optional<CycleResult> run(String appointmentId, boolean duringFirstSync) throws SourceFetchException {
        return UnderLease.run(store, settings.source(), settings.lease(),
                lease -> fetch(lease, appointmentId, duringFirstSync));
    }

    private CycleResult fetch(Lease lease, String appointmentId, boolean duringFirstSync) throws SourceFetchException {
        Instant now = clock.instant();
        boolean baseline = false;
        PageDiff diff = new PageDiff(settings.source(), baseline, now, factory);
        // Only what receivers never heard of: another replica's poll may have announced it since the first sync.
        if (duringFirstSync && !store.announced(settings.source(), appointmentId)) {
            diff.announceBaselined();
        }
        PageWriter writer = new PageWriter(store, diff);
        ReadResult read = source.read(appointmentId);
        if (read instanceof ReadResult.Found found) {
            writer.commit(lease, found.asPage(), now, null, null);
        } else {
            writer.gone(lease, appointmentId, CanonicalEvent.REASON_DELETED);
        }
        writer.countReleased(store.releaseHeld(lease));
        return new CycleResult(false, baseline, 1, 1, writer.counts(), lease.cursor(), writer.quarantined(),
                writer.gone());
    }
}
