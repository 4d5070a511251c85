package dev.appointmentbridge.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The canonical event of the design: what is stored as the payload and what every target format is
 * derived from. Fields a source does not know are left out rather than sent as null.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CanonicalEvent(String id, String type, String source, String occurredAt, Appointment appointment,
        Appointment previous, Patient patient, String notes) {

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
