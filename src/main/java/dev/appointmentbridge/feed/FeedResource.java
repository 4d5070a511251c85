package dev.appointmentbridge.feed;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
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
    @APIResponse(responseCode = "200", description = "A page of the feed")
    @APIResponse(responseCode = "401", description = "No feed key, or not this target's")
    @APIResponse(responseCode = "410", description = "`after` is before the first delivery retention kept; the body"
            + " and the Bridge-Feed-Start header say where the feed now starts")
    @APIResponse(responseCode = "422", description = "after or limit is not a whole number in range")
    public FeedPage page(@PathParam("target") String target, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        TargetRegistry.Target t = targets.find(target).orElseThrow(() -> new ApiException(404, "Not found",
                List.of(ErrorItem.of("path", "target", "No target " + target, "not_found"))));
        return feed.page(t, number("after", after, 0, 0, Long.MAX_VALUE - 1),
                (int) number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
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
