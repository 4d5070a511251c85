package dev.appointmentbridge.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;

/**
 * One cycle of a window-mode source (design.md, "Generic JSON REST sources"; issue 14), for APIs with no
 * change filter: every appointment starting in [now − window.back, now + window.ahead] is read, page by page,
 * with the same diff and per-page commit as a cursor cycle. Only a <b>complete</b> scan concludes anything
 * about the appointments it did not list:
 * <ul>
 * <li>a failed page fails the cycle: pages before it stay committed, no absence is concluded;</li>
 * <li>a scan with fewer items than {@code window.min-ratio} × the last complete one concludes nothing (an API
 * answering half-empty is more likely failing than half the appointments gone);</li>
 * <li>otherwise each open appointment known to start in the window and not listed is read by id where the
 * source can ({@code item-url}): found → diffed as it is (a move out of the window is a reschedule), gone →
 * {@code appointment.cancelled} with reason {@code removed}; a source without reads by id cancels it as removed.</li>
 * </ul>
 * Appointments that leave the window as time passes are simply no longer scanned: never cancelled. What each scan
 * concluded, or why not, is on {@code /admin/sources}.
 */
final class WindowRun {

    /** Tunables of one window cycle, from the source's configuration. */
    record Settings(String source, boolean emitOnFirstSync, Duration back, Duration ahead, double minRatio,
            int maxPages, Duration lease) {
    }

    /**
     * Known appointments starting this close to an edge of the window are not looked into: APIs differ on
     * inclusive bounds and on whether they filter by start or end, and the edges move while a scan runs.
     */
    static final Duration EDGE = Duration.ofMinutes(1);

    private final Settings settings;
    private final PolledSource feed;
    private final CycleStore store;
    private final WindowStore windows;
    private final PollEventFactory factory;
    private final Clock clock;
    private int pages;
    private int records;

    WindowRun(Settings settings, PolledSource feed, CycleStore store, WindowStore windows, PollEventFactory factory,
            Clock clock) {
        this.settings = settings;
        this.feed = feed;
        this.store = store;
        this.windows = windows;
        this.factory = factory;
        this.clock = clock;
    }

    CycleResult run() throws SourceFetchException {
        return UnderLease.run(store, settings.source(), settings.lease(), this::run).orElseGet(CycleResult::skippedCycle);
    }

    private CycleResult run(Lease lease) throws SourceFetchException {
        Instant now = clock.instant();
        Instant from = now.minus(settings.back());
        Instant to = now.plus(settings.ahead());
        boolean baseline = !lease.baselineDone() && !settings.emitOnFirstSync();
        PageWriter writer = new PageWriter(store, new PageDiff(settings.source(), baseline, now, factory));
        Set<String> listed = scan(lease, writer, from, to, now);

        Integer last = windows.lastCompleteScan(lease);
        if (last != null && listed.size() < settings.minRatio() * last) {
            windows.recordScan(lease, null, "scan at " + now + " listed " + listed.size() + " items, fewer than "
                    + "window.min-ratio (" + settings.minRatio() + ") x the last complete scan's " + last
                    + ": no absence concluded");
        } else {
            List<String> absent = windows.openStartingIn(lease, from.plus(EDGE), to.minus(EDGE)).stream()
                    .filter(id -> !listed.contains(id)).toList();
            try {
                for (String id : absent) {
                    if (feed.readsById()) {
                        writer.confirmGone(lease, feed, id, now, CanonicalEvent.REASON_REMOVED);
                    } else {
                        writer.gone(lease, id, CanonicalEvent.REASON_REMOVED);
                    }
                }
            } catch (SourceFetchException e) {
                // The scan itself was complete; say so, and why its absences are only partly concluded.
                windows.recordScan(lease, null, "complete scan at " + now + ": " + listed.size() + " items, "
                        + absent.size() + " known ones absent; a read by id failed (" + e.getMessage() + "): the "
                        + "rest are looked into next cycle");
                throw e;
            }
            windows.recordScan(lease, listed.size(), "complete scan at " + now + ": " + listed.size() + " items, "
                    + absent.size() + " known ones absent, " + writer.gone() + " cancelled as removed");
        }
        writer.countReleased(store.finish(lease, null, records, writer.eventCount()));
        return new CycleResult(false, baseline, pages, records, writer.counts(), null, writer.quarantined(),
                writer.gone());
    }

    /** Reads and commits every page of the window; the ids it listed. A failure ends the cycle here. */
    private Set<String> scan(Lease lease, PageWriter writer, Instant from, Instant to, Instant now)
            throws SourceFetchException {
        Set<String> listed = new HashSet<>();
        Set<String> followed = new HashSet<>();
        try {
            SourcePage page = feed.window(from, to);
            while (true) {
                if (pages + 1 > settings.maxPages()) {
                    throw new SourceFetchException("more than " + settings.maxPages() + " pages in one scan", 0, null);
                }
                pages++;
                records += page.size();
                page.appointments().forEach(r -> listed.add(r.id()));
                page.poison().forEach(p -> listed.add(p.appointmentId()));
                writer.commit(lease, page, CursorRules.serverTime(page.searchTime(), now), null, null);
                if (page.next() == null) {
                    return listed;
                }
                if (!followed.add(page.next())) {
                    throw new SourceFetchException("next links of the window scan run in a circle", 0, null);
                }
                page = feed.next(page);
            }
        } catch (SourceFetchException e) {
            String why = "scan stopped at page " + (pages + 1) + " (" + e.getMessage() + "); pages before it are committed,"
                    + " no absence concluded";
            windows.recordScan(lease, null, why);
            throw new SourceFetchException(why, e.status(), e);
        }
    }
}
