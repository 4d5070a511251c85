package dev.appointmentbridge.source;

/** A patient's name from an included Patient resource: only for event payloads, never logs or snapshots. */
public record PatientName(String id, String firstName, String lastName) {
}
