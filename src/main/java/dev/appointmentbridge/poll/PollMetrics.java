package dev.appointmentbridge.poll;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.registry.SourceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The sources' metrics: cycles, events, drift, the complete-through watermark and held cancellations. */
@Singleton // no client proxy: a cycle or an attempt still ending while the application stops can count
public class PollMetrics {

    private static final Logger LOG = Logger.getLogger(PollMetrics.class);

    @Inject
    SourceRegistry sources;

    @Inject
    DatabaseCycleStore store;

    @Inject
    MeterRegistry registry;

    private final Map<String, AtomicReference<Double>> completeThrough = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> held = new ConcurrentHashMap<>();

    /** Every source's series exist at zero from the start: an alert on "no cycles" needs a series. */
    void registerAtZero(@Observes StartupEvent ignored) {
        for (PolledSource source : sources.all()) {
            String name = source.name();
            registry.timer("bridge.poll.duration", "source", name);
            for (String result : List.of("ok", "failed", "skipped")) {
                registry.counter("bridge.poll.cycles", "source", name, "result", result);
            }
            for (EventType type : EventType.values()) {
                registry.counter("bridge.poll.events", "source", name, "type", type.wireName());
            }
            registry.counter("bridge.poll.quarantined", "source", name);
            if (source.readsById()) {
                registry.counter("bridge.push.fetches", "source", name);
            }
            if (PollCycle.reconciles(source)) {
                for (EventType type : EventType.values()) {
                    io.micrometer.core.instrument.Counter.builder("bridge.reconcile.drift")
                            .description("Events a reconciliation sweep found that the cursor path had missed "
                                    + "(sent with reason reconciled); 0 in steady state")
                            .tags("source", name, "kind", kind(type)).register(registry);
                }
            }
            // NaN until a watermark is known.
            AtomicReference<Double> through = new AtomicReference<>(Double.NaN);
            completeThrough.put(name, through);
            io.micrometer.core.instrument.Gauge.builder("bridge.source.complete.through", through, AtomicReference::get)
                    .baseUnit("seconds").tag("source", name)
                    .description("Every upstream change up to this instant (epoch seconds) is known to have been seen: "
                            + "a cursor source's cursor, a window source's start of its last complete scan")
                    .register(registry);
            refreshWatermark(name);
            java.util.concurrent.atomic.AtomicLong heldNow = new java.util.concurrent.atomic.AtomicLong();
            held.put(name, heldNow);
            io.micrometer.core.instrument.Gauge.builder("bridge.poll.held.cancellations", heldNow,
                    java.util.concurrent.atomic.AtomicLong::get).tag("source", name)
                    .description("Cancellations found by the running or last cycle and not yet sent (held so a "
                            + "rebooking in the same cycle can fold them); each is sent by the time the next cycle starts")
                    .register(registry);
        }
    }

    void refreshHeld(String name) {
        java.util.concurrent.atomic.AtomicLong gauge = held.get(name);
        if (gauge == null) {
            return;
        }
        try {
            gauge.set(store.heldCount(name));
        } catch (RuntimeException e) {
            LOG.debugf("Could not count the held cancellations of %s: %s", name, e.getClass().getSimpleName());
        }
    }

    /** A drift kind as the metric labels it: the event type without its {@code appointment.} prefix. */
    static String kind(EventType type) {
        return type.wireName().substring(type.wireName().indexOf('.') + 1);
    }

    void refreshWatermark(String name) {
        AtomicReference<Double> through = completeThrough.get(name);
        if (through == null) {
            return;
        }
        try {
            java.time.Instant at = store.completeThrough(name);
            through.set(at == null ? Double.NaN : at.toEpochMilli() / 1000.0);
        } catch (RuntimeException e) {
            LOG.debugf("Could not read the watermark of %s: %s", name, e.getClass().getSimpleName());
        }
    }

    /** Adds what a cycle, fetch or confirmation emitted to bridge_poll_events_total. */
    void countEvents(String name, CycleResult result) {
        for (Map.Entry<EventType, Integer> e : result.events().entrySet()) {
            registry.counter("bridge.poll.events", "source", name, "type", e.getKey().wireName())
                    .increment(e.getValue());
        }
    }
}
