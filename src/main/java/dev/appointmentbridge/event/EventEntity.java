package dev.appointmentbridge.event;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The {@code event} table, the one mapping for its reads ({@link EventLogService}) and its batched appends
 * ({@link EventInserter}, multi-row HQL inserts). Rows are never updated.
 */
@Entity
@Table(name = "event")
public class EventEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
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

    /** The sender's Idempotency-Key, unique per source when present. */
    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** Hash of the keyed request, to tell a retry from a reused key. */
    @Column(name = "request_hash")
    public String requestHash;

    public String notes;

    public String payload;
}
