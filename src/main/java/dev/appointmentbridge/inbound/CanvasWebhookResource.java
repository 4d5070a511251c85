package dev.appointmentbridge.inbound;

import dev.appointmentbridge.config.InboundConfig;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /webhook/canvas}: the Canvas appointment-sync plugin's pushes, as it sends them. */
@Path("/webhook/canvas")
@Tag(name = "Receiving")
public class CanvasWebhookResource {

    private final CanvasPushReader reader;

    @Inject
    InboundEventService service;

    @Inject
    PushBodies bodies;

    @Inject
    public CanvasWebhookResource(ObjectMapper mapper, InboundConfig config) {
        this.reader = new CanvasPushReader(mapper, zone(config));
    }

    /** The zone of zone-less times; a value that names no zone stops the start, naming the setting. */
    static java.time.ZoneId zone(InboundConfig config) {
        return config.canvas().zone().filter(z -> !z.isBlank()).map(z -> {
            try {
                return java.time.ZoneId.of(z.trim());
            } catch (java.time.DateTimeException e) {
                throw new IllegalStateException(CanvasPushReader.ZONE_SETTING + "=" + z + " is not a time zone; use a "
                        + "region such as America/New_York (or UTC)");
            }
        }).orElse(null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Canvas appointment-sync push",
            description = "event_type appointment_created, appointment_rescheduled, appointment_canceled or "
                    + "appointment_no_showed becomes the canonical event; another name is stored as canvas.<name> "
                    + "and listed, never delivered. Times without a zone are read in bridge.inbound.canvas.zone (unset, "
                    + "or a local time that does not exist or is ambiguous there: 422, never guessed or shifted). "
                    + "Stored once per webhook-id / Idempotency-Key, else once per identical push.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "200", description = "Already stored (same key, or the same push again)")
    @APIResponse(responseCode = "401", description = "bridge.inbound.api-key is set and was not sent")
    @APIResponse(responseCode = "400", description = "Body does not decode as its Content-Encoding says")
    @APIResponse(responseCode = "413", description = "Body (decoded, if gzip or deflate) larger than the limit")
    @APIResponse(responseCode = "415", description = "Content-Type is not JSON, or Content-Encoding is not accepted")
    @APIResponse(responseCode = "422", description = "Invalid payload; every bad field is listed at its place, "
            + "e.g. [\"body\", \"appointment\", \"id\"]")
    @APIResponse(responseCode = "503", description = "The database is down or saturated: not stored, retry later")
    public CompletionStage<Response> receive(byte[] raw, @HeaderParam("webhook-id") String webhookId,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Content-Encoding") List<String> contentEncoding) {
        String key = webhookId != null ? webhookId : idempotencyKey;
        return PushBodies.answer(service.receive(reader.read(bodies.json(raw, contentEncoding), key)));
    }
}
