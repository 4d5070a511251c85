package dev.appointmentbridge.poll.store;

import java.time.Instant;
import java.util.UUID;

import dev.appointmentbridge.common.SourceAppointmentKey;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The {@code held_cancellation} table: a cancellation derived in a cycle that has not ended yet, with its
 * exact payload. Appended to the event log when the cycle ends, dropped when a rebooking folds it.
 */
@Entity
@Table(name = "held_cancellation")
@IdClass(SourceAppointmentKey.class)
public class HeldCancellationEntity extends PanacheEntityBase {

    @Id
    public String source;

    @Id
    @Column(name = "appointment_id")
    public String appointmentId;

    public UUID uuid;

    @Column(name = "patient_id")
    public String patientId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String payload;

    @Column(name = "held_at")
    public Instant heldAt;
}
