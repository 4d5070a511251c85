package dev.appointmentbridge.admin;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.ErrorResponses;
import dev.appointmentbridge.poll.PollService;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/sources")
@Tag(name = "Admin")
public class SourceAdminResource {

    @Inject
    SourceAdminService service;

    @Inject
    PollService polls;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Polled sources", description = "Cursor, last poll time and result, counts; no secrets.")
    public List<SourceView> list() {
        return service.list();
    }

    @POST
    @Path("/{name}/removals/confirm")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm a source's pending removals", description = "Cancels (reason removed) the "
            + "appointments a window scan did not list but could not conclude gone by itself (a short answer, or more "
            + "than window.max-removals at once; sources without item-url), held at or before 'through' (the "
            + "pending_removals_through the operator saw), and takes each slice's last short answer as its size. "
            + "409 when a cycle of the source is running.")
    public Response confirmRemovals(@PathParam("name") String name,
            @jakarta.ws.rs.QueryParam("through") String through) {
        if (polls.find(name).isEmpty()) {
            throw new ApiException(404, "Unknown source",
                    List.of(ErrorItem.of("path", "name", "No source named " + name + " is configured", "not_found")));
        }
        java.time.Instant until;
        try {
            until = java.time.Instant.parse(through == null ? "" : through);
        } catch (java.time.DateTimeException e) {
            throw new ApiException(422, "Invalid query parameter", List.of(ErrorItem.of("query", "through",
                    "The pending_removals_through shown on GET /admin/sources (ISO 8601 instant), so only the removals"
                            + " you saw are confirmed", "datetime_parsing")));
        }
        if (until.isBefore(java.time.Instant.parse("0001-01-01T00:00:00Z"))) { // no timestamp column holds it
            throw new ApiException(422, "Invalid query parameter", List.of(ErrorItem.of("query", "through",
                    "Input should be a time in the years 1 to 9999", "datetime_range")));
        }
        if (until.isAfter(java.time.Instant.now())) {
            throw new ApiException(422, "Invalid query parameter", List.of(ErrorItem.of("query", "through",
                    "A time in the future would confirm removals held after you looked; send the "
                            + "pending_removals_through shown on GET /admin/sources", "datetime_future")));
        }
        return polls.confirmRemovals(name, until)
                .map(r -> Response.status(r.skipped() ? 409 : 200).entity(CycleView.of(r)).build())
                .orElseGet(() -> ErrorResponses.of(409, "Not confirmed now: the source is busy; try again",
                        ErrorItem.of("source", name, "a cycle of it is running", "busy")));
    }

    @POST
    @Path("/{name}/poll")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Poll a source now", description = "Runs one cycle and answers what it did; 502 when "
            + "the upstream failed (pages committed before the failure are kept), 409 when a cycle of it is "
            + "already running here or on another replica, or the source asked (Retry-After) to be left alone for now.")
    public Response pollNow(@PathParam("name") String name) {
        if (polls.find(name).isEmpty()) {
            throw new ApiException(404, "Unknown source",
                    List.of(ErrorItem.of("path", "name", "No source named " + name + " is configured", "not_found")));
        }
        java.time.Instant paused = polls.find(name).get().pausedUntil();
        if (paused != null) {
            return ErrorResponses.of(409, "Not polled: the source asked to be left alone until " + paused
                    + " (Retry-After); try again after that", ErrorItem.of("source", name, "paused until " + paused,
                            "paused"));
        }
        return polls.poll(name)
                .map(r -> Response.status(r.skipped() ? 409 : 200).entity(CycleView.of(r)).build())
                .orElseGet(() -> ErrorResponses.of(502, "Poll failed; the pages before the failure are kept, the rest is read next time",
                        ErrorItem.of("source", name, service.lastError(name), "upstream_failed")));
    }
}
