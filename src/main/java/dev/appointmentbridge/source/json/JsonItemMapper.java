package dev.appointmentbridge.source.json;

import dev.appointmentbridge.source.fhir.FhirBundleParser;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PatientName;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.StorableValues;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One item of a JSON scheduling API mapped to the canonical record by the source's {@code fields.*} (JSON
 * Pointers, RFC 6901) and {@code status-map.*} (docs/polling.md, "Generic JSON REST sources"). A status word the map
 * does not list, a time without a zone or a field of the wrong kind quarantines the item, never guessed.
 */
final class JsonItemMapper {

    /** The fields a source may map; {@code id} and {@code status} are required. */
    static final Set<String> FIELDS = Set.of("id", "status", "start", "end", "duration", "provider", "location",
            "patient-id", "patient-first-name", "patient-last-name", "updated", "replaces", "removed", "start-zone",
            "end-zone");

    /**
     * An item as a record, or why it is quarantined, or the id of a tombstone ({@code removed}); {@code patient}
     * when the item names the patient.
     */
    record Mapped(AppointmentRecord record, PoisonRecord poison, PatientName patient, String removed) {

        Mapped(AppointmentRecord record, PoisonRecord poison, PatientName patient) {
            this(record, poison, patient, null);
        }

        /** The id this item is about, whichever it turned out to be. */
        String id() {
            return record != null ? record.id() : poison != null ? poison.appointmentId() : removed;
        }
    }

    private final Map<String, JsonPointer> fields = new HashMap<>();
    /** The API's status word (lower case) → the FHIR Appointment.status code it stands for. */
    private final Map<String, String> statuses = new HashMap<>();
    private final String source;

