package dev.appointmentbridge.delivery;

import dev.appointmentbridge.config.DeliveryConfig;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import dev.appointmentbridge.delivery.http.WebhookSender;
import dev.appointmentbridge.delivery.format.PayloadFormatter;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import dev.appointmentbridge.delivery.store.ClaimedDelivery;
import dev.appointmentbridge.delivery.store.AttemptOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.appointmentbridge.common.SqlStates;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The delivery worker: one dispatcher thread claims due outbox rows, hands them to the non-blocking
 * sender, and writes the outcomes back in batches. It sleeps until a NOTIFY (new deliveries committed),
 * an outcome, a due retry, or the slow backstop poll, whichever comes first.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    @Inject
    DeliveryConfig config;

    @Inject
    TargetRegistry targets;

    @Inject
    DeliveryStore store;

    @Inject
    PayloadFormatter formatter;

    @Inject
    Vertx vertx;

    @Inject
    DeliveryMetrics metrics;

    @Inject
    RemovedTargets removedTargets;

    private final Semaphore wake = new Semaphore(0);
    private final ConcurrentLinkedQueue<AttemptOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private final Set<String> goneTargets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> targetInFlight = new ConcurrentHashMap<>();
    private volatile boolean running;
    /** When the dispatcher must look at the outbox again at the latest; set from the event loops too. */
    private final AtomicReference<Instant> nextRetryAt = new AtomicReference<>(Instant.MAX);
    private final TargetPacing pacing = new TargetPacing();
    /** Where the next claim round starts among the targets (dispatcher thread only). */
    private int rotation;
    private Thread dispatcher;
    private WebhookSender sender;
    private RetryPolicy retries;
    private OutcomeRules rules;
    private Duration lease;
    /** Room between an attempt's deadline and its lease: recording the outcome, a pause, clock drift. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    void start(@Observes StartupEvent ignored) {
        metrics.register(targets.all());
        removedTargets.retire();
        if (!config.enabled() || targets.all().isEmpty()) {
            LOG.info(targets.all().isEmpty() ? "No delivery targets configured" : "Delivery disabled");
            return;
        }
        retries = new RetryPolicy(config.retrySchedule(), config.jitter(), config.maxRetryAfter(),
                () -> ThreadLocalRandom.current().nextDouble());
        sender = new WebhookSender(vertx, targets.all(), config.allowPrivateTargets());
        // A lease shorter than an attempt could last would let another worker claim a row still in flight.
        for (TargetRegistry.Target t : targets.all()) {
            Duration needed = t.config().timeout().plus(LEASE_MARGIN);
            if (config.lease().compareTo(needed) < 0) {
                throw new IllegalStateException("bridge.delivery.lease (" + config.lease() + ") must exceed"
                        + " bridge.targets." + t.name() + ".timeout (" + t.config().timeout() + ") by at least "
                        + LEASE_MARGIN.toSeconds() + " s");
            }
        }
        lease = config.lease();
        rules = new OutcomeRules(pacing, retries, targets, config.maxPacing(), goneTargets::add, this::wakeBy);
        running = true;
        dispatcher = new Thread(this::loop, "delivery-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
        targets.all().forEach(t -> LOG.infof("Delivering to target=%s format=%s url=%s signed=%s", t.name(),
                t.config().format(), t.address(), t.signer() != null));
    }

    /** Graceful stop: no new claims; in-flight requests get a few seconds to finish and be recorded. */
    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        LOG.infof("Delivery worker stopping: no new claims, %d in flight", inFlight.get());
        wake();
        dispatcher.join(TimeUnit.SECONDS.toMillis(15));
        sender.close();
        LOG.infof("Delivery worker stopped; %d cut off (sent again after their lease)", inFlight.get());
    }

    /** True when delivery is off, or its dispatcher thread is alive. */
    public boolean isHealthy() {
        return !running || (dispatcher != null && dispatcher.isAlive());
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Marks an attempt whose answer asked to slow down (attempt log, success rate). */
    public static final String PACED = "asked to slow down";

    /**
     * Ends a target's pause (a receiver asked to slow down, DeliveryWorker paces it): an operator's retry or enable
     * means "now", whatever the receiver asked.
     */
    public void resume(String target) {
        pacing.resume(target);
        wake();
    }

    /** Until when the target asked this replica to send nothing, or null. */
    public Instant pausedUntil(String target) {
        return pacing.pausedUntil(target, Instant.now());
    }

    /** A heartbeat was answered: a pause it asks for (RetryPolicy.slowsDown) holds the target's deliveries too. */
    void heartbeatAnswered(String target, int code, String retryAfter) {
        if (retries == null) {
            return;
        }
        Instant now = Instant.now();
        if (retries.slowsDown(code, retryAfter, now)) {
            Instant until = retries.pacedAttempt(pacing.streak(target) + 1, now, retryAfter);
            pacing.slowDown(target, now, until);
            wakeBy(until);
        }
    }

    /** New work may be due: called by the NOTIFY listener and by admin retry/replay. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void loop() {
        long lastStats = 0;
        while (running || inFlight.get() > 0) {
            try {
                flushOutcomes();
                int claimed = running ? claimAndSend() : 0;
                if (System.currentTimeMillis() - lastStats > config.backstopPoll().toMillis()) {
                    lastStats = System.currentTimeMillis();
                    refreshStats();
                }
                boolean full = claimed > 0 && inFlight.get() >= config.maxInFlight(); // else claim again at once
                if (claimed == 0 || full) {
                    wake.tryAcquire(sleepMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Delivery loop: %s %s; retrying in 1 s", e.getClass().getSimpleName(), java.util.Objects.toString(SqlStates.of(e), ""));
                sleepQuietly(1000);
            }
        }
        try {
            flushOutcomes();
        } catch (RuntimeException e) {
            LOG.warnf("Could not record the last outcomes (database error %s); they will be retried", java.util.Objects.toString(SqlStates.of(e), ""));
        }
    }

    private long sleepMillis() {
        long backstop = config.backstopPoll().toMillis();
        Instant retryAt = nextRetryAt.get();
        if (retryAt.isAfter(Instant.now().plusMillis(backstop))) {
            return backstop;
        }
        return Math.max(10, Duration.between(Instant.now(), retryAt).toMillis());
    }

    /**
     * Claims per target, each up to its own free slots (max-in-flight) within the global room. Each enabled target is
     * guaranteed its share of the global room ({@code bridge.delivery.max-in-flight} ÷ targets, at most its own
     * max-in-flight): what others may take beyond their own share comes only from the slots nobody's share holds. So
     * targets that hang fill their own shares and the unreserved rest, and a healthy target beside them keeps its
     * share whatever their number. Targets are visited from a rotating start, so none is always served last.
     */
    private int claimAndSend() {
        Instant now = Instant.now();
        nextRetryAt.updateAndGet(at -> now.isBefore(at) ? at : Instant.MAX);
        List<TargetRegistry.Target> eligible = new ArrayList<>();
        for (TargetRegistry.Target t : targets.all()) {
            if (!targets.isDisabled(t.name()) && !goneTargets.contains(t.name())) {
                eligible.add(t);
            }
        }
        if (eligible.isEmpty()) {
            return 0;
        }
        int share = config.maxInFlight() / eligible.size(); // rounded down: the shares never add up beyond the cap
        int total = 0;
        int start = Math.floorMod(rotation++, eligible.size());
        for (int i = 0; i < eligible.size(); i++) {
            TargetRegistry.Target t = eligible.get((start + i) % eligible.size());
            int inFlightThere = targetInFlight(t.name()).get();
            int reservedForOthers = 0;
            for (TargetRegistry.Target u : eligible) {
                if (u != t) {
                    reservedForOthers += Math.max(0, Math.min(share, u.config().maxInFlight())
                            - targetInFlight(u.name()).get());
                }
            }
            int ownShare = Math.min(share, t.config().maxInFlight()) - inFlightThere;
            int pool = config.maxInFlight() - inFlight.get() - reservedForOthers;
            int room = pacing.room(t.name(), Math.min(t.config().maxInFlight() - inFlightThere,
                    Math.max(ownShare, pool)), inFlightThere);
            Instant paused = pacing.pausedUntil(t.name(), now);
            if (paused == null) {
                paused = sender.blockedUntil(t);
            }
            if (paused != null) {
                wakeBy(paused);
                continue;
            }
            room = sender.room(t, room);
            if (room <= 0) {
                continue;
            }
            List<ClaimedDelivery> claimed = store.claim(t.name(), room, lease);
            for (ClaimedDelivery d : claimed) {
                send(d);
            }
            total += claimed.size();
        }
        return total;
    }

    private AtomicInteger targetInFlight(String target) {
        return targetInFlight.computeIfAbsent(target, k -> new AtomicInteger());
    }

    private void send(ClaimedDelivery d) {
        TargetRegistry.Target target = targets.find(d.target()).orElseThrow();
        Instant started = Instant.now();
        Optional<byte[]> body = formatter.render(target.config().format(), d.eventType(), d.occurredAt(),
                d.payload(), target.config().includePatientName());
        if (body.isEmpty()) {
            complete(d.outcome("skipped", started, null, null, 0,
                    "format " + target.config().format() + " cannot express this event", null));
            return;
        }
        inFlight.incrementAndGet();
        AtomicInteger perTarget = targetInFlight(d.target());
        perTarget.incrementAndGet();
        sender.send(target, d.webhookId(), d.sequence(), d.source() + "/" + d.appointmentId(), body.get()).onComplete(result -> {
            inFlight.decrementAndGet();
            perTarget.decrementAndGet();
            WebhookSender.Response response = result.result();
            int ms = (int) Duration.between(started, Instant.now()).toMillis();
            metrics.attempt(d.target(), Duration.ofMillis(ms));
            complete(rules.decide(d, started, ms, response));
        });
    }

    /** The dispatcher looks at the outbox again by {@code at} at the latest. */
    private void wakeBy(Instant at) {
        nextRetryAt.accumulateAndGet(at, (now, asked) -> asked.isBefore(now) ? asked : now);
    }

    private void complete(AttemptOutcome outcome) {
        outcomes.add(outcome);
        String kind = outcome.paced() ? "paced" : "pending".equals(outcome.status()) ? "retry" : outcome.status();
        metrics.outcome(outcome.target(), kind);
        if (!"sent".equals(outcome.status())) {
            LOG.infof("Delivery id=%d target=%s attempt=%d -> %s%s", outcome.deliveryId(), outcome.target(),
                    outcome.attempt(), outcome.status(), outcome.error() == null ? "" : " (" + outcome.error() + ")");
        }
        wake();
    }

    private void flushOutcomes() {
        for (String target : goneTargets) {
            targets.disable(target, "410 Gone from the target at " + Instant.now());
            goneTargets.remove(target);
        }
        List<AttemptOutcome> batch = new ArrayList<>();
        AttemptOutcome o;
        while (batch.size() < 2000 && (o = outcomes.poll()) != null) {
            batch.add(o);
        }
        try {
            int stale = store.record(batch);
            if (stale > 0) {
                metrics.stale(stale);
                LOG.warnf("%d delivery outcomes dropped: their claim was superseded (the lease ran out mid-attempt, or an"
                        + " operator re-queued the delivery or an older one of its appointment)",
                        stale);
            }
        } catch (RuntimeException e) {
            outcomes.addAll(batch); // kept in memory and written when the database is back
            throw e;
        }
    }

    private void refreshStats() {
        targets.reloadDisabled();
        metrics.refresh(store, targets.enabledNames());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
