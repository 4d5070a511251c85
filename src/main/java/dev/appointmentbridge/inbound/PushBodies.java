package dev.appointmentbridge.inbound;

import dev.appointmentbridge.config.InboundConfig;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.ErrorResponses;
import dev.appointmentbridge.event.EventLogUnavailableException;
import dev.appointmentbridge.event.EventRejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * What every receiving endpoint does with a pushed body before and after its own reading of it: the size
 * limit (counting decoded bytes), Content-Encoding, strict JSON (no trailing tokens), and the mapping of a
 * failed append to the contract's error bodies.
 */
@ApplicationScoped
public class PushBodies {

    private final ObjectReader reader;

    @Inject
    InboundConfig config;

    @Inject
    public PushBodies(ObjectMapper mapper) {
        // A key sent twice is refused: a gateway, a signature checker or the sender's own log may have read the
        // first value where a lenient parser keeps the last.
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** A bridge.inbound.canvas.zone that names no zone stops the start, not every Canvas push later (a 500). */
    void checkCanvasZone(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ignored) {
        CanvasWebhookResource.zone(config);
    }

    /** The body as a JSON tree; 413 past {@code bridge.inbound.max-body-bytes}, 415/400 for codings, 422 for JSON. */
    JsonNode json(byte[] raw, List<String> contentEncoding) {
        if (raw.length > config.maxBodyBytes()) {
            throw BodyLimits.tooLarge(config.maxBodyBytes());
        }
        byte[] body = ContentCoding.decode(raw, contentEncoding, config.maxBodyBytes());
        if (body.length == 0) {
            throw ApiException.unprocessable("Invalid payload structure",
                    List.of(new ErrorItem(List.of("body"), "Field required", "missing")));
        }
        try {
            return reader.readTree(body);
        } catch (StreamReadException e) {
            List<String> duplicate = duplicateKey(e);
            if (duplicate != null) {
                throw ApiException.unprocessable("Invalid payload structure", List.of(new ErrorItem(duplicate,
                        "Key \"" + duplicate.get(duplicate.size() - 1) + "\" appears more than once in this object; "
                                + "send each key once", "duplicate_key")));
            }
            throw malformed(e);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw ApiException.unprocessable("Malformed JSON body",
                    List.of(new ErrorItem(List.of("body"), "JSON decode error", "json_invalid")));
        }
    }

    private static ApiException malformed(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return ApiException.unprocessable("Malformed JSON body",
                List.of(new ErrorItem(List.of("body"), "JSON decode error" + where, "json_invalid")));
    }

    /** Where a key sent twice sits ({@code ["body", "appointment", "id"]}), or null for any other parse error. */
    private static List<String> duplicateKey(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null || e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate field '")) {
            return null;
        }
        java.util.LinkedList<String> path = new java.util.LinkedList<>();
        JsonStreamContext context = parser.getParsingContext();
        if (context.getCurrentName() != null) {
            path.addFirst(context.getCurrentName());
        }
        for (JsonStreamContext c = context; c.getParent() != null && !c.getParent().inRoot(); c = c.getParent()) {
            JsonStreamContext parent = c.getParent();
            path.addFirst(parent.inArray() ? String.valueOf(parent.getCurrentIndex()) : parent.getCurrentName());
        }
        path.addFirst("body");
        return path;
    }

    /** 201 with the receipt when this request stored the event, 200 when it was stored before; errors mapped. */
    static CompletionStage<Response> answer(CompletionStage<InboundEventService.Outcome> outcome) {
        return outcome.thenApply(o -> Response.status(o.created() ? 201 : 200).entity(o.receipt()).build())
                .exceptionally(PushBodies::failure);
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
