package dev.appointmentbridge.event;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One event as {@code GET /webhook/events} lists it; {@code payload} is the stored canonical JSON, inline. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventView(long eventId, String eventUuid, String eventType, String appointmentId, String patientId,
        String timestamp, String receivedAt, String source, String notes, @JsonRawValue String payload) {

    static EventView of(EventEntity e) {
        return new EventView(e.id, e.uuid.toString(), e.type, e.appointmentId, e.patientId,
                e.occurredAt.toInstant().toString(), e.receivedAt.toInstant().toString(), e.source, e.notes,
                e.payload);
    }
}
