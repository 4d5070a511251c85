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
     * An id listed twice on one page: the same record twice counts once; two different versions cannot both be
     * current, so the id is quarantined (else each cycle would diff one against the other and emit both).
     */
    static void listedOnce(List<AppointmentRecord> records, List<PoisonRecord> poison) {
        Map<String, AppointmentRecord> seen = new java.util.LinkedHashMap<>();
        java.util.Set<String> conflicting = new java.util.HashSet<>();
        for (AppointmentRecord r : records) {
            AppointmentRecord first = seen.putIfAbsent(r.id(), r);
            if (first != null && !first.equals(r)) {
                conflicting.add(r.id());
            }
        }
        if (seen.size() == records.size()) {
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
    }

    /** What APIs put in their error field when there is none: absent, null, false, 0, blank, {} or []. */
    static boolean noError(com.fasterxml.jackson.databind.JsonNode error) {
        return error.isMissingNode() || error.isNull() || error.isBoolean() && !error.asBoolean()
                || error.isNumber() && error.asDouble() == 0 || error.isTextual() && error.asText().isBlank()
                || error.isContainerNode() && error.isEmpty();
    }

    static void add(JsonItemMapper.Mapped mapped, List<AppointmentRecord> records, List<PoisonRecord> poison,
            Map<String, dev.appointmentbridge.source.PatientName> patients) {
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
