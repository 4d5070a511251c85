package dev.appointmentbridge.quarantine;

import java.time.Instant;
import java.util.List;

import dev.appointmentbridge.common.SourceAppointmentKey;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The {@code quarantine} table: an upstream appointment that could not be read (docs/polling.md, "Poison
 * records"), with the reason and its raw id, never its content. Written by the poll cycle; listed by
 * {@code GET /admin/quarantine}. The row goes when a readable version of the appointment is seen.
 */
@Entity
@Table(name = "quarantine")
@IdClass(SourceAppointmentKey.class)
public class QuarantinedRecord extends PanacheEntityBase {

    @Id
    public String source;

    @Id
    @Column(name = "appointment_id")
    public String appointmentId;

    public String reason;

    /** The record's meta.lastUpdated, when it could be read. */
    @Column(name = "last_updated")
    public Instant lastUpdated;

    @Column(name = "first_seen_at")
    public Instant firstSeenAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    public static List<QuarantinedRecord> newestFirst(int limit) {
        return findAll(Sort.descending("lastSeenAt").and("source").and("appointmentId")).page(0, limit).list();
    }
}
