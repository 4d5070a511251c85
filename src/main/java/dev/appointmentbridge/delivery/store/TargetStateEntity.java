package dev.appointmentbridge.delivery.store;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The {@code target_state} table: a target disabled by a 410 Gone or an operator stays disabled across
 * restarts and replicas until enabled. Written and read by {@link TargetRegistry}.
 */
@Entity
@Table(name = "target_state")
public class TargetStateEntity extends PanacheEntityBase {

    @Id
    public String name;

    public boolean enabled;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "changed_at")
    public OffsetDateTime changedAt;
}
