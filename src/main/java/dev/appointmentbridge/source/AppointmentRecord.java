package dev.appointmentbridge.source;

import java.time.Instant;

/**
 * One appointment as the source reports it, reduced to the fields events are made of. {@code replacesId}
 * names an earlier appointment this one was rebooked from, when the source says so.
 */
public record AppointmentRecord(String id, String status, Instant start, Instant end, Integer durationMinutes,
        String providerId, String locationId, String patientId, String replacesId, Instant lastUpdated) {
}
