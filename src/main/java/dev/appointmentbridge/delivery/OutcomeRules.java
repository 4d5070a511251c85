package dev.appointmentbridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import dev.appointmentbridge.delivery.http.WebhookSender;
import dev.appointmentbridge.delivery.store.AttemptOutcome;
import dev.appointmentbridge.delivery.store.ClaimedDelivery;
import dev.appointmentbridge.delivery.target.TargetRegistry;

/**
 * What a receiver's answer means for its delivery: a 2xx is sent; a refused address or a 410 is dead (the 410
 * disables the target); a 429, or a 503 with a usable Retry-After, paces the whole target without counting the attempt
 * (within {@code bridge.delivery.max-pacing}); anything else is retried on the schedule until it runs out.
 */
final class OutcomeRules {

    private final TargetPacing pacing;
    private final RetryPolicy retries;
    private final TargetRegistry targets;
    private final Duration maxPacing;
    private final Consumer<String> gone;
    private final Consumer<Instant> wakeBy;

    /**
     * @param gone   called with a target that answered 410 (on an event loop: the caller disables it later)
     * @param wakeBy called with when the outbox must be looked at again at the latest
     */
    OutcomeRules(TargetPacing pacing, RetryPolicy retries, TargetRegistry targets, Duration maxPacing,
            Consumer<String> gone, Consumer<Instant> wakeBy) {
        this.pacing = pacing;
        this.retries = retries;
        this.targets = targets;
        this.maxPacing = maxPacing;
        this.gone = gone;
        this.wakeBy = wakeBy;
    }

    AttemptOutcome decide(ClaimedDelivery d, Instant started, int ms, WebhookSender.Response r) {
        Integer code = r.statusCode();
        if (code != null && code / 100 == 2) {
            pacing.succeeded(d.target(), started,
                    targets.find(d.target()).map(t -> t.config().maxInFlight()).orElse(1), Instant.now());
            return d.outcome("sent", started, null, code, ms, null, r.body());
        }
        String error = code != null ? "HTTP " + code : r.error();
        if (r.refused()) { // the address is not allowed: no network failure, retrying cannot help
            return d.outcome("dead", started, null, null, ms, error, null);
        }
        if (code != null && code == 410) {
            // This runs on a Vert.x event loop: no JDBC here, the dispatcher disables the target.
            gone.accept(d.target());
            return d.outcome("dead", started, null, code, ms,
                    "410 Gone: target disabled", r.body());
        }
        Instant now = Instant.now();
        boolean slowDown = retries.slowsDown(code, r.retryAfter(), now);
        if (slowDown && Duration.between(d.createdAt(), now).compareTo(maxPacing) < 0) {
            // Asked to slow down, not failed: the wait is the receiver's, the whole target waits with it, and the
            // attempts meant to ride out an outage are kept for one.
            Instant paced = retries.pacedAttempt(pacing.streak(d.target()) + 1, now, r.retryAfter());
            pacing.slowDown(d.target(), now, paced);
            wakeBy.accept(paced);
            return d.outcome("pending", started, paced, code, ms, error + " (" + DeliveryWorker.PACED + ": waits until "
                    + paced + ", attempt not counted)", r.body()).asPaced();
        }
        Optional<Instant> next = retries.nextAttempt(d.attempt(), now, r.retryAfter());
        if (next.isEmpty()) {
            return d.outcome("dead", started, null, code, ms,
                    error + " (retry schedule exhausted)", r.body());
        }
        wakeBy.accept(next.get());
        return d.outcome("pending", started, next.get(), code, ms, error,
                r.body());
    }
}
