package dev.appointmentbridge.event;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An event about to be appended to the log; {@code payload} is the exact canonical JSON. {@code type} is null
 * only for a pushed event whose name maps to no canonical type: then {@code unmappedType} is what is stored and
 * listed (e.g. {@code clockwise.check_in}), and no delivery is made (docs/security.md, "Inbound adapters").
 */
public record NewEvent(UUID uuid, EventType type, String source, String appointmentId, String patientId,
        OffsetDateTime occurredAt, String idempotencyKey, String requestHash, String notes, String payload,
        String unmappedType) {

    public NewEvent(UUID uuid, EventType type, String source, String appointmentId, String patientId,
            OffsetDateTime occurredAt, String idempotencyKey, String requestHash, String notes, String payload) {
        this(uuid, type, source, appointmentId, patientId, occurredAt, idempotencyKey, requestHash, notes, payload,
                null);
    }

    /** The type as stored and listed. */
    public String wireType() {
        return type != null ? type.wireName() : unmappedType;
    }
}
