package dev.appointmentbridge.admin;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /admin/activity}: the last hour minute by minute (oldest first, every minute present), for the
 * operator page's chart: events stored, and delivery attempts answered 2xx ({@code sent}) or not ({@code failed}).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ActivityView(String from, String to, List<Minute> minutes) {

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Minute(String minute, long events, long sent, long failed) {
    }
}
