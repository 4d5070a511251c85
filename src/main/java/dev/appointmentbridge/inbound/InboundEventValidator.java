package dev.appointmentbridge.inbound;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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

    static final int ID_MAX = 50;
    static final int NOTES_MAX = 1000;
    /** timestamptz input accepts UTC offsets up to ±15:59:59 (PostgreSQL datetime.c); Java allows ±18:00. */
    static final int MAX_OFFSET_SECONDS = 16 * 3600;

    private InboundEventValidator() {
    }

    public static InboundEvent validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.unprocessable("Invalid payload structure", List.of(new ErrorItem(List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")));
        }
        List<ErrorItem> errors = new ArrayList<>();
        EventType type = eventType(body.get("event_type"), errors);
        String appointmentId = id(boundedString(body.get("appointment_id"), "appointment_id", 1, ID_MAX, true, errors),
                "appointment_id", errors);
        String patientId = id(boundedString(body.get("patient_id"), "patient_id", 1, ID_MAX, true, errors),
                "patient_id", errors);
        OffsetDateTime timestamp = timestamp(body.get("timestamp"), errors);
        String notes = boundedString(body.get("notes"), "notes", 0, NOTES_MAX, false, errors);
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("Invalid payload structure", errors);
        }
        return new InboundEvent(type, appointmentId, patientId, timestamp, body.get("timestamp").asText(), notes);
    }

    private static EventType eventType(JsonNode node, List<ErrorItem> errors) {
        if (isAbsent(node)) {
            errors.add(missing("event_type"));
            return null;
        }
        Optional<EventType> type = node.isTextual() ? EventType.fromWire(node.asText()) : Optional.empty();
        if (type.isEmpty()) {
            errors.add(ErrorItem.body("event_type", "Input should be " + EventType.allowedList(), "literal_error"));
        }
        return type.orElse(null);
    }

    private static String boundedString(JsonNode node, String field, int min, int max, boolean required,
            List<ErrorItem> errors) {
        if (isAbsent(node)) {
            if (required) {
                errors.add(missing(field));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(ErrorItem.body(field, "Input should be a valid string", "string_type"));
            return null;
        }
        String value = node.asText();
        String unstorable = unstorable(value);
        if (unstorable != null) {
            errors.add(ErrorItem.body(field, unstorable, "string_unstorable"));
            return null;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            errors.add(ErrorItem.body(field, "String should have at least " + plural(min, "character"),
                    "string_too_short"));
        } else if (length > max) {
            errors.add(ErrorItem.body(field, "String should have at most " + plural(max, "character"),
                    "string_too_long"));
        }
        return value;
    }

    /**
     * Ids are logged (never names): control, line-separator and bidirectional-override characters in one could
     * forge or hide log lines, so they are refused (review of issue 12).
     */
    private static String id(String value, String field, List<ErrorItem> errors) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT) {
                errors.add(ErrorItem.body(field, "String should not contain control or formatting characters"
                        + " (U+" + String.format("%04X", (int) c) + ")", "string_pattern_mismatch"));
                return null;
            }
        }
        return value;
    }

    private static OffsetDateTime timestamp(JsonNode node, List<ErrorItem> errors) {
        if (isAbsent(node)) {
            errors.add(missing("timestamp"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(ErrorItem.body("timestamp",
                    "Input should be an ISO 8601 datetime string with a timezone, e.g. 2025-01-10T12:30:00Z;"
                            + " unix numbers are not accepted",
                    "datetime_type"));
            return null;
        }
        String text = node.asText();
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (parsed.getYear() < 1 || parsed.getYear() > 9999
                    || parsed.withOffsetSameInstant(ZoneOffset.UTC).getYear() < 1
                    || parsed.withOffsetSameInstant(ZoneOffset.UTC).getYear() > 9999) {
                errors.add(ErrorItem.body("timestamp", "Year should be between 1 and 9999", "datetime_range"));
                return null;
            }
            if (Math.abs(parsed.getOffset().getTotalSeconds()) >= MAX_OFFSET_SECONDS) {
                errors.add(ErrorItem.body("timestamp", "Offset should be between -15:59 and +15:59",
                        "datetime_offset_range"));
                return null;
            }
            return parsed;
        } catch (DateTimeParseException notOffset) {
            if (isLocalDateTime(text)) {
                errors.add(ErrorItem.body("timestamp",
                        "Input should have timezone info (Z or ±hh:mm), e.g. 2025-01-10T12:30:00Z", "timezone_aware"));
            } else {
                errors.add(ErrorItem.body("timestamp",
                        "Input should be an ISO 8601 datetime with a timezone, e.g. 2025-01-10T12:30:00Z",
                        "datetime_parsing"));
            }
            return null;
        }
    }

    /**
     * Why PostgreSQL could not store the text as sent, or null: a NUL character (text columns cannot hold
     * U+0000) or a lone UTF-16 surrogate (a JSON escape like \\ud800 with no pair, which is not a Unicode
     * character and has no UTF-8 form).
     */
    static String unstorable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "String should not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "String should not contain an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            }
        }
        return null;
    }

    private static boolean isLocalDateTime(String text) {
        try {
            LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static ErrorItem missing(String field) {
        return ErrorItem.body(field, "Field required", "missing");
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
