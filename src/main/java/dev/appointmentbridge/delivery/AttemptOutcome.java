package dev.appointmentbridge.delivery;

import java.time.Instant;

/**
 * The result of one attempt and what it decides: {@code status} is the delivery's new status
 * (sent, pending for a retry at {@code nextAttemptAt}, dead, skipped).
 */
public record AttemptOutcome(long deliveryId, int attempt, String target, String status, Instant attemptedAt,
        Instant nextAttemptAt, Integer statusCode, int durationMs, String error, String responseBody) {

    boolean recordsAttempt() {
        return !"skipped".equals(status);
    }
}
