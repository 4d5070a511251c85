package dev.appointmentbridge.poll.window;

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

import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceFetchException;

/**
 * One cycle of a window-mode source (docs/polling.md, "FHIR servers without a change filter" and "Generic JSON REST
 * sources"), for APIs with no change filter: every scope × slice of [now − window.back,
 * now + window.ahead] is searched, page by page, with the same diff and per-page commit as a cursor cycle; each
 * {@link SliceScan} concludes what its own complete search allows. Appointments that leave the window as time
 * passes are simply no longer scanned: never cancelled.
 *
 * <p>A failed search does not stop the scan: the other scopes and slices are still read and concluded, and the
 * cycle then fails naming it. After {@link #MAX_FAILED_SEARCHES} failures the server is taken to be down and the
 * cycle ends there. The source's complete-through watermark moves to the cycle's start only when every search
 * was complete and concluded. What each scan concluded, or why not, is on {@code /admin/sources}.
 */
public final class WindowCycle {

    /** Tunables of one window cycle, from the source's configuration. */
    public record Settings(String source, boolean emitOnFirstSync, Duration back, Duration ahead, double minRatio,
            int maxPages, Duration lease) {
    }

    static final int MAX_FAILED_SEARCHES = 3;

    private final Settings settings;
    private final PolledSource feed;
    private final CycleStore store;
    private final WindowStore windows;
    private final PollEventFactory factory;
    private final Clock clock;

    public WindowCycle(Settings settings, PolledSource feed, CycleStore store, WindowStore windows, PollEventFactory factory,
            Clock clock) {
        this.settings = settings;
        this.feed = feed;
        this.store = store;
        this.windows = windows;
        this.factory = factory;
        this.clock = clock;
    }

    public CycleResult run() throws SourceFetchException {
        return UnderLease.run(store, settings.source(), settings.lease(), this::run).orElseGet(CycleResult::skippedCycle);
    }

    private CycleResult run(Lease lease) throws SourceFetchException {
        Instant now = clock.instant();
        WindowPlan plan = WindowPlan.of(feed.scopes(), feed.slice(), now, settings.back(), settings.ahead());
        boolean baseline = !lease.baselineDone() && !settings.emitOnFirstSync();
        PageWriter writer = new PageWriter(store, new PageDiff(settings.source(), baseline, now, factory)
                .trackListings());
        SliceScan scans = new SliceScan(feed, store, windows, settings.minRatio(), settings.maxPages(), plan, true,
                windows.trackedSince(lease), false);
        ScanSummary summary = new ScanSummary(plan, now, "scan");
        for (int i = 0; i < plan.size() && summary.failed() < MAX_FAILED_SEARCHES; i++) {
            WindowPlan.Unit unit = plan.unit(i);
            summary.add(unit, scans.scan(lease, writer, unit, now, feed.absenceReason()));
            if (feed.pausedUntil() != null) {
                break; // the source asked (Retry-After) to be left alone: ask nothing more this cycle
            }
        }
        SourceFetchException failure = summary.firstFailure();
        if (failure == null && feed.pausedUntil() == null) {
            scans.finish(lease, writer);
        }
        windows.recordScan(lease, summary.note(writer.gone(), feed.absenceReason()),
                summary.allComplete() ? now : null);
        if (failure != null) {
            throw new SourceFetchException(summary.failureMessage(), failure.status(), failure);
        }
        writer.countReleased(store.finish(lease, null, null, scans.records, writer.eventCount()));
        return new CycleResult(false, baseline, scans.pages, scans.records, writer.counts(), null,
                writer.quarantined(), writer.gone());
    }
}
