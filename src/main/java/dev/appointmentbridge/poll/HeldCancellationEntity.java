package dev.appointmentbridge.poll;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

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
@IdClass(HeldCancellationEntity.Key.class)
public class HeldCancellationEntity extends PanacheEntityBase {

    /** Composite key (source, appointment_id). */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        public String source;
        public String appointmentId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(source, k.source) && Objects.equals(appointmentId, k.appointmentId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, appointmentId);
        }
    }

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
