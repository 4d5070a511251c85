package dev.appointmentbridge.event;

/** The event could not be committed (database down, queue full); the caller should retry. */
public class EventLogUnavailableException extends RuntimeException {

    public EventLogUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
