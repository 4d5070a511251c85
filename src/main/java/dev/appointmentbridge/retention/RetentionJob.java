package dev.appointmentbridge.retention;

import dev.appointmentbridge.config.RetentionConfig;
import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Runs {@link RetentionService} every {@code bridge.retention.interval}; counts what it removed per table. */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    @Inject
    Scheduler scheduler;

    @Inject
    RetentionService retention;

    @Inject
    RetentionConfig config;

    @Inject
    MeterRegistry registry;

    void start(@Observes StartupEvent ignored) {
        for (String table : new String[] { "event", "delivery", "delivery_attempt" }) {
            registry.counter("bridge.retention.deleted", "table", table); // at zero from the start
        }
        if (!config.enabled()) {
            LOG.info("Retention disabled (bridge.retention.enabled=false): nothing is ever deleted");
            return;
        }
        validate(config);
        scheduler.newJob("retention").setInterval(config.interval().toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP).setDelayed(config.interval().toString())
                .setTask(execution -> runOnce()).schedule();
        LOG.infof("Retention: events %s, finished deliveries %s, checked every %s", config.events(),
                config.deliveries(), config.interval());
    }

    /**
     * Refuses values that would delete what was just received (zero or negative ages), never finish (a batch of
     * zero) or overflow the database's dates; the start stops with the setting's name.
     */
    static void validate(RetentionConfig config) {
        requireAge("bridge.retention.events", config.events());
        requireAge("bridge.retention.deliveries", config.deliveries());
        if (config.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("bridge.retention.interval must be at least 1s, is " + config.interval());
        }
        if (config.batchSize() < 1 || config.batchSize() > 100_000) {
            throw new IllegalArgumentException("bridge.retention.batch-size must be 1 to 100000, is " + config.batchSize());
        }
    }

    private static void requireAge(String setting, Duration age) {
        if (age.compareTo(Duration.ofHours(1)) < 0 || age.compareTo(Duration.ofDays(36_500)) > 0) {
            throw new IllegalArgumentException(setting + " must be between 1h and 36500d (e.g. 90d), is " + age);
        }
    }

    public RetentionService.Removed runOnce() {
        Instant started = Instant.now();
        try {
            RetentionService.Removed r = retention.run();
            registry.counter("bridge.retention.deleted", "table", "delivery_attempt").increment(r.attempts());
            registry.counter("bridge.retention.deleted", "table", "delivery").increment(r.deliveries());
            registry.counter("bridge.retention.deleted", "table", "event").increment(r.events());
            if (r.events() + r.deliveries() + r.attempts() > 0) {
                LOG.infof("Retention removed %d events, %d deliveries, %d attempts in %.1f s", r.events(), r.deliveries(),
                        r.attempts(), Duration.between(started, Instant.now()).toMillis() / 1000.0);
            }
            return r;
        } catch (RuntimeException e) {
            LOG.warnf("Retention run failed (%s); next run in %s", e.getClass().getSimpleName(), config.interval());
            return new RetentionService.Removed(0, 0, 0);
        }
    }
}
