package dev.appointmentbridge.source;

/** {@code GET Appointment/{id}}: the current version, or gone (404/410: deleted or never there). */
public sealed interface ReadResult {

    record Found(SourcePage asPage) implements ReadResult {
    }

    record Gone(int status) implements ReadResult {
    }
}
