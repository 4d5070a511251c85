package dev.appointmentbridge.poll;

import java.time.Clock;
import java.time.Duration;

import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs one {@link CycleRun} of a source against PostgreSQL. */
@ApplicationScoped
public class PollCycle {

    @Inject
    DatabaseCycleStore store;

    @Inject
    PollEventFactory eventFactory;

    @Inject
    PollConfig config;

    public CycleResult run(PolledSource source) throws SourceFetchException {
        if (source.mode() == PolledSource.Mode.WINDOW) {
            SourcesConfig.Source c = source.config();
            return new WindowRun(new WindowRun.Settings(source.name(), c.emitOnFirstSync(), c.window().back(),
                    c.window().ahead(), c.window().minRatio(), c.maxPages(), lease(c, config)), source, store, store,
                    eventFactory, Clock.systemUTC()).run();
        }
        return new CycleRun(settings(source.name(), source.config(), config, source.readsHistory()), source, store,
                eventFactory, Clock.systemUTC()).run();
    }

    /** Reads one appointment of the source by id and diffs it now; empty when another replica holds the source. */
    public java.util.Optional<CycleResult> fetch(PolledSource source, String appointmentId) throws SourceFetchException {
        return new FetchRun(settings(source.name(), source.config(), config, source.readsHistory()), source, store,
                eventFactory, Clock.systemUTC()).run(appointmentId);
    }

    static CycleRun.Settings settings(String name, SourcesConfig.Source source, PollConfig poll, boolean readsHistory) {
        return new CycleRun.Settings(name, source.emitOnFirstSync(), source.cursorOverlap(), source.maxPages(),
                readsHistory, lease(source, poll));
    }

    /** A page's commit must come before the lease runs out: one request (and a token request) per page. */
    private static Duration lease(SourcesConfig.Source source, PollConfig poll) {
        Duration floor = source.requestTimeout().multipliedBy(4);
        return poll.lease().compareTo(floor) > 0 ? poll.lease() : floor;
    }
}
