package dev.appointmentbridge.event;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An event about to be appended to the log; {@code payload} is the exact canonical JSON. */
public record NewEvent(UUID uuid, EventType type, String source, String appointmentId, String patientId,
        OffsetDateTime occurredAt, String idempotencyKey, String requestHash, String notes, String payload) {
}
