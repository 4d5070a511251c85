package dev.appointmentbridge.delivery.format;

import dev.appointmentbridge.config.Format;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.appointmentbridge.event.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Renders a stored canonical event in a target's format. Empty when the format cannot express the event
 * (e.g. completed for canvas): that delivery is recorded as skipped, not failed. Bodies depend only on
 * the event, so every retry sends the same bytes.
 */
@ApplicationScoped
public class PayloadFormatter {

    /** Canvas sends offsets as "+00:00" (Python isoformat), not "Z". */
    private static final DateTimeFormatter CANVAS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    @Inject
    ObjectMapper mapper;

    /**
     * @param type       the event's type, from the event row
     * @param occurredAt the event's time, from the event row (it equals the payload's occurred_at)
     */
    public Optional<byte[]> render(Format format, String type, String occurredAt, String canonicalJson,
            boolean includePatientName) {
        if (format == Format.STANDARD) {
            // The stored bytes unchanged in the envelope; the hot path never parses the payload.
            return Optional.of(("{\"type\":" + quote(type) + ",\"timestamp\":" + quote(occurredAt) + ",\"data\":"
                    + canonicalJson + "}").getBytes(StandardCharsets.UTF_8));
        }
        JsonNode event = parse(canonicalJson);
        EventType eventType = EventType.fromWire(type)
                .orElseThrow(() -> new IllegalStateException("stored event has an unknown type"));
        Optional<String> body = switch (format) {
            case STANDARD -> throw new IllegalStateException("returned above");
            case CANVAS -> canvas(eventType, event);
            case FLAT -> flat(eventType, event);
            case SLACK -> Optional.of(json(mapper.createObjectNode().put("text", slackText(eventType, event,
                    includePatientName))));
            case CLOCKWISE -> Optional.ofNullable(FormatSupport.CLOCKWISE_TYPES.get(eventType)).map(t -> json(mapper
                    .createObjectNode().put("appointment_id", event.path("appointment").path("id").asText())
                    .put("event_type", t)));
        };
        return body.map(b -> b.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode parse(String canonicalJson) {
        try {
            return mapper.readTree(canonicalJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored payload is not JSON", e);
        }
    }

    private Optional<String> canvas(EventType type, JsonNode event) {
        String canvasType = FormatSupport.CANVAS_TYPES.get(type);
        if (canvasType == null) {
            return Optional.empty();
        }
        ObjectNode body = mapper.createObjectNode().put("event_type", canvasType);
        ObjectNode appointment = canvasAppointment(event.path("appointment"));
        JsonNode previous = event.path("previous");
        if (type == EventType.RESCHEDULED && previous.isObject()) {
            appointment.set("original_appointment", canvasAppointment(previous));
        }
        body.set("appointment", appointment);
        body.put("timestamp", canvasTime(event.path("occurred_at").asText()));
        JsonNode patient = event.path("patient");
        if (patient.isObject()) {
            body.putObject("patient").put("id", patient.path("id").asText())
                    .put("first_name", text(patient, "first_name")).put("last_name", text(patient, "last_name"));
        }
        return Optional.of(json(body));
    }

    private ObjectNode canvasAppointment(JsonNode a) {
        ObjectNode out = mapper.createObjectNode().put("id", a.path("id").asText())
                .put("provider_id", text(a, "provider_id"));
        out.put("start_time", a.hasNonNull("start") ? canvasTime(a.get("start").asText()) : null);
        if (a.hasNonNull("duration_minutes")) {
            out.put("duration_minutes", a.get("duration_minutes").asInt());
        } else {
            out.putNull("duration_minutes");
        }
        out.put("end_time", a.hasNonNull("end") ? canvasTime(a.get("end").asText()) : null);
        return out;
    }

    /** What POST /webhook/appointment accepts, so one bridge can feed another; notes never carry patient data. */
    private Optional<String> flat(EventType type, JsonNode event) {
        JsonNode appointment = event.path("appointment");
        String patientId = text(appointment, "patient_id");
        if (patientId == null) {
            return Optional.empty(); // the receiving contract requires a patient_id
        }
        ObjectNode body = mapper.createObjectNode().put("event_type", type.wireName())
                .put("appointment_id", appointment.path("id").asText()).put("patient_id", patientId)
                .put("timestamp", event.path("occurred_at").asText());
        String notes = "inbound".equals(event.path("source").asText()) ? text(event, "notes") : summary(type, event);
        if (notes != null) {
            body.put("notes", notes.length() > 1000 ? notes.substring(0, 1000) : notes);
        }
        return Optional.of(json(body));
    }

    private static String summary(EventType type, JsonNode event) {
        JsonNode now = event.path("appointment");
        JsonNode before = event.path("previous");
        return switch (type) {
            case RESCHEDULED -> before.isObject()
                    ? "moved from " + shortTime(text(before, "start")) + " to " + shortTime(text(now, "start"))
                            + providerChange(before, now)
                    : "rescheduled to " + shortTime(text(now, "start"));
            case SCHEDULED -> "booked for " + shortTime(text(now, "start"));
            case CANCELLED -> "cancelled (was " + shortTime(text(now, "start")) + ")";
            case NO_SHOW -> "no-show at " + shortTime(text(now, "start"));
            case COMPLETED -> "completed";
        };
    }

    private static String providerChange(JsonNode before, JsonNode now) {
        String from = text(before, "provider_id");
        String to = text(now, "provider_id");
        return from != null && to != null && !from.equals(to) ? ", provider " + from + " to " + to : "";
    }

    private static String slackText(EventType type, JsonNode event, boolean includePatientName) {
        JsonNode a = event.path("appointment");
        StringBuilder text = new StringBuilder("Appointment ").append(a.path("id").asText()).append(' ')
                .append(switch (type) {
                    case SCHEDULED -> "scheduled";
                    case RESCHEDULED -> "rescheduled";
                    case CANCELLED -> "cancelled";
                    case NO_SHOW -> "marked no-show";
                    case COMPLETED -> "completed";
                });
        String when = type == EventType.RESCHEDULED ? summary(type, event) : shortTime(text(a, "start"));
        text.append(": ").append(when);
        if (text(a, "provider_id") != null && !when.contains("provider")) {
            text.append(", provider ").append(text(a, "provider_id"));
        }
        JsonNode patient = event.path("patient");
        if (includePatientName && text(patient, "first_name") != null) {
            text.append(", patient ").append(text(patient, "first_name")).append(' ')
                    .append(Optional.ofNullable(text(patient, "last_name")).orElse(""));
        }
        return text.toString().trim();
    }

    private static String shortTime(String iso) {
        if (iso == null) {
            return "unknown time";
        }
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC)
                    .format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private static String canvasTime(String iso) {
        try {
            return CANVAS_TIME.format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private String quote(String s) {
        return json(mapper.getNodeFactory().textNode(s));
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