    /**
     * @throws IllegalArgumentException naming the setting, when a field or status mapping is not usable
     */
    JsonItemMapper(String source, Map<String, String> fieldPointers, Map<String, List<String>> statusMap) {
        this.source = source;
        for (Map.Entry<String, String> f : fieldPointers.entrySet()) {
            if (!FIELDS.contains(f.getKey())) {
                throw new IllegalArgumentException(key("fields." + f.getKey()) + ": not a field; one of "
                        + new java.util.TreeSet<>(FIELDS));
            }
            fields.put(f.getKey(), pointer(key("fields." + f.getKey()), f.getValue()));
        }
        for (String required : List.of("id", "status")) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException(key("fields." + required) + " is required for type=json");
            }
        }
        for (Map.Entry<String, List<String>> s : statusMap.entrySet()) {
            if (!FhirBundleParser.STATUSES.contains(s.getKey())) {
                throw new IllegalArgumentException(key("status-map." + s.getKey()) + ": not a canonical status; one of "
                        + new java.util.TreeSet<>(FhirBundleParser.STATUSES));
            }
            for (String word : s.getValue()) {
                String previous = statuses.put(word.trim().toLowerCase(Locale.ROOT), s.getKey());
                if (previous != null && !previous.equals(s.getKey())) {
                    throw new IllegalArgumentException(key("status-map") + ": '" + word + "' is mapped to both "
                            + previous + " and " + s.getKey());
                }
            }
        }
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException(key("status-map.*") + " is required for type=json (e.g. "
                    + key("status-map.booked") + "=scheduled,confirmed)");
        }
    }

    /** A JSON Pointer from configuration; {@code ""} is the whole document. */
    static JsonPointer pointer(String setting, String value) {
        try {
            return JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": '" + value + "' is not a JSON Pointer (it starts with /)");
        }
    }

    Mapped map(JsonNode item) throws SourceFetchException {
        String id;
        try {
            id = scalar(item, "id");
        } catch (IllegalArgumentException e) {
            // Without a usable id nothing can be diffed, re-read or named in the quarantine: the page is broken.
            throw new SourceFetchException("malformed page: an item's " + key("fields.id") + " is not a text or an "
                    + "integer", 0, null);
        }
        if (id == null) {
            throw new SourceFetchException("malformed page: an item has no " + key("fields.id"), 0, null);
        }
        String idProblem = StorableValues.idProblem(id);
        if (idProblem != null) {
            return poison(StorableValues.escaped(id), "id " + idProblem, null);
        }
        if (present(item, "removed")) {
            return new Mapped(null, null, null, id); // Microsoft Graph's {"id": ..., "@removed": {"reason": ...}}
        }
        Instant updated = null;
        try {
            updated = instant(item, "updated");
            String word = scalar(item, "status");
            if (word == null) {
                return poison(id, "no status", updated);
            }
            String status = statuses.get(word.toLowerCase(Locale.ROOT));
            if (status == null) {
                return poison(id, "status '" + printable(word) + "' is not in " + key("status-map"), updated);
            }
            if ("cancelled".equals(status) && fields.containsKey("start") && !present(item, "start")) {
                // Google Calendar's deleted event: {"id": ..., "status": "cancelled"} and nothing else it promises.
                return new Mapped(null, null, null, id);
            }
            Instant start = instant(item, "start");
            Instant end = instant(item, "end");
            if (start != null && end != null && end.isBefore(start)) {
                return poison(id, key("fields.end") + " is before " + key("fields.start"), updated);
            }
            Integer duration = integer(item, "duration");
            String provider = reference(item, "provider");
            String location = reference(item, "location");
            String patientId = reference(item, "patient-id");
            String replaces = reference(item, "replaces");
            PatientName patient = patientId == null ? null
                    : new PatientName(patientId, name(item, "patient-first-name"), name(item, "patient-last-name"));
            return new Mapped(new AppointmentRecord(id, status, start, end, duration, provider, location, patientId,
                    replaces, updated), null, patient);
        } catch (IllegalArgumentException e) {
            return poison(id, e.getMessage(), updated);
        }
    }

    /** An id-like field: quarantined when it cannot be stored or logged as is. */
    private String reference(JsonNode item, String field) {
        String value = scalar(item, field);
        String problem = StorableValues.idProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException(key("fields." + field) + " " + problem);
        }
        return value;
    }

    /** A patient's name part, left out (not the appointment) when it cannot be stored as is. */
    private String name(JsonNode item, String field) {
        String value = scalar(item, field);
        return StorableValues.textProblem(value) == null ? value : null;
    }

    /** The word as an operator can read it in the quarantine: 40 characters at most, no control characters. */
    private static String printable(String word) {
        String clean = word.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }

    private static Mapped poison(String id, String reason, Instant updated) {
        return new Mapped(null, new PoisonRecord(id, reason, updated), null);
    }

    /** The field is mapped and the item has a value there other than null, false or blank. */
    private boolean present(JsonNode item, String field) {
        JsonPointer pointer = fields.get(field);
        if (pointer == null) {
            return false;
        }
        JsonNode value = item.at(pointer);
        return !(value.isMissingNode() || value.isNull() || value.isBoolean() && !value.asBoolean()
                || value.isTextual() && value.asText().isBlank());
    }

    /**
     * A text or number at the field's pointer (a status also a boolean, as {@code true} or {@code false}: Microsoft
     * Graph's {@code isCancelled}); null when unmapped, absent, null or blank.
     */
    private String scalar(JsonNode item, String field) {
        JsonPointer pointer = fields.get(field);
        if (pointer == null) {
            return null;
        }
        JsonNode value = item.at(pointer);
        if (value.isTextual()) {
            return value.asText().isBlank() ? null : value.asText();
        }
        if (value.isIntegralNumber() || value.isBoolean() && field.equals("status")) {
            return value.asText();
        }
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        throw new IllegalArgumentException(key("fields." + field) + " is not a text or an integer");
    }

    /**
     * An ISO-8601 instant with a zone offset, or a local time with its zone in {@code fields.<field>-zone} (Microsoft
     * Graph's {@code {"dateTime", "timeZone"}}); a local time without one has no instant and is refused, not guessed.
     */
    private Instant instant(JsonNode item, String field) {
        String value = scalar(item, field);
        if (value == null) {
            return null;
        }
        Instant parsed;
        try {
            parsed = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            String zone = fields.containsKey(field + "-zone") ? scalar(item, field + "-zone") : null;
            if (zone == null) {
                throw new IllegalArgumentException(key("fields." + field) + " is not an ISO-8601 time with a zone offset"
                        + (fields.containsKey(field + "-zone") ? " and " + key("fields." + field + "-zone")
                                + " is empty" : ""));
            }
            parsed = local(value, zone, field);
        }
        if (!StorableValues.storable(parsed)) {
            throw new IllegalArgumentException(key("fields." + field) + " is outside the years 1 to 9999");
        }
        return parsed;
    }

    /** A local time in its zone; one the zone's clock skips or shows twice (a change of offset) is never guessed. */
    private Instant local(String value, String zone, String field) {
        java.time.ZoneId id;
        try {
            id = zone.equalsIgnoreCase("UTC") ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(key("fields." + field + "-zone") + " '" + printable(zone)
                    + "' is not an IANA time zone or UTC (Microsoft Graph: ask for Prefer: outlook.timezone=\"UTC\")");
        }
        java.time.LocalDateTime time;
        try {
            time = java.time.LocalDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key("fields." + field) + " is not an ISO-8601 date and time");
        }
        List<java.time.ZoneOffset> offsets = id.getRules().getValidOffsets(time);
        if (offsets.size() != 1) {
            throw new IllegalArgumentException(key("fields." + field) + " " + value + " " + (offsets.isEmpty()
                    ? "does not exist" : "exists twice") + " in " + id + " (a change of offset): not guessed");
        }
        return time.toInstant(offsets.get(0));
    }

    private Integer integer(JsonNode item, String field) {
        JsonPointer pointer = fields.get(field);
        if (pointer == null) {
            return null;
        }
        JsonNode value = item.at(pointer);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new IllegalArgumentException(key("fields." + field) + " is not a whole number of minutes");
        }
        return value.asInt();
    }

    private String key(String setting) {
        return "bridge.sources." + source + "." + setting;
    }
}
