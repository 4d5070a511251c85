package dev.appointmentbridge.source.json;

import java.util.List;
import java.util.Map;

import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PoisonRecord;

/** The records of one JSON page, each id once. */
final class PageRecords {

    private PageRecords() {
    }

    /**
     * An id listed twice on one page: the same record twice counts once; two different versions (or a version and
     * a tombstone) cannot both be current, so the id is quarantined (else each cycle would diff one against the
     * other and emit both).
     */
    static void listedOnce(List<AppointmentRecord> records, List<PoisonRecord> poison, List<String> removed) {
        Map<String, AppointmentRecord> seen = new java.util.LinkedHashMap<>();
        java.util.Set<String> conflicting = new java.util.HashSet<>();
        java.util.Set<String> tombstones = new java.util.LinkedHashSet<>(removed);
        for (AppointmentRecord r : records) {
            AppointmentRecord first = seen.putIfAbsent(r.id(), r);
            if (first != null && !first.equals(r) || tombstones.contains(r.id())) {
                conflicting.add(r.id());
            }
        }
        if (seen.size() == records.size() && tombstones.size() == removed.size() && conflicting.isEmpty()) {
            return;
        }
        records.clear();
        for (AppointmentRecord r : seen.values()) {
            if (conflicting.contains(r.id())) {
                poison.add(new PoisonRecord(r.id(), "listed more than once on one page, with different values", null));
            } else {
                records.add(r);
            }
        }
        removed.clear();
        tombstones.stream().filter(id -> !conflicting.contains(id)).forEach(removed::add);
    }

    /** What APIs put in their error field when there is none: absent, null, false, 0, blank, {} or []. */
    static boolean noError(com.fasterxml.jackson.databind.JsonNode error) {
        return error.isMissingNode() || error.isNull() || error.isBoolean() && !error.asBoolean()
                || error.isNumber() && error.asDouble() == 0 || error.isTextual() && error.asText().isBlank()
                || error.isContainerNode() && error.isEmpty();
    }

    /**
     * A change feed's page (mode=sync-token): an id listed more than once is taken as its last occurrence, as
     * Microsoft Graph documents for delta pages; the earlier ones are states it has already left.
     */
    static List<JsonItemMapper.Mapped> lastOccurrences(List<JsonItemMapper.Mapped> items) {
        Map<String, JsonItemMapper.Mapped> last = new java.util.LinkedHashMap<>();
        for (JsonItemMapper.Mapped m : items) {
            last.remove(m.id());
            last.put(m.id(), m);
        }
        return List.copyOf(last.values());
    }

    static void add(JsonItemMapper.Mapped mapped, List<AppointmentRecord> records, List<PoisonRecord> poison,
            Map<String, dev.appointmentbridge.source.PatientName> patients, List<String> removed) {
        if (mapped.removed() != null) {
            removed.add(mapped.removed());
            return;
        }
        if (mapped.poison() != null) {
            poison.add(mapped.poison());
            return;
        }
        records.add(mapped.record());
        if (mapped.patient() != null) {
            patients.put(mapped.patient().id(), mapped.patient());
        }
    }
}
