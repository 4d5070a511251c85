package dev.appointmentbridge.source;

import java.time.Instant;

/**
 * An Appointment that cannot be turned into a record (no status, an unknown status code, a date that is not
 * a FHIR instant). It is quarantined with {@code reason} and never blocks its source; {@code lastUpdated} is
 * its meta.lastUpdated when that could be read, so the cursor still moves past it.
 */
public record PoisonRecord(String appointmentId, String reason, Instant lastUpdated) {
}
