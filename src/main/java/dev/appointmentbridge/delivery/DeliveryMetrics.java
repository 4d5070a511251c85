package dev.appointmentbridge.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import dev.appointmentbridge.common.SqlStates;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import dev.appointmentbridge.delivery.store.QueueStats;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

/** The delivery worker's metrics: outcomes and attempt times per target, the queue and the database under it. */
@Singleton // no client proxy: a cycle or an attempt still ending while the application stops can count
public class DeliveryMetrics {

    private static final Logger LOG = Logger.getLogger(DeliveryMetrics.class);

    @Inject
    MeterRegistry registry;

    @Inject
    QueueStats stats;

    private final Map<String, Timer> attemptTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomeCounters = new ConcurrentHashMap<>();
    private final AtomicLong queueDepth = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final AtomicLong oldestSnapshotSeconds = new AtomicLong();
    private final AtomicLong outboxDeadTuples = new AtomicLong();
    private Counter staleOutcomes;

    /** Registers the gauges, and every target's series at zero from the start. */
    void register(Collection<TargetRegistry.Target> targets) {
        staleOutcomes = Counter.builder("bridge.delivery.stale.outcomes")
                .description("Outcomes dropped because another worker claimed the delivery since (fencing)")
                .register(registry);
        Gauge.builder("bridge.delivery.queue.depth", queueDepth, AtomicLong::get)
                .description("Deliveries waiting to be sent (pending, including retries)").register(registry);
        Gauge.builder("bridge.delivery.oldest.pending.age", oldestPendingSeconds, AtomicLong::get)
                .baseUnit("seconds").description("Age of the oldest pending delivery").register(registry);
        Gauge.builder("bridge.database.oldest.snapshot.age", oldestSnapshotSeconds, AtomicLong::get)
                .baseUnit("seconds").description("Age of the oldest transaction holding a snapshot (it stops vacuum)")
                .register(registry);
        Gauge.builder("bridge.outbox.dead.tuples", outboxDeadTuples, AtomicLong::get)
                .description("Dead row versions in the delivery table, not yet vacuumed").register(registry);
        for (TargetRegistry.Target t : targets) { // every target's series at zero from the start
            attemptTimer(t.name());
            for (String kind : List.of("sent", "retry", "paced", "dead", "skipped")) {
                outcomeCounter(t.name(), kind);
            }
        }
    }

    void outcome(String target, String kind) {
        outcomeCounter(target, kind).increment();
    }

    void attempt(String target, java.time.Duration took) {
        attemptTimer(target).record(took);
    }

    void stale(int outcomes) {
        staleOutcomes.increment(outcomes);
    }

    /** Queue depth and age over the enabled targets, the database's vacuum state; releases stranded rows. */
    void refresh(DeliveryStore store, List<String> enabledTargets) {
        try {
            long[] queue = stats.queueStats(enabledTargets);
            queueDepth.set(queue[0]);
            oldestPendingSeconds.set(queue[1]);
            int released = store.releaseStranded(1000);
            if (released > 0) {
                LOG.warnf("%d pending deliveries waited behind no older delivery (their outcome was recorded by an"
                        + " earlier release of the bridge); released", released);
            }
            long[] vacuum = stats.vacuumStats();
            oldestSnapshotSeconds.set(vacuum[0]);
            outboxDeadTuples.set(vacuum[1]);
        } catch (RuntimeException e) {
            LOG.debugf("Queue stats unavailable: %s", SqlStates.of(e));
        }
    }

    private Counter outcomeCounter(String target, String kind) {
        return outcomeCounters.computeIfAbsent(target + '/' + kind, k -> registry.counter(
                "bridge.delivery.outcomes", "target", target, "outcome", kind));
    }

    private Timer attemptTimer(String target) {
        return attemptTimers.computeIfAbsent(target, t -> Timer.builder("bridge.delivery.attempt.duration")
                .tag("target", t).publishPercentileHistogram().description("Time from sending to the answer")
                .register(registry));
    }
}
