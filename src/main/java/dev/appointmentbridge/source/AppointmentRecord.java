package dev.appointmentbridge.source;

import java.time.Instant;

/**
 * One appointment as the source reports it, reduced to the fields events are made of. {@code replacesId}
 * names an earlier appointment this one was rebooked from, when the source says so. {@code versionId} is FHIR's
 * {@code meta.versionId} when the server gives a number: it orders versions where {@code lastUpdated} cannot (a
 * server whose nodes' clocks drift dates version 2 before version 1).
 */
public record AppointmentRecord(String id, String status, Instant start, Instant end, Integer durationMinutes,
        String providerId, String locationId, String patientId, String replacesId, Instant lastUpdated,
        Long versionId) {

    /** A record without a version number (JSON sources, FHIR servers that give none). */
    public AppointmentRecord(String id, String status, Instant start, Instant end, Integer durationMinutes,
            String providerId, String locationId, String patientId, String replacesId, Instant lastUpdated) {
        this(id, status, start, end, durationMinutes, providerId, locationId, patientId, replacesId, lastUpdated, null);
    }
}
