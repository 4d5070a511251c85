package dev.appointmentbridge.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.appointmentbridge.event.EventLogService;
import dev.appointmentbridge.event.EventListParams;
import dev.appointmentbridge.event.EventPage;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The event log behind the admin key, so the operator page needs one key only; same query as
 * {@code GET /webhook/events}, which stays behind the inbound key for the systems that send events.
 */
@Path("/admin/events")
@Tag(name = "Admin")
public class EventAdminResource {

    @Inject
    EventLogService events;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stored events, newest first", description = "The filters and paging of GET /webhook/events.")
    public EventPage list(@BeanParam EventListParams params) {
        return events.list(params.toQuery());
    }
}
