package dev.appointmentbridge.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/activity")
@Tag(name = "Admin")
public class ActivityAdminResource {

    @Inject
    ActivityAdminService service;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The last hour, minute by minute",
            description = "Events stored and delivery attempts answered 2xx (sent) or not (failed), for the chart of "
                    + "/admin; every one of the 60 minutes is listed, oldest first.")
    public ActivityView lastHour() {
        return service.lastHour();
    }
}
