package dev.appointmentbridge.config;

/** Payload shapes a target can ask for ({@code bridge.targets.<name>.format=standard|canvas|...}). */
public enum Format {
    STANDARD, CANVAS, FLAT, SLACK, CLOCKWISE
}
