package dev.appointmentbridge.delivery.store;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The {@code target_sequence} table: each target's last {@code bridge-sequence} number assigned, taken through
 * {@link TargetSequences}, read by the feed, and when the last heartbeat went out (Heartbeats).
 * The statements that use it are native SQL (an upsert that returns the numbers, a conditional claim).
 */
@Entity
@Table(name = "target_sequence")
public class TargetSequenceEntity extends PanacheEntityBase {

    @Id
    public String target;

    /** The last number assigned, as committed. */
    public long last;

    @Column(name = "heartbeat_at")
    public OffsetDateTime heartbeatAt;
}
