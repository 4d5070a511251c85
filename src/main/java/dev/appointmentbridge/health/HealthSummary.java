package dev.appointmentbridge.health;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code GET /}. */
@RegisterForReflection
public record HealthSummary(String status, String service, String version, String database) {
}
