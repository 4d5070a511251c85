package dev.appointmentbridge.common;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Completes the OpenAPI document ({@code /docs} lists every status with its body). The receiving
 * endpoints ({@code POST /webhook/...}) get what their byte[] parameters hide: the request's schema and example,
 * and an example body for every status they declare. The operator API ({@code /admin/*}, {@code GET
 * /webhook/events}) gets the refusals its filters and resources answer with: 401 (admin key), 403 (a
 * cross-site mutation), 404 (an unknown name or id in the path), 422 (a bad query parameter). Registered as
 * {@code mp.openapi.filter}; runs when the document is built.
 */
public class OpenApiExamples implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Example answer bodies by status; 201/200 depend on the endpoint. */
    private static final Map<String, String> ERRORS = Map.of("400", ApiExamples.INVALID.replace("Invalid payload structure",
            "Body does not decode as its Content-Encoding says"), "401", ApiExamples.UNAUTHORIZED, "409",
            ApiExamples.CONFLICT, "413", ApiExamples.TOO_LARGE, "415", ApiExamples.UNSUPPORTED, "422", ApiExamples.INVALID, "503",
            ApiExamples.UNAVAILABLE);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            operatorApi(path.getKey(), path.getValue());
            Operation post = path.getValue().getPOST();
            if (post == null || !path.getKey().startsWith("/webhook/") || path.getKey().startsWith("/webhook/events")) {
                continue;
            }
            boolean appointment = path.getKey().equals("/webhook/appointment");
            boolean canvas = path.getKey().equals("/webhook/canvas");
            post.setRequestBody(OASFactory.createRequestBody().required(true).content(json(
                    appointment ? appointmentSchema() : OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                            .description(canvas ? "The Canvas appointment-sync plugin's payload, as it sends it"
                                    : "Clockwise.MD's push: the appointment's id (text or integer) and its event name"),
                    appointment ? ApiExamples.APPOINTMENT : canvas ? ApiExamples.CANVAS : ApiExamples.CLOCKWISE)));
            if (post.getResponses() == null) {
                continue;
            }
            for (Map.Entry<String, APIResponse> response : post.getResponses().getAPIResponses().entrySet()) {
                String example = switch (response.getKey()) {
                    case "201" -> ApiExamples.RECEIPT;
                    case "200" -> appointment || canvas ? ApiExamples.REPLAY : ApiExamples.FETCHED;
                    default -> ERRORS.get(response.getKey());
                };
                if (example != null) {
                    response.getValue().setContent(json(null, example));
                }
            }
        }
    }

    private static void operatorApi(String path, PathItem item) {
        if (path.equals("/")) {
            add(item.getGET(), "503", "The database is down", ApiExamples.DATABASE_DOWN);
            return;
        }
        if (!path.startsWith("/admin") && !path.equals("/webhook/events")) {
            return;
        }
        for (Map.Entry<PathItem.HttpMethod, Operation> e : item.getOperations().entrySet()) {
            Operation op = e.getValue();
            add(op, "401", "No admin key, or a wrong one (bridge.admin.api-key)", ApiExamples.ADMIN_UNAUTHORIZED);
            if (e.getKey() != PathItem.HttpMethod.GET) {
                add(op, "403", "The inbound key (this endpoint takes the admin key), or an Origin of another site:"
                        + " admin actions come from this service's own page", ApiExamples.FORBIDDEN_ORIGIN);
            } else {
                add(op, "403", "The inbound key: this endpoint takes the admin key", ApiExamples.FORBIDDEN_KEY);
            }
            if (path.contains("{")) {
                add(op, "404", "No such source, target or delivery", ApiExamples.NOT_FOUND);
            }
            if (op.getParameters() != null && op.getParameters().stream()
                    .anyMatch(p -> p.getIn() == org.eclipse.microprofile.openapi.models.parameters.Parameter.In.QUERY)) {
                add(op, "422", "A query parameter is not valid; the body names it", ApiExamples.BAD_PARAMETER);
            }
            if (path.endsWith("/poll")) {
                add(op, "502", "The source could not be polled; the body says why", ApiExamples.POLL_FAILED);
            }
        }
    }

    /** Adds a status with its example body unless the operation declares it already (then only the example). */
    private static void add(Operation op, String status, String description, String example) {
        if (op == null) {
            return;
        }
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponse existing = op.getResponses().getAPIResponse(status);
        if (existing == null) {
            op.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                    .content(json(null, example)));
        } else if (existing.getContent() == null) {
            existing.setContent(json(null, example));
        }
    }

    /** The receiving contract (docs/security.md, "Receiving endpoint"). */
    private static Schema appointmentSchema() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .required(List.of("event_type", "appointment_id", "patient_id", "timestamp"))
                .addProperty("event_type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .enumeration(List.of("appointment.scheduled", "appointment.cancelled", "appointment.rescheduled",
                                "appointment.completed", "appointment.no_show")))
                .addProperty("appointment_id", text(1, 50, "No control, line-separator or formatting characters"))
                .addProperty("patient_id", text(1, 50, "No control, line-separator or formatting characters"))
                .addProperty("timestamp", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .format("date-time").description("ISO 8601 with a zone (Z or ±hh:mm); offsets up to ±15:59"))
                .addProperty("notes", text(0, 1000, "Optional"));
    }

    private static Schema text(int min, int max, String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).minLength(min).maxLength(max)
                .description(description);
    }

    private static Content json(Schema schema, String example) {
        var media = OASFactory.createMediaType().example(parse(example));
        if (schema != null) {
            media.schema(schema);
        }
        return OASFactory.createContent().addMediaType("application/json", media);
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an OpenAPI example is not JSON", e);
        }
    }
}
