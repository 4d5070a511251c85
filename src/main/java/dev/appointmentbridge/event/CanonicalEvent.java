package dev.appointmentbridge.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The canonical event of the design: what is stored as the payload and what every target format is
 * derived from. Fields a source does not know are left out rather than sent as null. {@code reason} is set
 * only where the event type alone would mislead ({@code "deleted"}: the appointment was deleted upstream).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CanonicalEvent(String id, String type, String source, String occurredAt, Appointment appointment,
        Appointment previous, Patient patient, String notes, String reason) {

    /** {@code reason} of a cancellation the bridge derived from a delete rather than a status. */
    public static final String REASON_DELETED = "deleted";
    /** A window source's appointment absent from a complete scan and, where it can be read by id, gone. */
    public static final String REASON_REMOVED = "removed";

    /**
     * {@code reason} of any event a reconciliation sweep found: a difference between a snapshot and the
     * server that the cursor path missed.
     */
    public static final String REASON_RECONCILED = "reconciled";

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Appointment(String id, String status, String start, String end, Integer durationMinutes,
            String providerId, String locationId, String patientId) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Patient(String id, String firstName, String lastName) {
    }
}
