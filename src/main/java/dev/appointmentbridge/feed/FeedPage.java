package dev.appointmentbridge.feed;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A page of a target's feed: the deliveries numbered after {@code after}, in sequence order. {@code next_after} is
 * what to ask with next; {@code last_sequence} the last number assigned so far, so {@code next_after <
 * last_sequence} means there is more.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FeedPage(String target, long after, long nextAfter, long lastSequence,
        List<FeedEntry> deliveries) {
}
