package dev.appointmentbridge.event;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A page of events; pass {@code next_cursor} back as {@code cursor} for the next (older) page. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventPage(List<EventView> events, int count, String nextCursor) {
}
