package dev.appointmentbridge.source;

/**
 * A page could not be fetched or understood. The message carries the URL path, HTTP status and a
 * reason, never the response body (it may hold patient data).
 */
public class SourceFetchException extends Exception {

    private final int status;

    public SourceFetchException(String message, int status, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    /** HTTP status, or 0 when there was no response (timeout, connection refused, malformed body). */
    public int status() {
        return status;
    }
}
