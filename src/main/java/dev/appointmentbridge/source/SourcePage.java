package dev.appointmentbridge.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One searchset Bundle page: its appointments, the ones that could not be read ({@code poison}), included
 * patients by id, the next page's absolute URL (null at the end), and {@code searchTime}, the server's own
 * time of the search (Bundle.meta.lastUpdated, else the HTTP {@code Date} header; null when it sent neither).
 */
public record SourcePage(List<AppointmentRecord> appointments, List<PoisonRecord> poison,
        Map<String, PatientName> patients, String next, Instant searchTime) {

    public int size() {
        return appointments.size() + poison.size();
    }
}
