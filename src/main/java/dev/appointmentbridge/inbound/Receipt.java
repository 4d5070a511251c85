package dev.appointmentbridge.inbound;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The success body of {@code POST /webhook/appointment}, exactly as the contract gives it. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Receipt(String status, String message, long eventId, String receivedAt, Data data) {

    static final String STORED = "Event received and stored successfully";
    static final String ALREADY_STORED = "Event already received; returning the original event";

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Data(String eventType, String appointmentId, String patientId) {
    }
}
