package dev.appointmentbridge.delivery;

import static dev.appointmentbridge.support.TestReceiver.seconds;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.appointmentbridge.support.TestReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The event catalog (OpenAPI 3.1 {@code webhooks} in /q/openapi) shows what targets really receive: each example is a
 * real delivery of this test (ids that differ per run aside), and every header a delivery carries is listed. A
 * change to a format fails here until the catalog's examples are taken again (the test leaves the real bodies in
 * target/webhook-examples.json).
 */
@QuarkusTest
@TestProfile(DeliveryTestProfile.class)
class WebhookCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PATHS = Map.of("standard", "/std", "flat", "/flat", "canvas", "/canvas",
            "slack", DeliveryTestProfile.SLACK_PATH, "clockwise", "/clock");

    @Test
    void everyExampleIsARealDeliveryAndEveryHeaderIsListed() throws Exception {
        ObjectNode real = JSON.createObjectNode();
        for (String type : List.of("scheduled", "rescheduled", "cancelled", "no_show", "completed")) {
            String apt = "apt-catalog-" + type.replace('_', '-');
            given().contentType(ContentType.JSON).header("webhook-id", "evt-catalog-" + type).body("""
                    {"event_type":"appointment.%s","appointment_id":"%s","patient_id":"pat-7",\
                    "timestamp":"2026-12-04T09:30:00Z","notes":"Bring the referral letter"}""".formatted(type, apt))
                    .post("/webhook/appointment").then().statusCode(org.hamcrest.Matchers.anyOf(
                            org.hamcrest.Matchers.is(201), org.hamcrest.Matchers.is(200)));
            DeliveryTestProfile.receiver.await("/std", apt, 1, seconds(15));
            ObjectNode byFormat = real.putObject("appointment." + type);
            for (Map.Entry<String, String> format : PATHS.entrySet()) {
                List<Received> got = format.getKey().equals("standard") ? DeliveryTestProfile.receiver
                        .receivedFor("/std", apt) : DeliveryTestProfile.receiver.await(format.getValue(), apt, 1,
                                seconds(5));
                if (!got.isEmpty()) {
                    byFormat.set(format.getKey(), JSON.readTree(got.get(0).body()));
                    for (String header : List.of("webhook-id", "webhook-timestamp", "bridge-sequence")) {
                        assertNotNull(got.get(0).header(header), header + " on " + format.getKey());
                    }
                }
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/webhook-examples.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(real));
        JsonNode document = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        assertTrue(document.path("openapi").asText().startsWith("3.1"), document.path("openapi").asText());
        JsonNode webhooks = document.path("webhooks");
        for (Iterator<Map.Entry<String, JsonNode>> it = real.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> type = it.next();
            JsonNode post = webhooks.path(type.getKey()).path("post");
            assertTrue(post.isObject(), "webhooks." + type.getKey() + " is in the catalog");
            List<String> headers = post.path("parameters").findValuesAsText("name");
            assertTrue(headers.containsAll(List.of("webhook-id", "webhook-timestamp", "webhook-signature",
                    "bridge-sequence")), headers.toString());
            JsonNode examples = post.path("requestBody").path("content").path("application/json").path("examples");
            List<String> formats = new java.util.ArrayList<>();
            type.getValue().fieldNames().forEachRemaining(formats::add);
            List<String> listed = new java.util.ArrayList<>();
            examples.fieldNames().forEachRemaining(listed::add);
            assertEquals(new java.util.TreeSet<>(formats), new java.util.TreeSet<>(listed),
                    "one example per format that delivers " + type.getKey());
            for (String format : formats) {
                assertEquals(stable(type.getValue().path(format)), stable(examples.path(format).path("value")),
                        type.getKey() + " in " + format + ": the catalog's example is not what was delivered");
            }
        }
        assertTrue(webhooks.path("bridge.heartbeat").path("post").isObject(), "the heartbeat is in the catalog");
    }

    /** The delivery with the one value that differs per run (the standard format's event id) set aside. */
    private static JsonNode stable(JsonNode node) {
        JsonNode copy = node.deepCopy();
        if (copy.path("data") instanceof ObjectNode data && data.has("id")) {
            data.put("id", "…");
        }
        return copy;
    }
}
