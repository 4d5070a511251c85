package dev.appointmentbridge.inbound;

import dev.appointmentbridge.config.InboundConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /webhook/clockwise/{key}} and {@code POST /webhook/clockwise} with an {@code Authtoken} header:
 * Clockwise.MD's pushes; see {@link ClockwisePushService}.
 */
@Path("/webhook/clockwise")
@Tag(name = "Receiving")
public class ClockwiseWebhookResource {

    @Inject
    ClockwisePushService service;

    @Inject
    PushBodies bodies;

    @POST
    @Path("{key}")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Clockwise.MD push, key in the URL",
            description = "Body {\"appointment_id\", \"event_type\"}. A key linked to a source fetches the appointment "
                    + "from it now and diffs it like a poll (200 with the number of events); otherwise the push is "
                    + "stored: create, reschedule, remove and discharge as their canonical types (201), other names "
                    + "as clockwise.<name>, listed and never delivered.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "Linked key: fetched and diffed, or accepted for the next poll")
    @APIResponse(responseCode = "201", description = "Unlinked key: stored")
    @APIResponse(responseCode = "401", description = "The key is not a configured bridge.inbound.clockwise.<key>")
    @APIResponse(responseCode = "400", description = "Body does not decode as its Content-Encoding says")
    @APIResponse(responseCode = "413", description = "Body (decoded, if gzip or deflate) larger than the limit")
    @APIResponse(responseCode = "415", description = "Content-Type is not JSON, or Content-Encoding is not accepted")
    @APIResponse(responseCode = "422", description = "Invalid payload; every bad field is listed")
    @APIResponse(responseCode = "503", description = "Unlinked key: the database is down or saturated, not stored")
    public CompletionStage<Response> receiveWithKeyInUrl(@PathParam("key") String key, byte[] raw,
            @HeaderParam("Content-Encoding") List<String> contentEncoding) {
        return receive(key, raw, contentEncoding);
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Clockwise.MD push, key in an Authtoken header",
            description = "As POST /webhook/clockwise/{key}.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "Linked key: fetched and diffed, or accepted for the next poll")
    @APIResponse(responseCode = "201", description = "Unlinked key: stored")
    @APIResponse(responseCode = "401", description = "No Authtoken, or not a configured key")
    @APIResponse(responseCode = "400", description = "Body does not decode as its Content-Encoding says")
    @APIResponse(responseCode = "413", description = "Body (decoded, if gzip or deflate) larger than the limit")
    @APIResponse(responseCode = "415", description = "Content-Type is not JSON, or Content-Encoding is not accepted")
    @APIResponse(responseCode = "422", description = "Invalid payload; every bad field is listed")
    @APIResponse(responseCode = "503", description = "Unlinked key: the database is down or saturated, not stored")
    public CompletionStage<Response> receiveWithAuthtoken(@HeaderParam("Authtoken") String key, byte[] raw,
            @HeaderParam("Content-Encoding") List<String> contentEncoding) {
        return receive(key, raw, contentEncoding);
    }

    private CompletionStage<Response> receive(String key, byte[] raw, List<String> contentEncoding) {
        InboundConfig.ClockwiseKey linked = service.authenticate(key); // 401 before the body is even read
        ClockwisePushService.Push push = service.read(bodies.json(raw, contentEncoding));
        if (linked.source().isPresent()) {
            return CompletableFuture.completedFuture(Response.ok(service.fetch(linked.source().get(), push)).build());
        }
        return PushBodies.answer(service.store(push));
    }
}
