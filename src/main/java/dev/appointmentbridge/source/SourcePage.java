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
 */
public record SourcePage(List<AppointmentRecord> appointments, List<PoisonRecord> poison,
        Map<String, PatientName> patients, String next, Instant searchTime, boolean sortedByLastUpdated) {

    public int size() {
        return appointments.size() + poison.size();
    }
}
