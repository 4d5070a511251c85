package dev.appointmentbridge.event;

/**
 * PostgreSQL refused this event's data (SQLSTATE class 22, data exception, or 23, integrity constraint): sending
 * it again cannot succeed, so the caller answers 4xx, never 503. Carries the SQLSTATE, never the value.
 */
public class EventRejectedException extends RuntimeException {

    private final String sqlState;

    public EventRejectedException(String sqlState) {
        super("the database refused the event's data (SQLSTATE " + sqlState + ")", null, false, false);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
