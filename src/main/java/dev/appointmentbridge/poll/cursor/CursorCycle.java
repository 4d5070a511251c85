package dev.appointmentbridge.poll.cursor;

import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.page.PageDiff;
import dev.appointmentbridge.poll.store.PageCommit;
import dev.appointmentbridge.poll.page.PollEventFactory;
import dev.appointmentbridge.poll.store.CycleStore;
import dev.appointmentbridge.poll.store.Lease;
import dev.appointmentbridge.poll.store.UnderLease;
import dev.appointmentbridge.poll.page.CycleResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.source.AppointmentFeed;
import dev.appointmentbridge.source.HistoryPage;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;

/**
 * One poll cycle of one source (docs/polling.md, "Poll cycle"): search, diff and commit page by page, then read
 * {@code _history} for deletes, then release held cancellations. Holds no database connection while the
 * upstream is asked anything, and no more than one page in memory.
 *
 * <p><b>Cursor.</b> After each page the cursor is min(greatest meta.lastUpdated seen, the search's own time)
 * minus the overlap, and never moves back. The search's own time is the earliest Bundle.meta.lastUpdated of
 * the cycle's searches (else their {@code Date} header, else the bridge's clock): a cached search (HAPI reuses a search's id list for
 * 60 s and serves the current version of each id) covers nothing after that time, and a record dated in the
 * future cannot drag the cursor past the server's clock.
 *
 * <p><b>Paging.</b> The page after one is asked as a new search from that page's greatest meta.lastUpdated
 * (keyset paging) rather than by the server's offset {@code next} link: offset pages shift when records change
 * while they are read, and a record pushed back across a page boundary would be skipped. The boundary
 * records are read twice and dropped by the snapshot hash. The {@code next} link is followed instead when a
 * full page does not move the keyset forward (more records share one meta.lastUpdated than fit a page) or
 * when the server does not sort by {@code _lastUpdated} (then the cursor moves only when the cycle ends). Whether
 * it sorts is checked on what it sends, not taken from the self link it echoes: the second page is read by its
 * next link and must hold nothing older than the first page's newest before keyset paging and the cursor trust it.
 */
public final class CursorCycle {

    /** Tunables of one cycle, from the source's configuration. */
    public record Settings(String source, boolean emitOnFirstSync, Duration overlap, int maxPages, boolean detectDeletes,
            Duration lease) {
    }

    /** Answers to {@code _history} that mean the server does not offer it (not: try again later). */
    private static final Set<Integer> HISTORY_UNSUPPORTED = Set.of(400, 403, 404, 405, 410, 501);

    private final Settings settings;
    private final AppointmentFeed feed;
    private final CycleStore store;
    private final PollEventFactory factory;
    private final Clock clock;
    private int pages;
    private int records;
    private int historyDeletes;
    private PageWriter writer;

    public CursorCycle(Settings settings, AppointmentFeed feed, CycleStore store, PollEventFactory factory, Clock clock) {
        this.settings = settings;
        this.feed = feed;
        this.store = store;
        this.factory = factory;
        this.clock = clock;
    }

    public CycleResult run() throws SourceFetchException {
        return UnderLease.run(store, settings.source(), settings.lease(), this::run).orElseGet(CycleResult::skippedCycle);
    }

