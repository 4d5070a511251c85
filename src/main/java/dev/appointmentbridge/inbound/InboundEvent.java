package dev.appointmentbridge.inbound;

import java.time.OffsetDateTime;

import dev.appointmentbridge.event.EventType;

/** A request to {@code POST /webhook/appointment} that passed validation. */
public record InboundEvent(EventType type, String appointmentId, String patientId, OffsetDateTime timestamp,
        String rawTimestamp, String notes) {
}
