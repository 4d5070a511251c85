package dev.appointmentbridge.delivery.store;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The {@code delivery} table (the outbox): one row per event and target, created in the event's transaction
 * by {@link Outbox}, claimed and settled by {@link DeliveryStore}, listed and re-queued by the admin API. The
 * one mapping of the table; the two statements HQL cannot express (the {@code SKIP LOCKED} claim and the
 * batch outcome update) are in {@link DeliveryStore} and name this mapping's columns.
 */
@Entity
@Table(name = "delivery")
public class DeliveryEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id")
    public Long eventId;

    public String target;

    /** {@code pending}, {@code sent}, {@code dead} or {@code skipped}. */
    public String status;

    /** Copied from the event, so the in-order claim is one index probe. */
    @Column(name = "appointment_id")
    public String appointmentId;

    /** The event's source; with the target and appointment id, the key deliveries are ordered by. */
    @Column(name = "source")
    public String source;

    /** Its number in the target's sequence (bridge-sequence); null for a skipped row, which is never sent. */
    public Long sequence;

    public int attempts;

    /** When due; while in flight, the end of the claim's lease. */
    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "last_attempt_at")
    public OffsetDateTime lastAttemptAt;

    @Column(name = "last_status_code")
    public Integer lastStatusCode;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;
}
