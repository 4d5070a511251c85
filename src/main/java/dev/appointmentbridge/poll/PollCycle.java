package dev.appointmentbridge.poll;

import java.time.Clock;
import java.time.Duration;

import dev.appointmentbridge.source.FhirSource;
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

    public CycleResult run(FhirSource source) throws SourceFetchException {
        return new CycleRun(settings(source.name(), source.config(), config), source, store, eventFactory,
                Clock.systemUTC()).run();
    }

    static CycleRun.Settings settings(String name, SourcesConfig.Source source, PollConfig poll) {
        // A page's commit must come before the lease runs out: one request (and a token request) per page.
        Duration floor = source.requestTimeout().multipliedBy(4);
        Duration lease = poll.lease().compareTo(floor) > 0 ? poll.lease() : floor;
        return new CycleRun.Settings(name, source.emitOnFirstSync(), source.cursorOverlap(), source.maxPages(),
                source.detectDeletes() == SourcesConfig.DetectDeletes.history, lease);
    }
}
