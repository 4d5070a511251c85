package dev.appointmentbridge.delivery.store;

import java.time.Instant;

/**
 * A due delivery this worker now holds (until its lease runs out), with the event it carries. {@code claim} is
 * the fencing token of this claim (the row's {@code claim} column after the increment); {@code createdAt} when the
 * delivery was stored, which bounds how long it may be paced; {@code sequence} its number in the target's sequence
 * (bridge-sequence); {@code source} and {@code appointmentId} the key it is ordered by (a Kafka record's key).
 */
public record ClaimedDelivery(long id, String target, int attempt, String webhookId, String eventType,
        String occurredAt, String payload, long claim, Instant createdAt, Long sequence, String source,
        String appointmentId) {

    /** The outcome of this claim's attempt, fenced by its token. */
    public AttemptOutcome outcome(String status, Instant attemptedAt, Instant nextAttemptAt, Integer statusCode,
            int durationMs, String error, String responseBody) {
        return new AttemptOutcome(id, attempt, target, status, attemptedAt, nextAttemptAt, statusCode, durationMs,
                error, responseBody, claim, false);
    }
}
