package dev.appointmentbridge.health;

/** Body of {@code GET /}. */
public record HealthSummary(String status, String service, String version, String database) {
}
