package dev.appointmentbridge.snapshot;

import java.time.Instant;

/**
 * The last known state of one appointment of one source (no patient names: ids only); {@code versionId} the
 * source's version number of it, when it gives one.
 */
public record Snapshot(String appointmentId, String status, Instant start, Instant end, Integer durationMinutes,
        String providerId, String locationId, String patientId, String replacesId, String replacedById,
        String contentHash, Instant lastUpdated, Long versionId) {

    public Snapshot(String appointmentId, String status, Instant start, Instant end, Integer durationMinutes,
            String providerId, String locationId, String patientId, String replacesId, String replacedById,
            String contentHash, Instant lastUpdated) {
        this(appointmentId, status, start, end, durationMinutes, providerId, locationId, patientId, replacesId,
                replacedById, contentHash, lastUpdated, null);
    }

    public Snapshot withReplacedBy(String id) {
        return new Snapshot(appointmentId, status, start, end, durationMinutes, providerId, locationId, patientId,
                replacesId, id, contentHash, lastUpdated, versionId);
    }
}
