package dev.appointmentbridge.event;

import jakarta.ws.rs.QueryParam;

/**
 * The query parameters of {@code GET /webhook/events}, taken as strings so {@link EventQuery#parse} can name
 * each bad one.
 */
public class EventListParams {

    @QueryParam("event_type")
    String eventType;

    @QueryParam("appointment_id")
    String appointmentId;

    @QueryParam("patient_id")
    String patientId;

    @QueryParam("since")
    String since;

    @QueryParam("limit")
    String limit;

    @QueryParam("cursor")
    String cursor;

    @QueryParam("offset")
    String offset;

    public EventQuery toQuery() {
        return EventQuery.parse(eventType, appointmentId, patientId, since, limit, cursor, offset);
    }
}
