package dev.appointmentbridge.inbound;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /webhook/appointment}: the published receiving contract. */
@Path("/webhook/appointment")
@Tag(name = "Receiving")
public class InboundEventResource {

    @Inject
    InboundEventService service;

    @Inject
    PushBodies bodies;

    @Inject
    ReceivePathWarmUp warmUp;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive an appointment event",
            description = "Stores the event once per webhook-id / Idempotency-Key and answers with its event_id.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "200", description = "Already stored under this idempotency key")
    @APIResponse(responseCode = "400", description = "Body does not decode as its Content-Encoding says")
    @APIResponse(responseCode = "401", description = "bridge.inbound.api-key is set and was not sent")
    @APIResponse(responseCode = "409", description = "The Idempotency-Key / webhook-id was used before with another body")
    @APIResponse(responseCode = "413", description = "Body (decoded, if gzip or deflate) larger than the limit")
    @APIResponse(responseCode = "415", description = "Content-Type is not JSON, or Content-Encoding is not gzip, "
            + "deflate or identity (the answer's Accept-Encoding names those accepted)")
    @APIResponse(responseCode = "422", description = "Invalid payload; every bad field is listed. Includes values "
            + "PostgreSQL cannot store (NUL, unpaired surrogates, offsets beyond ±15:59, years outside 1-9999); "
            + "one request's bad data never fails another request committed in the same group commit")
    @APIResponse(responseCode = "503", description = "The database is down or saturated: not stored, retry after "
            + "Retry-After")
    public CompletionStage<Response> receive(byte[] raw, @HeaderParam("webhook-id") String webhookId,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Content-Encoding") List<String> contentEncoding,
            @Parameter(hidden = true) @HeaderParam(ReceivePathWarmUp.HEADER) String warmUpToken) {
        InboundEvent event = InboundEventValidator.validate(bodies.json(raw, contentEncoding));
        if (warmUp.admits(warmUpToken)) {
            return PushBodies.answer(service.rehearse(event));
        }
        return PushBodies.answer(service.receive(event, webhookId != null ? webhookId : idempotencyKey));
    }
}
