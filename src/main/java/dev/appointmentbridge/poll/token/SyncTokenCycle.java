package dev.appointmentbridge.poll.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.poll.cursor.CursorRules;
import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.poll.page.PageDiff;
import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.page.PollEventFactory;
import dev.appointmentbridge.poll.store.CycleStore;
import dev.appointmentbridge.poll.store.Lease;
import dev.appointmentbridge.poll.store.SyncTokenStore;
import dev.appointmentbridge.poll.store.UnderLease;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;
import dev.appointmentbridge.source.SyncTokenFeed;

/**
 * One cycle of a {@code mode=sync-token} source (docs/polling.md, "Sync-token APIs"): the listing from the stored
 * token (none: everything), diffed and committed page by page, and the token its last page ends with stored only
 * once every page is committed, so a cycle cut off half-way asks again from the old token and the snapshots drop
 * what it had already seen. A 410 to the stored token (it expired) starts a full listing in the same cycle; after a
 * full listing, what the bridge knew open and the listing lacked is read by id before anything is concluded: gone
 * (404/410) is a cancellation with reason {@code deleted}, found is diffed as it is, an inconclusive answer is
 * quarantined. Every change is announced once: unchanged items of a full listing are dropped by the snapshot hash.
 */
public final class SyncTokenCycle {

    private static final Logger LOG = Logger.getLogger(SyncTokenCycle.class);

    /** Answers to the stored token's request that mean "this token is no good": list everything again. */
    private static final Set<Integer> REFUSED_TOKEN = Set.of(400, 404, 410, 414);

    /** Tunables of one cycle, from the source's configuration. */
    public record Settings(String source, boolean emitOnFirstSync, int maxPages, Duration lease) {
    }

    private final Settings settings;
    private final SyncTokenFeed feed;
    private final CycleStore store;
    private final SyncTokenStore tokens;
    private final PollEventFactory factory;
    private final Clock clock;

    public SyncTokenCycle(Settings settings, SyncTokenFeed feed, CycleStore store, SyncTokenStore tokens,
            PollEventFactory factory, Clock clock) {
        this.settings = settings;
        this.feed = feed;
        this.store = store;
        this.tokens = tokens;
        this.factory = factory;
        this.clock = clock;
    }

    public CycleResult run() throws SourceFetchException {
        return UnderLease.run(store, settings.source(), settings.lease(), this::run).orElseGet(CycleResult::skippedCycle);
    }

    private CycleResult run(Lease lease) throws SourceFetchException {
        Instant now = clock.instant();
        boolean baseline = !lease.baselineDone() && !settings.emitOnFirstSync();
        PageWriter writer = new PageWriter(store, new PageDiff(settings.source(), baseline, now, factory));
        String token = tokens.token(lease);
        boolean full = token == null;
        SourcePage page;
        try {
            page = feed.list(token);
        } catch (SourceFetchException e) {
            if (full || !REFUSED_TOKEN.contains(e.status())) {
                throw e;
            }
            // 410 is the documented "expired"; a server refusing the request the stored token makes (a link to a
            // path it no longer has, a token too long for a URL) would otherwise fail every cycle for ever.
            LOG.infof("Source %s: the sync token was refused (HTTP %d); reading the full listing", settings.source(),
                    e.status());
            full = true;
            page = feed.list(null);
        }
        Instant listedAt = CursorRules.serverTime(page.searchTime(), now);
        Set<String> listed = new HashSet<>();
        Set<String> followed = new HashSet<>();
        int pages = 0;
        int records = 0;
        while (true) {
            if (++pages > settings.maxPages()) {
                throw new SourceFetchException("more than " + settings.maxPages() + " pages in one listing", 0, null);
            }
            records += page.size();
            page.appointments().forEach(a -> listed.add(a.id()));
            page.poison().forEach(p -> listed.add(p.appointmentId()));
            // A tombstone is read back before anything is concluded: Graph's @removed also says "moved out of the
            // view" (reason "changed"), which a read finds and diffs as a reschedule; gone (404/410) is a deletion.
            for (String id : page.removed()) {
                listed.add(id);
                writer.confirmGone(lease, feed, id, CursorRules.serverTime(page.searchTime(), now),
                        CanonicalEvent.REASON_DELETED);
            }
            writer.commit(lease, page.removed().isEmpty() ? page : new SourcePage(page.appointments(), page.poison(),
                    page.patients(), page.next(), page.searchTime(), page.sortedByLastUpdated()),
                    CursorRules.serverTime(page.searchTime(), now), null, null);
            if (page.next() == null) {
                break;
            }
            if (!followed.add(page.next())) {
                throw new SourceFetchException("next links of this listing run in a circle", 0, null);
            }
            page = feed.next(page);
        }
        String next = feed.syncToken();
        if (next == null) {
            throw new SourceFetchException("the listing's last page carries no sync token at bridge.sources."
                    + settings.source() + ".sync-token: the next cycle lists again from the stored one", 0, null);
        }
        if (full) {
            List<String> absent = tokens.knownOpen(lease).stream().filter(id -> !listed.contains(id)).toList();
            for (String id : absent) {
                writer.confirmGone(lease, feed, id, listedAt, CanonicalEvent.REASON_DELETED);
            }
        }
        tokens.save(lease, next);
        writer.countReleased(store.finish(lease, null, listedAt, records, writer.eventCount()));
        return new CycleResult(false, baseline, pages, records, writer.counts(), null, writer.quarantined(),
                writer.gone());
    }
}
