package dev.appointmentbridge.replica;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The {@code replica} table: each running replica, written by its own {@link ReplicaRegistry} (an upsert by native SQL
 * on start and every heartbeat) and read by the others.
 */
@Entity
@Table(name = "replica")
public class ReplicaEntity extends PanacheEntityBase {

    @Id
    public String instance;

    public String version;

    /** A hash of the replica's sources and targets as configured, without secrets: equal means configured alike. */
    public String fingerprint;

    public String[] targets;

    /** Each target's name, format and event filter, JSON (TargetSpec): what the others' outboxes write rows for. */
    @Column(name = "target_specs")
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    public String targetSpecs;

    public String[] sources;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "last_seen")
    public OffsetDateTime lastSeen;
}
