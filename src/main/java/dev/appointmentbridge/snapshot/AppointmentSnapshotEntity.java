package dev.appointmentbridge.snapshot;

import java.time.Instant;

import dev.appointmentbridge.common.SourceAppointmentKey;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The {@code appointment_snapshot} table: the last known state of one appointment of one source. Only
 * normalized fields and ids, never patient names. Written by the poll cycle in bulk through a
 * {@code StatelessSession} ({@link SnapshotStore}); read by the admin views through Panache.
 */
@Entity
@Table(name = "appointment_snapshot")
@IdClass(SourceAppointmentKey.class)
public class AppointmentSnapshotEntity extends PanacheEntityBase {

    @Id
    public String source;

    @Id
    @Column(name = "appointment_id")
    public String appointmentId;

    public String status;

    @Column(name = "start_at")
    public Instant startAt;

    @Column(name = "end_at")
    public Instant endAt;

    @Column(name = "duration_minutes")
    public Integer durationMinutes;

    @Column(name = "provider_id")
    public String providerId;

    @Column(name = "location_id")
    public String locationId;

    @Column(name = "patient_id")
    public String patientId;

    /** The appointment this one was rebooked from (R5 Appointment.replaces). */
    @Column(name = "replaces_id")
    public String replacesId;

    /** Set on the earlier appointment when a live rebooking of it is seen; its cancellation is then folded. */
    @Column(name = "replaced_by_id")
    public String replacedById;

    /** Hash of the fields events are made of ({@code DiffRules.contentHash}); {@code deleted} after a delete. */
    @Column(name = "content_hash")
    public String contentHash;

    /** The source's meta.lastUpdated, capped at the search's own time. */
    @Column(name = "last_updated")
    public Instant lastUpdated;

    /** The source's version number (FHIR meta.versionId), when it gives one. */
    @Column(name = "version_id")
    public Long versionId;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    public static long countBySource(String source) {
        return count("source", source);
    }

    static AppointmentSnapshotEntity of(String source, Snapshot s, Instant seenAt) {
        AppointmentSnapshotEntity e = new AppointmentSnapshotEntity();
        e.source = source;
        e.appointmentId = s.appointmentId();
        e.status = s.status();
        e.startAt = s.start();
        e.endAt = s.end();
        e.durationMinutes = s.durationMinutes();
        e.providerId = s.providerId();
        e.locationId = s.locationId();
        e.patientId = s.patientId();
        e.replacesId = s.replacesId();
        e.replacedById = s.replacedById();
        e.contentHash = s.contentHash();
        e.lastUpdated = s.lastUpdated();
        e.versionId = s.versionId();
        e.lastSeenAt = seenAt;
        return e;
    }

    Snapshot toSnapshot() {
        return new Snapshot(appointmentId, status, startAt, endAt, durationMinutes, providerId, locationId, patientId,
                replacesId, replacedById, contentHash, lastUpdated, versionId);
    }
}
