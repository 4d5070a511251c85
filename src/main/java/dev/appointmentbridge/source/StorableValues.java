package dev.appointmentbridge.source;

import java.time.Instant;
import java.time.ZoneOffset;

import dev.appointmentbridge.common.LoggableId;
import dev.appointmentbridge.common.UnstorableText;

/**
 * What a polled record may carry into the snapshot table, the event log and the log lines:
 * PostgreSQL text cannot hold NUL or a lone UTF-16 surrogate, timestamptz holds years 1–9999 only, and ids are
 * logged, so control, line-separator and formatting characters in one could forge or hide log lines. A record
 * with such a value is quarantined with the reason, never stored as something else or left to fail its page on
 * every poll.
 */
public final class StorableValues {

    /** Longest id or reference kept; FHIR ids are at most 64 characters (R4 datatypes, id). */
    static final int ID_MAX = 200;

    private StorableValues() {
    }

    /** Why this text cannot be stored as is, or null. */
    public static String textProblem(String value) {
        int at = value == null ? -1 : UnstorableText.firstAt(value);
        if (at < 0) {
            return null;
        }
        return value.charAt(at) == '\u0000' ? "contains a NUL character" : "contains an unpaired UTF-16 surrogate";
    }

    /** Why this id or reference cannot be stored and logged as is, or null. */
    public static String idProblem(String value) {
        String text = textProblem(value);
        if (text != null || value == null) {
            return text;
        }
        if (value.length() > ID_MAX) {
            return "is longer than " + ID_MAX + " characters";
        }
        return LoggableId.firstUnloggableAt(value) >= 0 ? "contains a control or formatting character" : null;
    }

    /** True when PostgreSQL's timestamptz can hold the instant (years 1 to 9999 in UTC). */
    public static boolean storable(Instant instant) {
        if (instant == null) {
            return true;
        }
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        return year >= 1 && year <= 9999;
    }

    /**
     * The id as the quarantine can store and an operator can read it: NUL, lone surrogates, control and
     * formatting characters written as {@code \\uXXXX}, at most {@value #ID_MAX} characters.
     */
    public static String escaped(String id) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < id.length() && out.length() < ID_MAX; i++) {
            char c = id.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1));
            if (pair) {
                out.append(c).append(id.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c) || Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
