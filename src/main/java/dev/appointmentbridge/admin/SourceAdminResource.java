package dev.appointmentbridge.admin;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/sources")
@Tag(name = "Admin")
public class SourceAdminResource {

    @Inject
    SourceAdminService service;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Polled sources", description = "Cursor, last poll time and result, counts; no secrets.")
    public List<SourceView> list() {
        return service.list();
    }
}
