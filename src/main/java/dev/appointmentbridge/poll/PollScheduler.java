package dev.appointmentbridge.poll;

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
    PollService polls;

    @Inject
    DatabaseCycleStore store;

    void start(@Observes StartupEvent ignored) {
        // A source whose _history was refused is asked again once after every start (the server may have
        // been fixed, or the refusal was a misconfiguration); the flag comes back if it still refuses.
        store.retryDeleteDetection();
        if (!config.enabled()) {
            LOG.info("Polling disabled (bridge.poll.enabled=false)");
            return;
        }
        for (PolledSource source : sources.all()) {
            String name = source.name();
            scheduler.newJob("poll-" + name)
                    .setInterval(source.config().pollInterval().toString())
                    .setConcurrentExecution(ConcurrentExecution.SKIP)
                    .setDelayed(config.initialDelay().toString())
                    .setTask(execution -> polls.poll(name))
                    .schedule();
            LOG.infof("Polling source=%s every %s from %s", name, source.config().pollInterval(),
                    dev.appointmentbridge.common.SafeUrl.of(source.displayUrl()));
        }
    }
}