    private CycleResult run(Lease lease) throws SourceFetchException {
        Instant now = clock.instant();
        boolean baseline = !lease.baselineDone() && !settings.emitOnFirstSync();
        writer = new PageWriter(store, new PageDiff(settings.source(), baseline, now, factory)
                .versionReset(settings.overlap()));

        Instant cursor = lease.cursor();
        SourcePage page = feed.search(cursor);
        Instant searchTime = CursorRules.serverTime(page.searchTime(), now);
        Set<String> followed = new HashSet<>();
        // Deletes are read from the first search's time on, stored with the first page, so a first cycle that
        // fails half-way still has the deletes after its committed pages read by the next one.
        Instant historyStart = lease.historyCursor() != null ? lease.historyCursor()
                : searchTime.minus(settings.overlap());
        Instant bound = cursor;
        Instant maxSeen = null;
        boolean sorted = true;
        // A server's self link may echo _sort=_lastUpdated while it ignores it (microsoft/fhir-server #620), and a
        // small unsorted page can be ascending by chance: keyset paging would then skip what sorts before the
        // page's newest. So the order is checked on what arrives before it is trusted: the second page is read by
        // the server's own next link and must hold nothing older than the first page's newest; only then does the
        // cursor move and keyset paging go on (from the first page's newest, so a shift of the offset page while
        // it was read loses nothing).
        boolean orderChecked = false;
        Instant checkFrom = null;
        // Set when a page was read by the server's offset link and no keyset search read its range again: the page
        // that checks the order was the last, or a keyset search could not move on (more records share one
        // meta.lastUpdated than fit a page). A write or delete while such pages are read shifts the offset and
        // skips a record dated at or after the previous page's newest, so the cursor and the watermark stop there
        // unless the cycle shows that nothing was written or deleted upstream while it read.
        Instant capAt = null;
        Instant firstSearchTime = searchTime;
        boolean writtenWhileRead = false;
        while (true) {
            countPage();
            // The page read by the server's offset link to check the order: until a keyset search from the first
            // page's newest reads its range again, the cursor does not move past that newest.
            boolean checkPage = orderChecked && checkFrom != null;
            records += page.size();
            Instant pageTime = CursorRules.serverTime(page.searchTime(), now);
            // Versions newer than their search (served from a cached id list, or dated in the future) say
            // nothing about how far the search got: they neither move the cursor nor the keyset.
            Instant pageMax = CursorRules.greatestLastUpdatedBy(page, pageTime);
            // Each keyset page is a search of its own, possibly answered from an older cache entry: the
            // cycle covers nothing after the earliest of their times.
            searchTime = pageTime.isBefore(searchTime) ? pageTime : searchTime;
            // Keyset paging needs the server to sort by _lastUpdated; its self link says whether it did.
            sorted = sorted && page.sortedByLastUpdated() && CursorRules.ascending(page, pageTime)
                    && (checkFrom == null || CursorRules.noneBefore(page, checkFrom, pageTime));
            if (pageMax != null && (maxSeen == null || pageMax.isAfter(maxSeen))) {
                maxSeen = pageMax;
            }
            if (checkPage && page.next() == null && capAt == null) {
                capAt = checkFrom;
            }
            writtenWhileRead = writtenWhileRead || CursorRules.writtenBetween(page, firstSearchTime, pageTime);
            boolean trusted = sorted && (orderChecked || page.next() == null);
            Instant limit = checkPage ? checkFrom : capAt;
            Instant provenThrough = limit != null && maxSeen != null && maxSeen.isAfter(limit) ? limit : maxSeen;
            Instant nextCursor = trusted ? CursorRules.advance(cursor, provenThrough, searchTime, settings.overlap())
                    : cursor;
            writer.commit(lease, page, searchTime, nextCursor, lease.historyCursor() == null ? historyStart : null);
            cursor = nextCursor;
            if (page.next() == null) {
                break;
            }
            if (sorted && !orderChecked) {
                orderChecked = true;
                checkFrom = pageMax;
                followOnce(followed, page.next(), "this search");
                page = feed.next(page);
                continue;
            }
            Instant keyset = checkFrom != null ? checkFrom : pageMax;
            checkFrom = null;
            if (sorted && keyset != null && (bound == null || keyset.isAfter(bound))) {
                page = feed.search(keyset);
                bound = keyset;
            } else {
                // A page without a usable date holds only versions dated after their search (future-dated): they
                // sort last, every search lists them again, and a shift among them skips nothing else.
                if (sorted && capAt == null && keyset != null) {
                    capAt = keyset;
                }
                followOnce(followed, page.next(), "this search");
                page = feed.next(page);
            }
        }
        if (!sorted) {
            cursor = CursorRules.advance(cursor, maxSeen, searchTime, settings.overlap());
            commitCursor(lease, cursor);
        }
        Instant historyCursor = settings.detectDeletes() && lease.deletesOff() == null
                ? deletes(lease, now, historyStart)
                : historyStart;
        if (sorted && capAt != null && !writtenWhileRead && historyDeletes == 0) {
            // Nothing was written or deleted while the pages were read: the offset pages did not shift.
            cursor = CursorRules.advance(cursor, maxSeen, searchTime, settings.overlap());
            commitCursor(lease, cursor);
            capAt = null;
        }
        // A complete cycle read every change up to its search's own time (the earliest of its pages' times): the
        // watermark moves there less the overlap even when nothing changed, or a quiet night looks like a stuck
        // source. Deletes are covered as far as _history was read. The cursor itself stays at what was seen.
        Instant covered = searchTime.minus(settings.overlap());
        if (capAt != null && capAt.minus(settings.overlap()).isBefore(covered)) {
            covered = capAt.minus(settings.overlap());
        }
        if (settings.detectDeletes() && lease.deletesOff() == null && historyCursor.isBefore(covered)) {
            covered = historyCursor;
        }
        writer.countReleased(store.finish(lease, historyCursor, covered, records, writer.eventCount()));
        return new CycleResult(false, baseline, pages, records, writer.counts(), cursor, writer.quarantined(),
                writer.gone());
    }

    /** One more page in this cycle; a runaway chain fails the cycle instead of looping. */
    private void countPage() throws SourceFetchException {
        if (++pages > settings.maxPages()) {
            throw new SourceFetchException("more than " + settings.maxPages() + " pages in one cycle", 0, null);
        }
    }

    /** A next link seen before in this chain means the links run in a circle: fail rather than loop. */
    private static void followOnce(Set<String> followed, String next, String what) throws SourceFetchException {
        if (!followed.add(next)) {
            throw new SourceFetchException("next links of " + what + " run in a circle", 0, null);
        }
    }

    private void commitCursor(Lease lease, Instant cursor) {
        store.page(lease, List.of(), (known, held) -> {
            PageCommit c = new PageCommit();
            c.cursor = cursor;
            return c;
        });
    }

    /**
     * Reads {@code _history?_since=} for DELETE entries and confirms each by reading the appointment: gone
     * (404/410) is a cancellation with reason "deleted"; found (deleted, then created again) is diffed as it
     * is. Returns the next history cursor. A 4xx turns delete detection off for the source.
     */
    private Instant deletes(Lease lease, Instant now, Instant since) throws SourceFetchException {
        HistoryPage page;
        try {
            page = feed.history(since);
        } catch (SourceFetchException e) {
            if (HISTORY_UNSUPPORTED.contains(e.status())) {
                store.disableDeletes(lease, "GET Appointment/_history answered HTTP " + e.status());
                return since;
            }
            throw e; // 401, 408, 429, 5xx, timeouts: the next cycle asks again from the same point
        }
        Instant historyTime = CursorRules.serverTime(page.searchTime(), now);
        Set<String> followedHistory = new HashSet<>();
        while (true) {
            historyDeletes += page.deletedIds().size();
            for (String id : new HashSet<>(page.deletedIds())) {
                writer.confirmGone(lease, feed, id, historyTime, CanonicalEvent.REASON_DELETED);
            }
            if (page.next() == null) {
                break;
            }
            countPage();
            followOnce(followedHistory, page.next(), "_history");
            page = feed.next(page);
        }
        Instant next = historyTime.minus(settings.overlap());
        return next.isAfter(since) ? next : since;
    }

}
