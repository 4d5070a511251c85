package dev.appointmentbridge.delivery.store;

import java.time.Instant;

/**
 * The result of one attempt and what it decides: {@code status} is the delivery's new status
 * (sent, pending for a retry at {@code nextAttemptAt}, dead, skipped). {@code claim} is the fencing token the
 * delivery was claimed under: the outcome is recorded only while the row still carries it. {@code paced}: the
 * receiver asked to slow down (429, 503 with Retry-After), so the attempt does not count against the schedule.
 */
public record AttemptOutcome(long deliveryId, int attempt, String target, String status, Instant attemptedAt,
        Instant nextAttemptAt, Integer statusCode, int durationMs, String error, String responseBody, long claim,
        boolean paced) {

    /** The same outcome, its attempt given back to the schedule. */
    public AttemptOutcome asPaced() {
        return new AttemptOutcome(deliveryId, attempt, target, status, attemptedAt, nextAttemptAt, statusCode,
                durationMs, error, responseBody, claim, true);
    }

    boolean recordsAttempt() {
        return !"skipped".equals(status);
    }
}
