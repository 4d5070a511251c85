package dev.appointmentbridge.feed;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A receiver's own view of what it was sent, by sequence number, behind its target's {@code feed-key} (the
 * {@code feed-reader} policy checks the key against the path's target before this runs).
 */
@Path("/feed")
@Tag(name = "Feed")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    @Inject
    FeedService feed;

    @Inject
    TargetRegistry targets;

    @GET
    @Path("/{target}")
    @Operation(summary = "A target's deliveries after a sequence number",
            description = "Authorization: Bearer <bridge.targets.<target>.feed-key>. Returns up to limit deliveries"
                    + " numbered after `after`, in sequence order, each as it was sent; ask again with next_after.")
    @APIResponse(responseCode = "200", description = "A page of the feed", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FeedPage.class)))
    @APIResponse(responseCode = "401", description = "No feed key, or not this target's (also for a target that does"
            + " not exist or has no feed)")
    @APIResponse(responseCode = "409", description = "`after` is beyond the last number assigned: the bridge's database"
            + " was reset, or the number is not one it sent")
    @APIResponse(responseCode = "410", description = "`after` is before the first delivery retention kept; the body"
            + " and the Bridge-Feed-Start header say where the feed now starts")
    @APIResponse(responseCode = "422", description = "after or limit is not a whole number in range")
    public Response page(@PathParam("target") String target,
            @Parameter(description = "the last sequence number you hold (0: from the start)", schema = @Schema(
                    type = SchemaType.INTEGER, minimum = "0", defaultValue = "0")) @QueryParam("after") String after,
            @Parameter(description = "deliveries per page", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "1000", defaultValue = "100")) @QueryParam("limit") String limit) {
        TargetRegistry.Target t = targets.find(target).orElseThrow(() -> new ApiException(404, "Not found",
                List.of(ErrorItem.of("path", "target", "No target " + target, "not_found"))));
        FeedPage page = feed.page(t, number("after", after, 0, 0, Long.MAX_VALUE - 1),
                (int) number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
        // patient ids and notes: no shared cache may keep them
        return Response.ok(page).header("Cache-Control", "no-store").build();
    }

    private static long number(String name, String raw, long fallback, long min, long max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.unprocessable("Invalid parameters", List.of(ErrorItem.of("query", name,
                "Input should be a whole number from " + min + " to " + max, "invalid")));
    }
}
