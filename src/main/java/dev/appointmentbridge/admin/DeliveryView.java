package dev.appointmentbridge.admin;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One delivery in the admin API, with its attempts when asked for one delivery. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryView(long id, long eventId, String webhookId, String eventType, String appointmentId,
        String target, Long sequence, String status, int attempts, String createdAt, String nextAttemptAt, String lastAttemptAt,
        Integer lastStatusCode, String lastError, String sentAt, List<Attempt> attemptLog) {

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Attempt(int attempt, String attemptedAt, Integer statusCode, int durationMs, String error,
            String responseBody, String instance) {
    }
}
