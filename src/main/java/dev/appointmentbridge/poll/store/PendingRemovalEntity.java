package dev.appointmentbridge.poll.store;

import java.time.Instant;

import dev.appointmentbridge.common.SourceAppointmentKey;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The {@code pending_removal} table: a known appointment a window scan of a source without reads by id did not list,
 * where the scan was too short, or would have cancelled too much of the window at once, to conclude it is gone. It
 * is cancelled (with {@code reason}) when an operator confirms, and dropped when a scan lists it again.
 */
@Entity
@Table(name = "pending_removal")
@IdClass(SourceAppointmentKey.class)
public class PendingRemovalEntity extends PanacheEntityBase {

    @Id
    public String source;

    @Id
    @Column(name = "appointment_id")
    public String appointmentId;

    /** The cancellation's reason once confirmed ({@code removed}). */
    public String reason;

    /** Why the scan did not cancel it at once, for the operator. */
    public String why;

    @Column(name = "held_at")
    public Instant heldAt;
}
