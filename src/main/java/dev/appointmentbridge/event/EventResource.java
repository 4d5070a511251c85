package dev.appointmentbridge.event;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/webhook/events")
@Tag(name = "Receiving")
public class EventResource {

    @Inject
    EventLogService events;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List stored events, newest first",
            description = "Received and poll-derived events. Page with cursor=next_cursor (or offset); limit ≤ 500.")
    public EventPage list(@QueryParam("event_type") String eventType,
            @QueryParam("appointment_id") String appointmentId, @QueryParam("patient_id") String patientId,
            @QueryParam("since") String since, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("offset") String offset) {
        return events.list(EventQuery.parse(eventType, appointmentId, patientId, since, limit, cursor, offset));
    }
}
