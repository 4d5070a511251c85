package dev.appointmentbridge.event;

import java.time.OffsetDateTime;

/**
 * The outcome of an append: the row now in the log. {@code duplicate} is true when an earlier event with
 * the same idempotency key was found instead; {@code requestHash} is that earlier event's.
 */
public record StoredEvent(long id, OffsetDateTime receivedAt, String type, String appointmentId, String patientId,
        String requestHash, boolean duplicate) {
}
