package dev.appointmentbridge.poll.sweep;

import dev.appointmentbridge.poll.window.WindowPlan;
import dev.appointmentbridge.poll.window.SliceScan;
import dev.appointmentbridge.poll.window.ScanSummary;
import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.page.PageDiff;
import dev.appointmentbridge.poll.page.PollEventFactory;
import dev.appointmentbridge.poll.store.CycleStore;
import dev.appointmentbridge.poll.store.WindowStore;
import dev.appointmentbridge.poll.store.Lease;
import dev.appointmentbridge.poll.store.UnderLease;
import dev.appointmentbridge.poll.page.CycleResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceFetchException;

/**
 * One step of a cursor source's reconciliation sweep (docs/polling.md, "Reconciliation"): the window scan of
 * {@link WindowCycle}, spread over the source's cycles so that the whole sweep (scopes × slices) takes about
 * {@code reconcile.interval}, each step right after a cursor cycle under the same lease rules and request budget.
 *
 * <p>Every difference a step finds between a snapshot and the server is committed as the usual event with
 * {@code "reason": "reconciled"}: the cursor path missed it (a search cache, a late commit, a record dated in the
 * past, a delete without a trace). Records updated after the cursor are left to the cursor path, which reads
 * them next cycle, so in steady state a sweep finds nothing. The first sweep starts one interval after the first
 * sync; a sweep's searches that fail are named in its note and not retried until the next sweep.
 */
public final class SweepStep {

    /** Tunables of the sweep, from the source's configuration. */
    public record Settings(String source, Duration back, Duration ahead, double minRatio, int maxPages, Duration lease,
            Duration interval, Duration pollInterval) {
    }

    private final Settings settings;
    private final PolledSource feed;
    private final CycleStore store;
    private final WindowStore windows;
    private final PollEventFactory factory;
    private final Clock clock;

    public SweepStep(Settings settings, PolledSource feed, CycleStore store, WindowStore windows,
            PollEventFactory factory, Clock clock) {
        this.settings = settings;
        this.feed = feed;
        this.store = store;
        this.windows = windows;
        this.factory = factory;
        this.clock = clock;
    }

    /** The step's result (its events are the drift), or empty when no step was due or the lease was held. */
    public Optional<CycleResult> run() throws SourceFetchException {
        return UnderLease.run(store, settings.source(), settings.lease(), this::step).flatMap(r -> r);
    }

    private Optional<CycleResult> step(Lease lease) {
        Instant now = clock.instant();
        WindowStore.Sweep sweep = windows.sweep(lease);
        if (!lease.baselineDone() || sweep.dueAt() == null) {
            if (lease.baselineDone()) {
                windows.recordSweep(lease, new WindowStore.Sweep(now.plus(settings.interval()), null, 0, null),
                        "first sweep due at " + now.plus(settings.interval()));
            }
            store.abandon(lease);
            return Optional.empty();
        }
        if (sweep.from() == null && now.isBefore(sweep.dueAt())) {
            store.abandon(lease);
            return Optional.empty();
        }
        Instant from = sweep.from() != null ? sweep.from()
                : WindowPlan.of(feed.scopes(), feed.slice(), now, settings.back(), settings.ahead()).from();
        Instant startedAt = sweep.startedAt() != null ? sweep.startedAt() : now;
        // Rebuilt from its start, so a sweep spread over cycles searches the same scopes and slices throughout.
        WindowPlan plan = WindowPlan.of(feed.scopes(), feed.slice(), from.plus(settings.back()), settings.back(),
                settings.ahead());
        int batch = (int) Math.max(1, Math.ceil(plan.size() * (double) settings.pollInterval().toMillis()
                / settings.interval().toMillis()));
        PageWriter writer = new PageWriter(store, new PageDiff(settings.source(), false, now, factory,
                CanonicalEvent.REASON_RECONCILED, lease.cursor()).trackListings());
        SliceScan scans = new SliceScan(feed, store, windows, settings.minRatio(), settings.maxPages(), plan, false,
                null, true);
        ScanSummary summary = new ScanSummary(plan, now, "sweep step");
        int next = Math.min(sweep.nextUnit(), plan.size());
        int end = Math.min(plan.size(), next + batch);
        while (next < end) {
            SliceScan.Outcome outcome = scans.scan(lease, writer, plan.unit(next), now, CanonicalEvent.REASON_RECONCILED);
            summary.add(plan.unit(next), outcome);
            next++;
            if (outcome.failure() != null || feed.pausedUntil() != null) {
                break; // the server is in trouble: the rest of this step waits for the next cycle
            }
        }
        String progress = "sweep started " + startedAt + ": " + next + " of " + plan.size() + " searches done. Its last "
                + summary.note(writer.gone(), CanonicalEvent.REASON_RECONCILED);
        if (next >= plan.size()) {
            windows.recordSweep(lease, new WindowStore.Sweep(startedAt.plus(settings.interval()), null, 0, null),
                    "sweep started " + startedAt + " finished " + now + ": all " + plan.size() + " searches done; next "
                            + "due " + startedAt.plus(settings.interval()) + ". Its last "
                            + summary.note(writer.gone(), CanonicalEvent.REASON_RECONCILED));
        } else {
            windows.recordSweep(lease, new WindowStore.Sweep(sweep.dueAt(), from, next, startedAt), progress);
        }
        List<EventType> released = store.releaseHeld(lease);
        writer.countReleased(released);
        return Optional.of(new CycleResult(false, false, scans.pages, scans.records, writer.counts(), null,
                writer.quarantined(), writer.gone()));
    }
}
