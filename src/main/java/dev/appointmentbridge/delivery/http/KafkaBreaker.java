package dev.appointmentbridge.delivery.http;

import java.time.Duration;
import java.time.Instant;

/**
 * A Kafka target's circuit breaker. Closed, every attempt goes. After a failure (the broker away, metadata not there
 * in time, a name that does not resolve) it opens: attempts fail at once, without a thread, for one second, doubling
 * with each failure in a row up to {@link #MAX_OPEN}; then one attempt (the probe) goes, and its outcome closes or
 * reopens it. The dispatcher does not claim for a blocked target at all, so rows wait due, without spending attempts.
 */
final class KafkaBreaker {

    static final Duration FIRST_OPEN = Duration.ofSeconds(1);
    static final Duration MAX_OPEN = Duration.ofSeconds(30);

    private int failures;
    private Instant openUntil = Instant.MIN;
    private boolean probing;

    /** Null when an attempt may go now (and takes the probe when half-open); else until when none goes. */
    synchronized Instant tryPass(Instant now) {
        Instant blocked = blockedUntil(now);
        if (blocked == null && failures > 0) {
            probing = true;
        }
        return blocked;
    }

    /** Like {@link #tryPass} without taking the probe: whether the dispatcher should claim for the target now. */
    synchronized Instant blockedUntil(Instant now) {
        if (failures == 0) {
            return null;
        }
        if (now.isBefore(openUntil)) {
            return openUntil;
        }
        return probing ? now.plus(FIRST_OPEN) : null;
    }

    synchronized void succeeded() {
        failures = 0;
        probing = false;
        openUntil = Instant.MIN;
    }

    /** How many attempts may be claimed now of {@code room}: one, the probe, until the breaker closes again. */
    synchronized int room(int room) {
        return failures == 0 ? room : Math.min(room, 1);
    }

    /** Failures of attempts already under way while it is open do not lengthen the wait: one per probe does. */
    synchronized void failed(Instant now) {
        if (failures > 0 && now.isBefore(openUntil)) {
            return;
        }
        failures = Math.min(failures + 1, 16);
        long millis = Math.min(MAX_OPEN.toMillis(), FIRST_OPEN.toMillis() << (failures - 1));
        openUntil = now.plusMillis(millis);
        probing = false;
    }
}
