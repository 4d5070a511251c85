package dev.appointmentbridge.poll;

import java.time.Duration;

import dev.appointmentbridge.config.PollConfig;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import org.jboss.logging.Logger;

import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.registry.SourceRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** One programmatic job per source, each on its own poll-interval; a slow cycle is never overlapped. */
@ApplicationScoped
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    @Inject
    Scheduler scheduler;

    @Inject
    SourceRegistry sources;

    @Inject
    PollConfig config;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    PollService polls;

    @Inject
    DatabaseCycleStore store;

    private java.util.concurrent.Semaphore running;

    /** One poll if one of bridge.poll.max-concurrent is free; else the source waits for its next interval. */
    private void pollBounded(String name) {
        if (!running.tryAcquire()) {
            registry.counter("bridge.poll.skipped.busy", "source", name).increment();
            LOG.debugf("Poll of %s skipped: bridge.poll.max-concurrent (%d) polls are running", name,
                    config.maxConcurrent());
            return;
        }
        try {
            polls.poll(name);
        } finally {
            running.release();
        }
    }

    void start(@Observes StartupEvent ignored) {
        running = new java.util.concurrent.Semaphore(Math.max(1, config.maxConcurrent()));
        // A source whose _history was refused is asked again once after every start (the server may have
        // been fixed, or the refusal was a misconfiguration); the flag comes back if it still refuses.
        store.retryDeleteDetection();
        if (!config.enabled()) {
            LOG.info("Polling disabled (bridge.poll.enabled=false)");
            return;
        }
        for (PolledSource source : sources.all()) {
            String name = source.name();
            // Each source's first poll at its own point of its first interval (stable per name): a thousand sources
            // started at once would all poll at once, holding every connection and thread until the next interval.
            Duration interval = source.config().pollInterval();
            Duration spread = Duration.ofMillis(Math.floorMod(name.hashCode(), Math.max(1, interval.toMillis())));
            scheduler.newJob("poll-" + name)
                    .setInterval(interval.toString())
                    .setConcurrentExecution(ConcurrentExecution.SKIP)
                    .setDelayed(config.initialDelay().plus(spread).toString())
                    .setTask(execution -> pollBounded(name))
                    .schedule();
            LOG.infof("Polling source=%s every %s from %s", name, source.config().pollInterval(),
                    dev.appointmentbridge.common.SafeUrl.of(source.displayUrl()));
        }
    }
}
