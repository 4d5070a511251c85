package dev.appointmentbridge.inbound;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.event.EventType;

/**
 * Validates a receiving-endpoint body against the published contract, collecting every bad field.
 * Works on the JSON tree rather than a bound object so that wrong types (a number for an id, a unix
 * number for the timestamp) are reported per field instead of failing the whole bind, and are never
 * silently coerced.
 */
public final class InboundEventValidator {

    static final int ID_MAX = FieldChecks.ID_MAX;
    static final int NOTES_MAX = 1000;

    private InboundEventValidator() {
    }

    public static InboundEvent validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.unprocessable("Invalid payload structure", List.of(new ErrorItem(List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")));
        }
        FieldChecks checks = new FieldChecks();
        EventType type = eventType(body.get("event_type"), checks);
        String appointmentId = checks.id(body.get("appointment_id"), List.of("body", "appointment_id"), true);
        String patientId = checks.id(body.get("patient_id"), List.of("body", "patient_id"), true);
        OffsetDateTime timestamp = checks.time(body.get("timestamp"), List.of("body", "timestamp"), true, null);
        String notes = checks.text(body.get("notes"), List.of("body", "notes"), 0, NOTES_MAX, false);
        checks.throwIfAny("Invalid payload structure");
        return new InboundEvent(type, appointmentId, patientId, timestamp, body.get("timestamp").asText(), notes);
    }

    private static EventType eventType(JsonNode node, FieldChecks checks) {
        if (FieldChecks.isAbsent(node)) {
            checks.missing(List.of("body", "event_type"));
            return null;
        }
        Optional<EventType> type = node.isTextual() ? EventType.fromWire(node.asText()) : Optional.empty();
        if (type.isEmpty()) {
            checks.add(List.of("body", "event_type"), "Input should be " + EventType.allowedList(), "literal_error");
        }
        return type.orElse(null);
    }
}
