package dev.appointmentbridge.event;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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
    public EventPage list(@BeanParam EventListParams params) {
        return events.list(params.toQuery());
    }
}
