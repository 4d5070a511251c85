package dev.appointmentbridge.inbound;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.ErrorResponses;
import dev.appointmentbridge.event.EventLogUnavailableException;
import dev.appointmentbridge.event.EventRejectedException;
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

    private final ObjectReader reader;

    @Inject
    InboundEventService service;

    @Inject
    InboundConfig config;

    @Inject
    public InboundEventResource(ObjectMapper mapper) {
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive an appointment event",
            description = "Stores the event once per webhook-id / Idempotency-Key and answers with its event_id.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "200", description = "Already stored under this idempotency key")
    @APIResponse(responseCode = "400", description = "Body does not decode as its Content-Encoding says")
    @APIResponse(responseCode = "413", description = "Body (decoded, if gzip or deflate) larger than the limit")
    @APIResponse(responseCode = "415", description = "Content-Type is not JSON, or Content-Encoding is not gzip, "
            + "deflate or identity (the answer's Accept-Encoding names those accepted)")
    @APIResponse(responseCode = "422", description = "Invalid payload; every bad field is listed. Includes values "
            + "PostgreSQL cannot store (NUL, unpaired surrogates, offsets beyond ±15:59, years outside 1-9999); "
            + "one request's bad data never fails another request committed in the same group commit")
    public CompletionStage<Response> receive(byte[] raw, @HeaderParam("webhook-id") String webhookId,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Content-Encoding") List<String> contentEncoding) {
        if (raw.length > config.maxBodyBytes()) {
            throw BodyLimits.tooLarge(config.maxBodyBytes());
        }
        byte[] body = ContentCoding.decode(raw, contentEncoding, config.maxBodyBytes());
        InboundEvent event = InboundEventValidator.validate(parse(body));
        String key = webhookId != null ? webhookId : idempotencyKey;
        return service.receive(event, key)
                .thenApply(outcome -> Response.status(outcome.created() ? 201 : 200).entity(outcome.receipt())
                        .build())
                .exceptionally(InboundEventResource::failure);
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.unprocessable("Invalid payload structure",
                    List.of(new ErrorItem(List.of("body"), "Field required", "missing")));
        }
        try {
            return reader.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.unprocessable("Malformed JSON body",
                    List.of(new ErrorItem(List.of("body"), "JSON decode error" + where, "json_invalid")));
        } catch (IOException e) {
            throw ApiException.unprocessable("Malformed JSON body",
                    List.of(new ErrorItem(List.of("body"), "JSON decode error", "json_invalid")));
        }
    }

    private static Response failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ApiException api) {
            return api.toResponse();
        }
        if (cause instanceof EventRejectedException rejected) {
            return ErrorResponses.of(422, "The event could not be stored as sent", ErrorItem.of("body", "",
                    "A value cannot be stored (database SQLSTATE " + rejected.sqlState() + "); fix the request, "
                            + "sending it again unchanged will fail again", "unstorable"));
        }
        if (cause instanceof EventLogUnavailableException) {
            Response r = ErrorResponses.of(503, "Event store unavailable; the event was not stored, retry later",
                    ErrorItem.of("server", "event_log", "Database unavailable or saturated", "unavailable"));
            return Response.fromResponse(r).header("Retry-After", "5").build();
        }
        throw new CompletionException(cause);
    }
}
