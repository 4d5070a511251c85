package dev.appointmentbridge.feed;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One delivery of a target's feed, as it was sent: its number in the target's sequence, the {@code webhook-id}, the
 * event type and the body in the target's format; {@code status} says whether the target took it ({@code sent}),
 * gave up on it ({@code dead}) or it is still on its way ({@code pending}).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FeedEntry(long sequence, String webhookId, String type, String status, int attempts, String createdAt,
        String sentAt, @JsonRawValue String body) {
}
