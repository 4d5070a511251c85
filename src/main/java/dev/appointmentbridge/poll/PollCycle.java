package dev.appointmentbridge.poll;

import dev.appointmentbridge.poll.store.SyncTokenStore;
import dev.appointmentbridge.poll.token.SyncTokenCycle;
import dev.appointmentbridge.source.SyncTokenFeed;
import dev.appointmentbridge.config.PollConfig;
import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.poll.cursor.CursorCycle;
import dev.appointmentbridge.poll.window.WindowCycle;
import dev.appointmentbridge.poll.sweep.SweepStep;
import dev.appointmentbridge.poll.fetch.PushFetch;
import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.page.PageDiff;
import dev.appointmentbridge.poll.page.PollEventFactory;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import dev.appointmentbridge.poll.store.PendingRemovalEntity;
import dev.appointmentbridge.poll.store.UnderLease;
import java.time.Clock;
import java.time.Duration;

import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.config.SourcesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs one {@link CursorCycle} of a source against PostgreSQL. */
@ApplicationScoped
public class PollCycle {

    @Inject
    DatabaseCycleStore store;

    @Inject
    PollEventFactory eventFactory;

    @Inject
    PollConfig config;

    @Inject
    SyncTokenStore tokens;

    private Clock clock = Clock.systemUTC();

    /** Tests move time on (an appointment leaving the window by time, a sweep falling due). */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    public CycleResult run(PolledSource source) throws SourceFetchException {
        if (source.mode() == PolledSource.Mode.SYNC_TOKEN) {
            SourcesConfig.Source c = source.config();
            return new SyncTokenCycle(new SyncTokenCycle.Settings(source.name(), c.emitOnFirstSync(), c.maxPages(),
                    lease(c, config)), (SyncTokenFeed) source, store, tokens, eventFactory, clock).run();
        }
        if (source.mode() == PolledSource.Mode.WINDOW) {
            SourcesConfig.Source c = source.config();
            return new WindowCycle(new WindowCycle.Settings(source.name(), c.emitOnFirstSync(), c.window().back(),
                    c.window().ahead(), c.window().minRatio(), c.maxPages(), lease(c, config)), source, store, store,
                    eventFactory, clock).run();
        }
        return new CursorCycle(settings(source, config), source, store,
                eventFactory, clock).run();
    }

    /** Whether the source has reconciliation sweeps: a cursor source that can scan windows, interval not 0. */
    public static boolean reconciles(PolledSource source) {
        return source.mode() == PolledSource.Mode.CURSOR && source.scansWindows()
                && !source.config().reconcile().interval().isZero();
    }

    /**
     * The next step of a cursor source's reconciliation sweep, when one is due; its events are the
     * drift. Empty when the source has no sweeps, none is due, or another replica holds the source.
     */
    public java.util.Optional<CycleResult> reconcile(PolledSource source) throws SourceFetchException {
        if (!reconciles(source)) {
            return java.util.Optional.empty();
        }
        SourcesConfig.Source c = source.config();
        return new SweepStep(new SweepStep.Settings(source.name(), c.window().back(), c.window().ahead(),
                c.window().minRatio(), c.maxPages(), lease(c, config), c.reconcile().interval(), c.pollInterval()),
                source, store, store, eventFactory, clock).run();
    }

    /** Reads one appointment of the source by id and diffs it now; empty when another replica holds the source. */
    public java.util.Optional<CycleResult> fetch(PolledSource source, String appointmentId, boolean duringFirstSync)
            throws SourceFetchException {
        return new PushFetch(settings(source, config), source, store,
                eventFactory, clock).run(appointmentId, duringFirstSync);
    }

    /** Whether the source's first sync has completed (on any replica). */
    public boolean firstSyncDone(String source) {
        return store.firstSyncDone(source);
    }

    /**
     * An operator confirmed the removals shown on /admin/sources: each appointment pending removal held at
     * or before {@code through} is cancelled with its reason, and each slice's last short answer becomes its size.
     * Empty when another replica holds the source.
     */
    public java.util.Optional<CycleResult> confirmRemovals(PolledSource source, java.time.Instant through)
            throws SourceFetchException {
        SourcesConfig.Source c = source.config();
        return UnderLease.run(store, source.name(), lease(c, config), lease -> {
            PageWriter writer = new PageWriter(store, new PageDiff(source.name(), false, clock.instant(), eventFactory));
            java.util.List<String> confirmed = new java.util.ArrayList<>();
            for (PendingRemovalEntity p : store.pendingThrough(lease, through)) {
                writer.gone(lease, p.appointmentId, p.reason);
                confirmed.add(p.appointmentId);
            }
            store.confirmedRemovals(lease, confirmed);
            writer.countReleased(store.releaseHeld(lease));
            return new CycleResult(false, false, 0, confirmed.size(), writer.counts(), null, 0, writer.gone());
        });
    }

    static CursorCycle.Settings settings(PolledSource polled, PollConfig poll) {
        SourcesConfig.Source source = polled.config();
        return new CursorCycle.Settings(polled.name(), source.emitOnFirstSync(), polled.cursorOverlap(),
                source.maxPages(), polled.readsHistory(), lease(source, poll));
    }

    /** A page's commit must come before the lease runs out: one request (and a token request) per page. */
    private static Duration lease(SourcesConfig.Source source, PollConfig poll) {
        Duration floor = source.requestTimeout().multipliedBy(4);
        return poll.lease().compareTo(floor) > 0 ? poll.lease() : floor;
    }
}
