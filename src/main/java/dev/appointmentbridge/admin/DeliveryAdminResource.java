package dev.appointmentbridge.admin;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Operator API over targets and deliveries: inspect, retry, replay, re-enable. */
@Path("/admin")
@Tag(name = "Admin")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryAdminResource {

    private static final Set<String> STATUSES = Set.of("pending", "sent", "dead", "skipped");

    @Inject
    DeliveryAdminService service;

    @Inject
    TargetRegistry targets;

    @GET
    @Path("/targets")
    @Operation(summary = "Targets", description = "Health, success rate (last hour), queue depth, last error.")
    public List<TargetView> targets() {
        return service.targets();
    }

    @GET
    @Path("/deliveries")
    @Operation(summary = "Deliveries, newest first", description = "Filters: status, target, event (event_id).")
    public List<DeliveryView> deliveries(@QueryParam("status") String status, @QueryParam("target") String target,
            @QueryParam("event") String event, @QueryParam("limit") String limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw bad("status", "Input should be one of " + STATUSES);
        }
        return service.deliveries(status, target, event == null ? null : number("event", event),
                limit == null ? 100 : (int) Math.min(500, Math.max(1, number("limit", limit))));
    }

    @GET
    @Path("/deliveries/{id}")
    @Operation(summary = "One delivery with every attempt")
    public DeliveryView delivery(@PathParam("id") String id) {
        return service.delivery(number("id", id)).orElseThrow(() -> notFound("delivery", id));
    }

    @POST
    @Path("/deliveries/{id}/retry")
    @Operation(summary = "Send a delivery again", description = "Pending, sent or dead; the retry schedule starts over"
            + " and an attempt in flight records nothing. It goes as soon as nothing of its appointment is in flight to"
            + " the target. A sent or dead delivery that a newer delivery of its appointment followed is refused (409:"
            + " it would arrive after the newer state) unless force=true; a skipped one is refused (409: never sent).")
    public Map<String, Object> retry(@PathParam("id") String id, @QueryParam("force") List<String> force) {
        if (force.size() > 1 || force.size() == 1 && !force.get(0).equals("true") && !force.get(0).equals("false")) {
            throw bad("force", "Input should be true or false, given once");
        }
        switch (service.retry(number("id", id), force.size() == 1 && force.get(0).equals("true"))) {
            case NOT_FOUND -> throw notFound("delivery", id);
            case SKIPPED -> throw conflict("this delivery was skipped: the target's format cannot carry this event,"
                    + " so it is never sent");
            case FOLLOWED -> throw conflict("a newer delivery of this appointment was sent to the target since; retrying"
                    + " this one would send an older state after it. Retry with ?force=true to send it anyway");
            case QUEUED -> {
            }
        }
        return Map.of("status", "queued", "delivery_id", Long.parseLong(id));
    }

    @POST
    @Path("/targets/{name}/replay")
    @Operation(summary = "Re-queue dead and sent deliveries of a target created since a time")
    public Map<String, Object> replay(@PathParam("name") String name, @QueryParam("since") String since) {
        knownTarget(name);
        if (since == null) {
            throw bad("since", "Field required: an ISO 8601 time with a zone");
        }
        OffsetDateTime from;
        try {
            from = OffsetDateTime.parse(since);
        } catch (DateTimeParseException e) {
            throw bad("since", "Input should be an ISO 8601 datetime with a timezone");
        }
        int year = from.withOffsetSameInstant(java.time.ZoneOffset.UTC).getYear();
        if (year < 1 || year > 9999) { // a timestamp column holds no other; JDK 25 throws converting one (a 500)
            throw bad("since", "Input should be a time in the years 1 to 9999");
        }
        return Map.of("status", "queued", "target", name, "requeued", service.replay(name, from));
    }

    @POST
    @Path("/targets/{name}/enable")
    @Operation(summary = "Enable a target again (after a 410 Gone or a manual disable)")
    public Map<String, Object> enable(@PathParam("name") String name) {
        knownTarget(name);
        service.enable(name);
        return Map.of("status", "enabled", "target", name);
    }

    private void knownTarget(String name) {
        if (targets.find(name).isEmpty()) {
            throw notFound("target", name);
        }
    }

    private static long number(String name, String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw bad(name, "Input should be an integer");
        }
    }

    private static ApiException bad(String name, String msg) {
        return ApiException.unprocessable("Invalid parameters", List.of(ErrorItem.of("query", name, msg, "invalid")));
    }

    private static ApiException conflict(String msg) {
        return new ApiException(409, "Conflict", List.of(ErrorItem.of("query", "force", msg, "followed")));
    }

    private static ApiException notFound(String what, String id) {
        return new ApiException(404, "Not found", List.of(ErrorItem.of("path", what, "No " + what + " " + id,
                "not_found")));
    }
}
