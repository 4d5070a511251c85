package dev.appointmentbridge.inbound;

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
 * Gives the OpenAPI document of the receiving endpoints ({@code POST /webhook/...}) what the byte[] parameters
 * hide (issue 15): the request's schema with an example, and for every status the endpoint declares, the body
 * it answers with, as an example. Registered as {@code mp.openapi.filter}; runs when the document is built.
 */
public class PushOpenApiFilter implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Example answer bodies by status; 201/200 depend on the endpoint. */
    private static final Map<String, String> ERRORS = Map.of("400", PushDocs.INVALID.replace("Invalid payload structure",
            "Body does not decode as its Content-Encoding says"), "401", PushDocs.UNAUTHORIZED, "409",
            PushDocs.CONFLICT, "413", PushDocs.TOO_LARGE, "415", PushDocs.UNSUPPORTED, "422", PushDocs.INVALID, "503",
            PushDocs.UNAVAILABLE);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            Operation post = path.getValue().getPOST();
            if (post == null || !path.getKey().startsWith("/webhook/")) {
                continue;
            }
            boolean appointment = path.getKey().equals("/webhook/appointment");
            boolean canvas = path.getKey().equals("/webhook/canvas");
            post.setRequestBody(OASFactory.createRequestBody().required(true).content(json(
                    appointment ? appointmentSchema() : OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                            .description(canvas ? "The Canvas appointment-sync plugin's payload, as it sends it"
                                    : "Clockwise.MD's push: the appointment's id (text or integer) and its event name"),
                    appointment ? PushDocs.APPOINTMENT : canvas ? PushDocs.CANVAS : PushDocs.CLOCKWISE)));
            if (post.getResponses() == null) {
                continue;
            }
            for (Map.Entry<String, APIResponse> response : post.getResponses().getAPIResponses().entrySet()) {
                String example = switch (response.getKey()) {
                    case "201" -> PushDocs.RECEIPT;
                    case "200" -> appointment || canvas ? PushDocs.REPLAY : PushDocs.FETCHED;
                    default -> ERRORS.get(response.getKey());
                };
                if (example != null) {
                    response.getValue().setContent(json(null, example));
                }
            }
        }
    }

    /** The receiving contract (README, "POST /webhook/appointment"). */
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
