package dev.appointmentbridge.event;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Read model of the event log. Rows are written by {@link EventInserter} (batched), never updated. */
@Entity
@Table(name = "event")
public class EventEntity extends PanacheEntityBase {

    @Id
    public Long id;

    public UUID uuid;

    public String type;

    public String source;

    @Column(name = "appointment_id")
    public String appointmentId;

    @Column(name = "patient_id")
    public String patientId;

    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;

    @Column(name = "received_at")
    public OffsetDateTime receivedAt;

    public String notes;

    public String payload;
}
