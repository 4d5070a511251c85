package dev.appointmentbridge.poll;

import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import dev.appointmentbridge.poll.store.LeaseLostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.registry.SourceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Runs a cycle for a source and reports it: one log line, metrics, and the failure on the source's row. */
@ApplicationScoped
public class PollService {

    private static final Logger LOG = Logger.getLogger(PollService.class);

    @Inject
    SourceRegistry sources;

    @Inject
    PollCycle cycle;

    @Inject
    DatabaseCycleStore store;

    @Inject
    MeterRegistry registry;

    @Inject
    PollMetrics metrics;

    private final Map<String, Semaphore> inProcess = new ConcurrentHashMap<>();
    /**
     * Appointments pushed while the source's first sync ran (here or on another replica), or before it when the
     * read failed: fetched once it has ended, announced even if it stored them silently. In this process only.
     */
    private final Map<String, java.util.Set<String>> pushedBeforeFirstSync = new ConcurrentHashMap<>();
    /** Deferred pushes kept per source at most; beyond it the first sync's silent baseline has the last word. */
    static final int MAX_DEFERRED = 10_000;
    /** Push-triggered fetches waiting for or holding each source: a cycle waits for them, briefly. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> fetching = new ConcurrentHashMap<>();

    /**
     * A cycle runs at once or not at all while another cycle runs; behind pushes' fetches (each one read by id)
     * it waits up to 5 s, so a stream of pushes cannot starve the source's polling.
     */
    private boolean acquireForCycle(String name, Semaphore running) {
        if (running.tryAcquire()) {
            return true;
        }
        java.util.concurrent.atomic.AtomicInteger pushes = fetching.get(name);
        if (pushes == null || pushes.get() == 0) {
            return false;
        }
        try {
            return running.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Optional<PolledSource> find(String name) {
        return sources.find(name);
    }

    /** Polls the named source now; empty when it is unknown or its cycle failed (already recorded). */
    public Optional<CycleResult> poll(String name) {
        Optional<PolledSource> source = sources.find(name);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        // One cycle per source in this process: "poll now" during a scheduled cycle is skipped, not run beside
        // it (the lease would let this replica take its own source back and cut the running cycle off).
        java.time.Instant paused = source.get().pausedUntil();
        if (paused != null) {
            // The source answered 429/503 with a Retry-After this long: not even asked until then.
            LOG.debugf("Poll source=%s skipped: it asked to be left alone until %s", name, paused);
            CycleResult skipped = CycleResult.skippedCycle();
            report(name, skipped);
            return Optional.of(skipped);
        }
        Semaphore running = semaphore(name);
        if (!acquireForCycle(name, running)) {
            CycleResult skipped = CycleResult.skippedCycle();
            report(name, skipped);
            return Optional.of(skipped);
        }
        try {
            return pollHeld(name, source.get());
        } finally {
            running.release();
            fetchDeferred(name);
        }
    }

    /** The pushes deferred until the source's first sync ended, once it has; those that cannot run yet stay. */
    private void fetchDeferred(String name) {
        java.util.Set<String> ids = pushedBeforeFirstSync.get(name);
        if (ids == null || ids.isEmpty() || !cycle.firstSyncDone(name)) {
            return;
        }
        for (String id : List.copyOf(ids)) {
            if (fetch(name, id, true).result() == null) {
                return; // the source or its lease is busy: the next cycle's end tries again
            }
            ids.remove(id);
        }
    }

    /**
     * A push said this appointment changed: reads it from the source now and diffs it like a poll.
     * Waits up to 5 s for a cycle of the source running here; returns why not when it cannot run now or the
     * source could not be read: the next poll sees the change, or, before a silent first sync has ended, the push
     * is deferred until it has.
     */
    public FetchOutcome fetch(String name, String appointmentId) {
        String problem = cannotFetch(name);
        if (problem != null) {
            return FetchOutcome.notDone(problem);
        }
        FetchOutcome outcome = fetch(name, appointmentId, false);
        if (outcome.result() != null || sources.find(name).orElseThrow().config().emitOnFirstSync()
                || cycle.firstSyncDone(name)) {
            return outcome;
        }
        // Before the first sync has ended, "the next poll sees it" is not true: that sync stores what it lists
        // without events. The push is fetched when it has ended and announced.
        java.util.Set<String> ids = pushedBeforeFirstSync.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet());
        if (ids.size() >= MAX_DEFERRED) {
            LOG.warnf("Source %s: %d pushes already wait for its first sync; appointment=%s is left to it", name,
                    ids.size(), appointmentId);
            return outcome;
        }
        ids.add(appointmentId);
        return FetchOutcome.deferred(outcome.notDone() + "; the first sync of " + name + " has not ended: the "
                + "appointment is fetched and announced when it has");
    }

    private FetchOutcome fetch(String name, String appointmentId, boolean duringFirstSync) {
        Semaphore running = semaphore(name);
        java.util.concurrent.atomic.AtomicInteger pushes = fetching.computeIfAbsent(name,
                n -> new java.util.concurrent.atomic.AtomicInteger());
        pushes.incrementAndGet();
        try {
            if (!running.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)) {
                pushes.decrementAndGet();
                return FetchOutcome.notDone("a cycle of " + name + " is running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pushes.decrementAndGet();
            return FetchOutcome.notDone("interrupted");
        } catch (RuntimeException e) {
            pushes.decrementAndGet();
            throw e;
        }
        try {
            Optional<CycleResult> result = cycle.fetch(sources.find(name).orElseThrow(), appointmentId, duringFirstSync);
            result.ifPresent(r -> registry.counter("bridge.push.fetches", "source", name).increment());
            return result.map(FetchOutcome::done)
                    .orElseGet(() -> FetchOutcome.notDone("another replica is polling " + name));
        } catch (SourceFetchException | RuntimeException e) {
            String why = e instanceof SourceFetchException ? e.getMessage() : "unexpected " + e.getClass().getSimpleName();
            LOG.warnf("Fetch of appointment=%s from source=%s failed: %s", appointmentId, name, why);
            return FetchOutcome.notDone("the fetch from " + name + " failed: " + why);
        } finally {
            running.release();
            pushes.decrementAndGet();
        }
    }

    /**
     * An operator confirmed the source's pending removals held at or before {@code through}; empty when a cycle of
     * it is running here or on another replica (or it failed: logged).
     */
    public Optional<CycleResult> confirmRemovals(String name, java.time.Instant through) {
        Optional<PolledSource> source = sources.find(name);
        Semaphore running = semaphore(name);
        if (source.isEmpty() || !running.tryAcquire()) {
            return Optional.empty();
        }
        try {
            Optional<CycleResult> result = cycle.confirmRemovals(source.get(), through);
            result.ifPresent(r -> {
                metrics.countEvents(name, r);
                LOG.infof("Source %s: an operator confirmed %d pending removals, %d cancelled", name, r.records(),
                        r.deletes());
            });
            return result;
        } catch (SourceFetchException | RuntimeException e) {
            LOG.warnf("Confirming the pending removals of %s failed: %s", name, e.getMessage());
            return Optional.empty();
        } finally {
            running.release();
        }
    }

    /** Why a push cannot fetch from this source, or null when it can. */
    public String cannotFetch(String name) {
        Optional<PolledSource> source = sources.find(name);
        if (source.isEmpty()) {
            return "no source " + name;
        }
        return source.get().readsById() ? null : "source " + name + " cannot read one appointment (set its item-url)";
    }

    /** Fair, so a cycle waiting behind a stream of pushes' fetches gets its turn in order. */
    private Semaphore semaphore(String name) {
        return inProcess.computeIfAbsent(name, n -> new Semaphore(1, true));
    }

    /** What a push-triggered fetch did: its result, or why it did not run. */
    public record FetchOutcome(CycleResult result, String notDone, boolean deferred) {

        static FetchOutcome done(CycleResult result) {
            return new FetchOutcome(result, null, false);
        }

        static FetchOutcome notDone(String why) {
            return new FetchOutcome(null, why, false);
        }

        static FetchOutcome deferred(String why) {
            return new FetchOutcome(null, why, true);
        }
    }

    private Optional<CycleResult> pollHeld(String name, PolledSource source) {
        Timer.Sample timer = Timer.start(registry);
        try {
            CycleResult result = cycle.run(source);
            timer.stop(registry.timer("bridge.poll.duration", "source", name));
            report(name, result);
            if (!result.skipped() && !result.baseline()) {
                reconcile(name, source);
            }
            metrics.refreshWatermark(name);
            return Optional.of(result);
        } catch (SourceFetchException e) {
            fail(name, e.status(), e.getMessage());
        } catch (LeaseLostException e) {
            fail(name, 0, e.getMessage());
        } catch (RuntimeException e) {
            fail(name, 0, "unexpected " + e.getClass().getSimpleName());
        } finally {
            metrics.refreshHeld(name);
        }
        return Optional.empty();
    }

    /** The next step of the source's reconciliation sweep, if one is due; its failure fails no poll. */
    private void reconcile(String name, PolledSource source) {
        try {
            cycle.reconcile(source).ifPresent(step -> {
                for (Map.Entry<EventType, Integer> e : step.events().entrySet()) {
                    registry.counter("bridge.reconcile.drift", "source", name, "kind", PollMetrics.kind(e.getKey()))
                            .increment(e.getValue());
                    registry.counter("bridge.poll.events", "source", name, "type", e.getKey().wireName())
                            .increment(e.getValue());
                }
                if (step.eventCount() > 0) {
                    LOG.warnf("Reconcile source=%s found %d changes the cursor path missed (sent with reason "
                            + "reconciled): %s", name, step.eventCount(), step.events());
                } else {
                    LOG.debugf("Reconcile source=%s pages=%d records=%d: no drift", name, step.pages(), step.records());
                }
            });
        } catch (SourceFetchException | RuntimeException e) {
            String why = e instanceof SourceFetchException ? e.getMessage() : "unexpected " + e.getClass().getSimpleName();
            LOG.warnf("Reconcile step of source=%s failed; it is tried again next cycle: %s", name, why);
        }
    }

    private void report(String name, CycleResult result) {
        if (result.skipped()) {
            LOG.debugf("Poll source=%s skipped: a cycle of it is running here or on another replica", name);
            registry.counter("bridge.poll.cycles", "source", name, "result", "skipped").increment();
            return;
        }
        registry.counter("bridge.poll.cycles", "source", name, "result", "ok").increment();
        metrics.countEvents(name, result);
        registry.counter("bridge.poll.quarantined", "source", name).increment(result.quarantined());
        if (result.records() > 0 || result.eventCount() > 0) {
            LOG.infof("Poll source=%s pages=%d records=%d events=%d quarantined=%d deletes=%d%s cursor=%s", name,
                    result.pages(), result.records(), result.eventCount(), result.quarantined(), result.deletes(),
                    result.baseline() ? " (baseline, no events)" : "", result.cursor());
        }
    }

    private void fail(String name, int status, String reason) {
        LOG.warnf("Poll source=%s failed; pages before the failure are committed, the rest is read next interval: %s",
                name, reason);
        registry.counter("bridge.poll.failures", "source", name, "status", Integer.toString(status)).increment();
        registry.counter("bridge.poll.cycles", "source", name, "result", "failed").increment();
        try {
            store.recordFailure(name, reason);
        } catch (RuntimeException e) {
            LOG.warnf("Could not record the failed poll of %s: %s", name, e.getClass().getSimpleName());
        }
    }
}
