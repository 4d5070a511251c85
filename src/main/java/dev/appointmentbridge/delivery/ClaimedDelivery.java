package dev.appointmentbridge.delivery;

/** A due delivery this worker now holds (until its lease runs out), with the event it carries. */
public record ClaimedDelivery(long id, String target, int attempt, String webhookId, String eventType,
        String occurredAt, String payload) {
}
