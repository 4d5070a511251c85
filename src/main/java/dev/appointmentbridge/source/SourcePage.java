package dev.appointmentbridge.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One searchset Bundle page: its appointments, the ones that could not be read ({@code poison}), included
 * patients by id, the next page's absolute URL (null at the end), and {@code searchTime}, the server's own
 * time of the search (the earlier of Bundle.meta.lastUpdated and the HTTP {@code Date} header; null when it sent
 * neither). {@code sortedByLastUpdated}: the Bundle's {@code self} link says the server applied
 * {@code _sort=_lastUpdated} (FHIR R4 search, 3.1.1.3: the self link lists the parameters actually used).
 * {@code removed}: ids the page reports deleted (tombstones: Microsoft Graph's {@code @removed}, Google Calendar's
 * {@code status: cancelled} entries without times), each announced as a cancellation from what was last known.
 */
public record SourcePage(List<AppointmentRecord> appointments, List<PoisonRecord> poison,
        Map<String, PatientName> patients, String next, Instant searchTime, boolean sortedByLastUpdated,
        List<String> removed) {

    /** A page without tombstones. */
    public SourcePage(List<AppointmentRecord> appointments, List<PoisonRecord> poison,
            Map<String, PatientName> patients, String next, Instant searchTime, boolean sortedByLastUpdated) {
        this(appointments, poison, patients, next, searchTime, sortedByLastUpdated, List.of());
    }

    public int size() {
        return appointments.size() + poison.size() + removed.size();
    }
}
