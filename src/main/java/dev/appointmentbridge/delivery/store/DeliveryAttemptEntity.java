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
 * The {@code delivery_attempt} table: every attempt of a delivery with its status code, duration, error, the
 * start of the response body and the replica that made it. Appended by {@link DeliveryStore}, read by operators.
 */
@Entity
@Table(name = "delivery_attempt")
public class DeliveryAttemptEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "delivery_id")
    public Long deliveryId;

    /** 1 for the first attempt; starts over when an operator retries. */
    public int attempt;

    @Column(name = "attempted_at")
    public OffsetDateTime attemptedAt;

    @Column(name = "status_code")
    public Integer statusCode;

    @Column(name = "duration_ms")
    public int durationMs;

    public String error;

    @Column(name = "response_body")
    public String responseBody;

    /** The replica's instance name. */
    public String instance;
}
