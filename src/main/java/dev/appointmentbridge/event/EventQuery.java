package dev.appointmentbridge.event;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;

/**
 * Filters and paging of {@code GET /webhook/events}, parsed from raw query strings so that a bad value is a
 * clear 422 naming the parameter (JAX-RS would turn a failed conversion into a bare 404).
 */
public record EventQuery(String eventType, String appointmentId, String patientId, OffsetDateTime since,
        int limit, Long cursor, int offset) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static EventQuery parse(String eventType, String appointmentId, String patientId, String since,
            String limit, String cursor, String offset) {
        List<ErrorItem> errors = new ArrayList<>();
        if (eventType != null && EventType.fromWire(eventType).isEmpty()) {
            errors.add(query("event_type", "Input should be " + EventType.allowedList(), "literal_error"));
        }
        OffsetDateTime sinceTime = null;
        if (since != null) {
            try {
                sinceTime = OffsetDateTime.parse(since);
                int year = sinceTime.withOffsetSameInstant(java.time.ZoneOffset.UTC).getYear();
                if (year < 1 || year > 9999) { // a timestamp column holds no other; JDK 25 throws converting one
                    errors.add(query("since", "Input should be a time in the years 1 to 9999", "datetime_range"));
                    sinceTime = null;
                }
            } catch (DateTimeParseException e) {
                errors.add(query("since", "Input should be an ISO 8601 datetime with a timezone", "datetime_parsing"));
            }
        }
        int limitValue = integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int offsetValue = integer("offset", offset, 0, 0, Integer.MAX_VALUE, errors);
        Long cursorValue = null;
        if (cursor != null) {
            try {
                cursorValue = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                errors.add(query("cursor", "Input should be a next_cursor value from a previous page", "cursor"));
            }
        }
        if (cursorValue != null && offsetValue > 0) {
            errors.add(query("offset", "Use either cursor or offset, not both", "paging"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("Invalid query parameters", errors);
        }
        return new EventQuery(eventType, appointmentId, patientId, sinceTime, limitValue, cursorValue, offsetValue);
    }

    /** The HQL where-clause and its parameters; newest first, so a cursor means "older than". */
    public String where(Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        add(clauses, params, "type", "type = :type", eventType);
        add(clauses, params, "appointmentId", "appointmentId = :appointmentId", appointmentId);
        add(clauses, params, "patientId", "patientId = :patientId", patientId);
        add(clauses, params, "since", "receivedAt >= :since", since);
        add(clauses, params, "cursor", "id < :cursor", cursor);
        return String.join(" and ", clauses);
    }

    public static Map<String, Object> newParams() {
        return new LinkedHashMap<>();
    }

    private static void add(List<String> clauses, Map<String, Object> params, String name, String clause,
            Object value) {
        if (value != null) {
            clauses.add(clause);
            params.put(name, value);
        }
    }

    private static int integer(String name, String raw, int fallback, int min, int max, List<ErrorItem> errors) {
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(query(name, "Input should be an integer from " + min + " to " + max, "int_range"));
        return fallback;
    }

    private static ErrorItem query(String name, String msg, String type) {
        return ErrorItem.of("query", name, msg, type);
    }
}
