package dev.appointmentbridge.inbound;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.ForeignEventNames;
import dev.appointmentbridge.event.NewEvent;

/**
 * The Canvas appointment-sync plugin's push, as it sends it (docs/security.md, "Inbound adapters"; the bridge's own
 * {@code canvas} target format is the same shape), read into a canonical event:
 * {@code {"event_type", "appointment": {"id", "provider_id", "start_time", "end_time", "duration_minutes",
 * "original_appointment": {...}}, "patient": {"id", "first_name", "last_name"}, "timestamp"}}. Its times carry
 * no zone; they are read in {@code bridge.inbound.canvas.zone}, never guessed: unset, or a local time that does not
 * exist there (a DST gap) or exists twice (an overlap), is a 422. A time with an offset keeps it.
 */
final class CanvasPushReader {

    static final String SOURCE = "canvas";

    private final ObjectMapper mapper;
    static final String ZONE_SETTING = "bridge.inbound.canvas.zone";

    /** Null when {@link #ZONE_SETTING} is unset. */
    private final ZoneId zone;

    CanvasPushReader(ObjectMapper mapper, ZoneId zone) {
        this.mapper = mapper;
        this.zone = zone;
    }

    /**
     * @param key the sender's idempotency key (webhook-id or Idempotency-Key), or null: then the push's own
     *            content is its key, so the same push sent twice is stored once
     * @throws ApiException 422 listing every bad field
     */
    NewEvent read(JsonNode body, String key) {
        if (body == null || !body.isObject()) {
            throw ApiException.unprocessable("Invalid payload structure", List.of(new ErrorItem(List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")));
        }
        FieldChecks checks = new FieldChecks();
        String name = PushNames.name(body.get("event_type"), List.of("body", "event_type"), checks);
        Optional<EventType> type = name == null ? Optional.empty() : ForeignEventNames.fromCanvas(name);
        JsonNode appointment = body.get("appointment");
        CanonicalEvent.Appointment current = null;
        CanonicalEvent.Appointment previous = null;
        if (FieldChecks.isAbsent(appointment) || !appointment.isObject()) {
            checks.add(List.of("body", "appointment"), FieldChecks.isAbsent(appointment) ? "Field required"
                    : "Input should be an object", FieldChecks.isAbsent(appointment) ? "missing" : "dict_type");
        } else {
            current = appointment(appointment, List.of("body", "appointment"), true, type, checks);
            JsonNode original = appointment.get("original_appointment");
            if (!FieldChecks.isAbsent(original)) {
                previous = original.isObject()
                        ? appointment(original, List.of("body", "appointment", "original_appointment"), false,
                                Optional.of(EventType.SCHEDULED), checks)
                        : null;
            }
        }
        JsonNode patient = body.get("patient");
        CanonicalEvent.Patient who = null;
        if (!FieldChecks.isAbsent(patient)) {
            if (!patient.isObject()) {
                checks.add(List.of("body", "patient"), "Input should be an object", "dict_type");
            } else {
                String id = checks.id(patient.get("id"), List.of("body", "patient", "id"), true);
                String first = checks.text(patient.get("first_name"), List.of("body", "patient", "first_name"), 0, 200,
                        false);
                String last = checks.text(patient.get("last_name"), List.of("body", "patient", "last_name"), 0, 200,
                        false);
                who = new CanonicalEvent.Patient(id, first, last);
            }
        }
        OffsetDateTime timestamp = checks.time(body.get("timestamp"), List.of("body", "timestamp"), true, zone, ZONE_SETTING);
        checks.throwIfAny("Invalid payload structure");

        String storedType = type.map(EventType::wireName).orElse(SOURCE + "." + name);
        OffsetDateTime occurredAt = timestamp.truncatedTo(ChronoUnit.MICROS);
        UUID uuid = UUID.randomUUID();
        CanonicalEvent event = new CanonicalEvent(uuid.toString(), storedType, SOURCE, occurredAt.toInstant().toString(),
                withPatient(current, who), type.orElse(null) == EventType.RESCHEDULED ? previous : null, who, null, null);
        String payload;
        try {
            payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical event could not be serialized", e);
        }
        String hash = InboundEventService.fingerprint(SOURCE, storedType, payload.replace(uuid.toString(), ""));
        return new NewEvent(uuid, type.orElse(null), SOURCE, current.id(), who == null ? null : who.id(), occurredAt,
                key != null ? key : "sha256:" + hash, hash, null, payload, type.isPresent() ? null : storedType);
    }

    private CanonicalEvent.Appointment appointment(JsonNode a, List<String> loc, boolean required,
            Optional<EventType> type, FieldChecks checks) {
        String id = checks.id(a.get("id"), child(loc, "id"), required);
        String provider = checks.id(a.get("provider_id"), child(loc, "provider_id"), false);
        OffsetDateTime start = checks.time(a.get("start_time"), child(loc, "start_time"), false, zone, ZONE_SETTING);
        OffsetDateTime end = checks.time(a.get("end_time"), child(loc, "end_time"), false, zone, ZONE_SETTING);
        Integer minutes = checks.minutes(a.get("duration_minutes"), child(loc, "duration_minutes"));
        String status = type.map(t -> switch (t) {
            case CANCELLED -> "cancelled";
            case NO_SHOW -> "noshow";
            case COMPLETED -> "fulfilled";
            default -> "booked";
        }).orElse(null);
        return new CanonicalEvent.Appointment(id, status, utc(start), utc(end), minutes, provider, null, null);
    }

    private static CanonicalEvent.Appointment withPatient(CanonicalEvent.Appointment a, CanonicalEvent.Patient who) {
        return who == null ? a : new CanonicalEvent.Appointment(a.id(), a.status(), a.start(), a.end(),
                a.durationMinutes(), a.providerId(), a.locationId(), who.id());
    }

    private static String utc(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }

    private static List<String> child(List<String> loc, String field) {
        List<String> path = new ArrayList<>(loc);
        path.add(field);
        return path;
    }
}
