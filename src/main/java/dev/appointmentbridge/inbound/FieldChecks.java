package dev.appointmentbridge.inbound;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.LoggableId;
import dev.appointmentbridge.common.UnstorableText;

/**
 * Field checks shared by every receiving endpoint (the published contract and the adapters), collecting every
 * bad field as an {@link ErrorItem} at its {@code loc} (["body", "appointment", "id"]) for one 422. Works on the
 * JSON tree so wrong types are reported per field and never silently coerced; refuses what PostgreSQL cannot
 * store (NUL, lone surrogates, offsets beyond ±15:59, years outside 1–9999) and ids that could forge log lines.
 */
final class FieldChecks {

    static final int ID_MAX = 50;
    /** timestamptz input accepts UTC offsets up to ±15:59:59 (PostgreSQL datetime.c); Java allows ±18:00. */
    static final int MAX_OFFSET_SECONDS = 16 * 3600;

    private final List<ErrorItem> errors = new ArrayList<>();

    void add(List<String> loc, String msg, String type) {
        errors.add(new ErrorItem(loc, msg, type));
    }

    void missing(List<String> loc) {
        add(loc, "Field required", "missing");
    }

    /** Throws the 422 listing every bad field, if there is one. */
    void throwIfAny(String message) {
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable(message, errors);
        }
    }

    String text(JsonNode node, List<String> loc, int min, int max, boolean required) {
        if (isAbsent(node)) {
            if (required) {
                missing(loc);
            }
            return null;
        }
        if (!node.isTextual()) {
            add(loc, "Input should be a valid string", "string_type");
            return null;
        }
        String value = node.asText();
        String unstorable = unstorable(value);
        if (unstorable != null) {
            add(loc, unstorable, "string_unstorable");
            return null;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            add(loc, "String should have at least " + plural(min, "character"), "string_too_short");
        } else if (length > max) {
            add(loc, "String should have at most " + plural(max, "character"), "string_too_long");
        }
        return value;
    }

    /** An id of 1–50 characters that can be logged as is ({@link LoggableId}). */
    String id(JsonNode node, List<String> loc, boolean required) {
        String value = text(node, loc, 1, ID_MAX, required);
        if (value == null) {
            return null;
        }
        int at = LoggableId.firstUnloggableAt(value);
        if (at >= 0) {
            add(loc, "String should not contain control or formatting characters"
                    + " (U+" + String.format("%04X", (int) value.charAt(at)) + ")", "string_pattern_mismatch");
            return null;
        }
        return value;
    }

    /**
     * An ISO 8601 date-time. With {@code localZone} null it must carry its zone (the receiving contract); else a
     * time without one is read in that zone (an adapter whose sender never sends zones, e.g. Canvas).
     */
    OffsetDateTime time(JsonNode node, List<String> loc, boolean required, ZoneId localZone) {
        return time(node, loc, required, localZone, null);
    }

    /**
     * A time; a zone-less one is read in {@code localZone}, the value of {@code zoneSetting} (null: zone-less times
     * are refused, naming that setting when there is one). A local time that does not exist in the zone (a DST
     * gap) or exists twice (an overlap) is refused: shifting it or picking one would be a guess.
     */
    OffsetDateTime time(JsonNode node, List<String> loc, boolean required, ZoneId localZone, String zoneSetting) {
        if (isAbsent(node)) {
            if (required) {
                missing(loc);
            }
            return null;
        }
        if (!node.isTextual()) {
            add(loc, "Input should be an ISO 8601 datetime string with a timezone, e.g. 2025-01-10T12:30:00Z;"
                    + " unix numbers are not accepted", "datetime_type");
            return null;
        }
        String text = node.asText();
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException notOffset) {
            LocalDateTime local = local(text);
            if (local == null) {
                add(loc, "Input should be an ISO 8601 datetime with a timezone, e.g. 2025-01-10T12:30:00Z",
                        "datetime_parsing");
                return null;
            }
            if (localZone == null) {
                if (zoneSetting != null) {
                    add(loc, "A time without a zone needs " + zoneSetting + " (e.g. America/New_York), which is not "
                            + "set; or send an offset (Z or ±hh:mm)", "timezone_setting_missing");
                } else {
                    add(loc, "Input should have timezone info (Z or ±hh:mm), e.g. 2025-01-10T12:30:00Z",
                            "timezone_aware");
                }
                return null;
            }
            List<ZoneOffset> offsets = localZone.getRules().getValidOffsets(local);
            if (offsets.size() != 1) {
                add(loc, offsets.isEmpty()
                        ? "This local time does not exist in " + localZone + " (skipped by a clock change); send an "
                                + "offset (Z or ±hh:mm)"
                        : "This local time happens twice in " + localZone + " (a clock change); send an offset "
                                + "(Z or ±hh:mm) to say which", offsets.isEmpty() ? "local_time_gap" : "local_time_ambiguous");
                return null;
            }
            try {
                parsed = OffsetDateTime.of(local, offsets.get(0));
            } catch (java.time.DateTimeException outOfRange) {
                add(loc, "Year should be between 1 and 9999", "datetime_range");
                return null;
            }
        }
        if (parsed.getYear() < 1 || parsed.getYear() > 9999
                || parsed.withOffsetSameInstant(ZoneOffset.UTC).getYear() < 1
                || parsed.withOffsetSameInstant(ZoneOffset.UTC).getYear() > 9999) {
            add(loc, "Year should be between 1 and 9999", "datetime_range");
            return null;
        }
        if (Math.abs(parsed.getOffset().getTotalSeconds()) >= MAX_OFFSET_SECONDS) {
            add(loc, "Offset should be between -15:59 and +15:59", "datetime_offset_range");
            return null;
        }
        return parsed;
    }

    /** Whole minutes, 0 to one year. */
    Integer minutes(JsonNode node, List<String> loc) {
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0 || node.asInt() > 525_600) {
            add(loc, "Input should be a whole number of minutes from 0 to 525600", "int_type");
            return null;
        }
        return node.asInt();
    }

    /**
     * Why PostgreSQL could not store the text as sent, or null: a NUL character (text columns cannot hold
     * U+0000) or a lone UTF-16 surrogate (a JSON escape like \\ud800 with no pair, which is not a Unicode
     * character and has no UTF-8 form).
     */
    static String unstorable(String value) {
        int at = UnstorableText.firstAt(value);
        if (at < 0) {
            return null;
        }
        return value.charAt(at) == '\u0000' ? "String should not contain the NUL character (U+0000)"
                : "String should not contain an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(value.charAt(at)) + ")";
    }

    static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static LocalDateTime local(String text) {
        try {
            return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
