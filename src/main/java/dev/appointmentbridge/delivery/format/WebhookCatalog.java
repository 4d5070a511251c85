package dev.appointmentbridge.delivery.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The event catalog: an OpenAPI 3.1 {@code webhooks} entry per event type (and the heartbeat), with each target
 * format's body schema, an example per format and the headers every delivery carries. The examples are real
 * deliveries, taken by WebhookCatalogTest ({@code openapi/webhook-examples.json}), which fails when a format changes
 * and the examples were not taken again. Runs when the document is built.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class WebhookCatalog implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SCHEMAS = Map.of("standard", "StandardEvent", "flat", "FlatEvent",
            "canvas", "CanvasEvent", "slack", "SlackMessage", "clockwise", "ClockwiseEvent");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        schemas().forEach(openAPI.getComponents()::addSchema);
        JsonNode examples = examples();
        for (Iterator<Map.Entry<String, JsonNode>> it = examples.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> type = it.next();
            MediaType media = OASFactory.createMediaType();
            Schema oneOf = OASFactory.createSchema();
            type.getValue().fields().forEachRemaining(format -> {
                oneOf.addOneOf(OASFactory.createSchema().ref(SCHEMAS.get(format.getKey())));
                media.addExample(format.getKey(), OASFactory.createExample().summary("format=" + format.getKey())
                        .value(JSON.convertValue(format.getValue(), Object.class)));
            });
            openAPI.addWebhook(type.getKey(), webhook(type.getKey(), "Sent to every target whose events include "
                    + type.getKey() + ", in the target's format (a format that cannot express it skips it).",
                    media.schema(oneOf)));
        }
        MediaType heartbeat = OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Heartbeat"))
                .addExample("heartbeat", OASFactory.createExample().value(Map.of("type", "bridge.heartbeat",
                        "timestamp", "2026-12-04T10:00:00Z", "sequence", 41)));
        openAPI.addWebhook("bridge.heartbeat", webhook("bridge.heartbeat", "With bridge.targets.<name>.heartbeat"
                + " (standard and flat targets): sent when nothing was delivered for that long; sequence and"
                + " bridge-sequence are the last number assigned. Takes no number, not retried.", heartbeat));
    }

    private static org.eclipse.microprofile.openapi.models.PathItem webhook(String name, String description,
            MediaType media) {
        Content content = OASFactory.createContent().addMediaType("application/json", media);
        org.eclipse.microprofile.openapi.models.Operation post = OASFactory.createOperation().operationId(name)
                .summary(name).description(description)
                .requestBody(OASFactory.createRequestBody().required(true).content(content))
                .responses(OASFactory.createAPIResponses().addAPIResponse("2XX", OASFactory.createAPIResponse()
                        .description("Taken: the delivery is sent. Anything else, or no answer within the target's"
                                + " timeout, is retried; 410 disables the target.")));
        header(post, "webhook-id", "The event's id; the same on every retry, replay and redelivery", true);
        header(post, "webhook-timestamp", "Unix seconds of this attempt", true);
        header(post, "webhook-signature", "Space-separated: v1,<base64 HMAC-SHA256> per whsec_ secret (current and"
                + " previous), v1a,<base64 Ed25519> with a signing-key; over webhook-id.webhook-timestamp.body", false);
        post.addParameter(OASFactory.createParameter().name("bridge-sequence").in(Parameter.In.HEADER).required(true)
                .description("This delivery's number in the target's sequence, gapless from 1 (a heartbeat: the last"
                        + " number assigned, 0 before the first)").schema(OASFactory.createSchema()
                                .addType(SchemaType.INTEGER).minimum(java.math.BigDecimal.ZERO)));
        return OASFactory.createPathItem().POST(post);
    }

    private static void header(org.eclipse.microprofile.openapi.models.Operation post, String name,
            String description, boolean required) {
        post.addParameter(OASFactory.createParameter().name(name).in(Parameter.In.HEADER).required(required)
                .description(description).schema(OASFactory.createSchema().addType(SchemaType.STRING)));
    }

    private static JsonNode examples() {
        try (InputStream in = WebhookCatalog.class.getClassLoader()
                .getResourceAsStream("openapi/webhook-examples.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi/webhook-examples.json is missing");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Schema> schemas() {
        Schema types = string("The event type").enumeration(List.of("appointment.scheduled",
                "appointment.rescheduled", "appointment.cancelled", "appointment.no_show", "appointment.completed"));
        return Map.of(
                "StandardEvent", object("format=standard: the bridge's own envelope around the stored event",
                        Map.of("type", types, "timestamp", string("When the change happened (RFC 3339)"),
                                "data", object("The stored event: id, type, source, occurred_at, appointment (id,"
                                        + " patient_id, start, end, provider, location, status where known), patient,"
                                        + " notes, and previous values on a reschedule", Map.of())),
                        List.of("type", "timestamp", "data")),
                "FlatEvent", object("format=flat: the receiving contract's own shape", Map.of("event_type", types,
                        "appointment_id", string("The appointment's id"), "patient_id", string("The patient's id"),
                        "timestamp", string("When the change happened (RFC 3339)"), "notes", string("Free text")),
                        List.of("event_type", "appointment_id", "timestamp")),
                "CanvasEvent", object("format=canvas: the Canvas appointment-sync shape (no completed events)",
                        Map.of("event_type", string("appointment_created, appointment_rescheduled,"
                                + " appointment_canceled or appointment_no_showed"), "appointment", object(
                                        "id, provider_id, start_time, duration_minutes, end_time", Map.of()),
                                "timestamp", string("RFC 3339 with offset"), "patient", object("id, first_name,"
                                        + " last_name", Map.of())), List.of("event_type", "appointment")),
                "SlackMessage", object("format=slack: a Slack incoming-webhook message, no patient name unless"
                        + " include-patient-name", Map.of("text", string("The message")), List.of("text")),
                "ClockwiseEvent", object("format=clockwise: Clockwise.MD's push shape (no no-show events)",
                        Map.of("appointment_id", string("The appointment's id"), "event_type", string(
                                "create, reschedule, remove or discharge")), List.of("appointment_id", "event_type")),
                "Heartbeat", object("A heartbeat", Map.of("type", string("bridge.heartbeat").enumeration(List.of(
                        "bridge.heartbeat")), "timestamp",
                        string("When it was sent (RFC 3339)"), "sequence", OASFactory.createSchema()
                                .addType(SchemaType.INTEGER).description("The last number assigned")),
                        List.of("type", "timestamp", "sequence")));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
    }

    private static Schema object(String description, Map<String, Schema> properties, List<String> required) {
        Schema schema = OASFactory.createSchema().addType(SchemaType.OBJECT).description(description);
        properties.forEach(schema::addProperty);
        return required.isEmpty() ? schema : schema.required(required);
    }

    private static Schema object(String description, Map<String, Schema> properties) {
        return object(description, properties, List.of());
    }
}
