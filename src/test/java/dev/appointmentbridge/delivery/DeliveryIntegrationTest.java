package dev.appointmentbridge.delivery;

import dev.appointmentbridge.support.Management;
import static dev.appointmentbridge.support.TestReceiver.seconds;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import dev.appointmentbridge.support.TestReceiver;
import dev.appointmentbridge.support.TestReceiver.Answer;
import dev.appointmentbridge.support.TestReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Events received over HTTP are delivered to a local receiver in each target's format. */
@QuarkusTest
@TestProfile(DeliveryTestProfile.class)
class DeliveryIntegrationTest {

    private static TestReceiver receiver() {
        return DeliveryTestProfile.receiver;
    }

    private static String post(String type, String appointmentId, String patientId) {
        String id = "evt-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).header("webhook-id", id).body("""
                {"event_type":"%s","appointment_id":"%s","patient_id":"%s","timestamp":"2025-01-10T12:30:00Z","notes":"n"}
                """.formatted(type, appointmentId, patientId)).post("/webhook/appointment").then().statusCode(201);
        return id;
    }

    private static JsonPath storedEvent(String appointmentId) {
        return given().queryParam("appointment_id", appointmentId).get("/webhook/events").then().extract().jsonPath();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void standardFormatIsSignedAndVerifiesWithTheReferenceLibrary() throws Exception {
        String apt = unique("apt-std");
        post("appointment.scheduled", apt, "pat-1");
        Received r = receiver().await("/std", apt, 1, seconds(10)).get(0);
        JsonPath stored = storedEvent(apt);
        String payload = given().queryParam("appointment_id", apt).get("/webhook/events").then().extract().asString();
        // the stored payload as the API prints it (its fields in their stored order), wherever the field stands
        String data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).path("events").get(0)
                .path("payload").toString();
        assertEquals("{\"type\":\"appointment.scheduled\",\"timestamp\":\"2025-01-10T12:30:00Z\",\"data\":" + data + "}",
                r.body());
        assertEquals(stored.getString("events[0].event_uuid"), r.header("webhook-id"));
        new Webhook(DeliveryTestProfile.SECRET).verify(r.body(), r.headers().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue)));
        assertEquals("Bearer target-token", r.header("Authorization"));
        assertEquals("abc123", r.header("Authtoken"));
        assertEquals("application/json", r.header("Content-Type"));
    }

    @Test
    void everyFormatReceivesItsShape() throws Exception {
        String apt = unique("apt-fmt");
        post("appointment.cancelled", apt, "pat-9");
        assertEquals("{\"event_type\":\"appointment_canceled\",\"appointment\":{\"id\":\"" + apt
                + "\",\"provider_id\":null,\"start_time\":null,\"duration_minutes\":null,\"end_time\":null},"
                + "\"timestamp\":\"2025-01-10T12:30:00+00:00\",\"patient\":{\"id\":\"pat-9\",\"first_name\":null,"
                + "\"last_name\":null}}", receiver().await("/canvas", apt, 1, seconds(10)).get(0).body());
        assertEquals("{\"event_type\":\"appointment.cancelled\",\"appointment_id\":\"" + apt
                + "\",\"patient_id\":\"pat-9\",\"timestamp\":\"2025-01-10T12:30:00Z\",\"notes\":\"n\"}",
                receiver().await("/flat", apt, 1, seconds(10)).get(0).body());
        assertEquals("{\"text\":\"Appointment " + apt + " cancelled: unknown time\"}",
                receiver().await(DeliveryTestProfile.SLACK_PATH, apt, 1, seconds(10)).get(0).body());
        assertEquals("{\"appointment_id\":\"" + apt + "\",\"event_type\":\"remove\"}",
                receiver().await("/clock", apt, 1, seconds(10)).get(0).body());
    }

    @Test
    void aFormatThatCannotExpressAnEventSkipsItWithoutFailing() throws Exception {
        String apt = unique("apt-skip");
        post("appointment.completed", apt, "pat-1");
        receiver().await("/std", apt, 1, seconds(10));
        long eventId = storedEvent(apt).getLong("events[0].event_id");
        given().queryParam("event", eventId).queryParam("target", "canvas").get("/admin/deliveries").then()
                .body("[0].status", equalTo("skipped"));
        assertTrue(receiver().receivedFor("/canvas", apt).isEmpty());
    }

    @Test
    void a500IsRetriedWithTheSameWebhookIdAndAFreshTimestampHonouringRetryAfter() throws Exception {
        String apt = unique("apt-retry");
        receiver().script("/std", apt, new Answer(500, 0, "2"));
        post("appointment.scheduled", apt, "pat-1");
        List<Received> got = receiver().await("/std", apt, 2, seconds(15));
        assertEquals(2, got.size());
        assertEquals(got.get(0).header("webhook-id"), got.get(1).header("webhook-id"));
        assertEquals(got.get(0).body(), got.get(1).body());
        long t1 = Long.parseLong(got.get(0).header("webhook-timestamp"));
        long t2 = Long.parseLong(got.get(1).header("webhook-timestamp"));
        assertTrue(t2 >= t1 + 1, "re-signed with a fresh timestamp");
        assertTrue(got.get(1).at().isAfter(got.get(0).at().plusMillis(1800)), "Retry-After: 2 honoured");
        Map<String, List<String>> headers = got.get(1).headers();
        new Webhook(DeliveryTestProfile.SECRET).verify(got.get(1).body(), headers.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue)));
        long eventId = storedEvent(apt).getLong("events[0].event_id");
        JsonPath delivery = given().queryParam("event", eventId).queryParam("target", "std").get("/admin/deliveries")
                .then().extract().jsonPath();
        awaitStatus(delivery.getLong("[0].id"), "sent");
        given().get("/admin/deliveries/" + delivery.getLong("[0].id")).then()
                .body("attempt_log.size()", equalTo(2))
                .body("attempt_log[0].status_code", equalTo(500))
                .body("attempt_log[0].response_body", equalTo("{\"status\":500}"))
                .body("attempt_log[1].status_code", equalTo(200))
                .body("attempt_log[0].instance", org.hamcrest.Matchers.endsWith(":" + ProcessHandle.current().pid()));
    }

    @Test
    void oneAppointmentsEventsArriveInOrderOfCreationAcrossRetries() throws Exception {
        String apt = unique("apt-order");
        receiver().script("/std", apt, Answer.status(500), Answer.status(500));
        String[] types = { "appointment.scheduled", "appointment.rescheduled", "appointment.cancelled",
                "appointment.scheduled" };
        for (String type : types) {
            post(type, apt, "pat-1");
        }
        List<String> created = new java.util.ArrayList<>(storedEvent(apt).getList("events.event_uuid", String.class));
        java.util.Collections.reverse(created); // the list is newest first
        List<Received> got = receiver().await("/std", apt, types.length + 2, seconds(20));
        List<String> arrivalOrder = new java.util.ArrayList<>();
        for (Received r : got) {
            String id = r.header("webhook-id");
            if (arrivalOrder.isEmpty() || !arrivalOrder.get(arrivalOrder.size() - 1).equals(id)) {
                arrivalOrder.add(id);
            }
        }
        // the first event's two failures hold the later ones back instead of letting them overtake it
        assertEquals(created, arrivalOrder);
        assertEquals(types.length + 2, got.size());
    }

    /**
     * Issue 25: a 429 asks the sender to slow down, not to give up. Five of them with {@code Retry-After: 1} are more
     * than this profile's four attempts (300ms x 3): each waits as asked, none uses up an attempt, the sixth is sent.
     */
    @Test
    void a429WaitsAsAskedWithoutUsingUpTheSchedule() throws Exception {
        String apt = unique("apt-429");
        Answer limited = new Answer(429, 0, "1");
        receiver().script("/flat", apt, limited, limited, limited, limited, limited);
        post("appointment.scheduled", apt, "pat-1");
        long id = deliveryOf(apt, "flat");
        awaitStatus(id, "sent");
        List<Received> got = receiver().receivedFor("/flat", apt);
        assertEquals(6, got.size(), "five 429s, then the 200");
        assertWaited(got, 900);
        given().get("/admin/deliveries/" + id).then().body("attempt_log.size()", equalTo(6))
                .body("attempt_log[0].status_code", equalTo(429)).body("attempts", equalTo(1));
    }

    /**
     * Issue 25: {@code Retry-After: 0}, or an HTTP date already past (a receiver whose clock is behind), during an
     * outage: each retry waits a second, and none uses up an attempt (before, they went out back to back and the
     * delivery was dead before the outage ended).
     */
    @Test
    void aRetryAfterOfZeroOrInThePastIsNoBurst() throws Exception {
        String apt = unique("apt-ra0");
        Answer now = new Answer(503, 0, "0");
        Answer past = new Answer(503, 0, "Thu, 01 Jan 2015 00:00:00 GMT");
        receiver().script("/flat", apt, now, past, now, past, now);
        post("appointment.scheduled", apt, "pat-1");
        awaitStatus(deliveryOf(apt, "flat"), "sent");
        List<Received> got = receiver().receivedFor("/flat", apt);
        assertEquals(6, got.size(), "five 503s, then the 200");
        assertWaited(got, 900);
    }

    /**
     * A receiver that asks for an hour's pause pauses the target; an operator's retry means now (before, the retry
     * was queued and nothing was sent until the pause ended).
     */
    @Test
    void anOperatorsRetryEndsAPauseTheReceiverAskedFor() throws Exception {
        String apt = unique("apt-pause");
        receiver().script("/flat", apt, new Answer(429, 0, "3600"));
        post("appointment.scheduled", apt, "pat-1");
        long id = deliveryOf(apt, "flat");
        org.awaitility.Awaitility.await("the 429").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> receiver().receivedFor("/flat", apt).size() == 1);
        given().post("/admin/deliveries/" + id + "/retry").then().statusCode(200);
        awaitStatus(id, "sent");
    }

    private static long deliveryOf(String appointmentId, String target) {
        long eventId = storedEvent(appointmentId).getLong("events[0].event_id");
        return given().queryParam("event", eventId).queryParam("target", target).get("/admin/deliveries").then()
                .extract().jsonPath().getLong("[0].id");
    }

    /** Each request came at least {@code millis} after the one before (a lower bound: load only lengthens it). */
    private static void assertWaited(List<Received> got, long millis) {
        for (int i = 1; i < got.size(); i++) {
            long gap = java.time.Duration.between(got.get(i - 1).at(), got.get(i).at()).toMillis();
            assertTrue(gap >= millis, "request " + (i + 1) + " came " + gap + " ms after the one before");
        }
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        String apt = unique("apt-slow");
        receiver().script("/slow", apt, new Answer(200, 1500, null));
        post("appointment.scheduled", apt, "pat-1");
        long eventId = storedEvent(apt).getLong("events[0].event_id");
        long id = given().queryParam("event", eventId).queryParam("target", "slow").get("/admin/deliveries").then()
                .extract().jsonPath().getLong("[0].id");
        awaitStatus(id, "sent");
        given().get("/admin/deliveries/" + id).then().body("attempt_log[0].error", equalTo("timeout: no complete answer within 700 ms"))
                .body("attempt_log[1].status_code", equalTo(200));
    }

    @Test
    void deadAfterTheScheduleThenReplayed() throws Exception {
        String apt = unique("apt-dead");
        receiver().script("/clock", apt, Answer.status(503), Answer.status(503), Answer.status(503),
                Answer.status(503));
        Instant before = Instant.now().minusSeconds(1);
        post("appointment.scheduled", apt, "pat-1");
        long eventId = storedEvent(apt).getLong("events[0].event_id");
        long id = given().queryParam("event", eventId).queryParam("target", "clock").get("/admin/deliveries").then()
                .extract().jsonPath().getLong("[0].id");
        awaitStatus(id, "dead");
        assertEquals(4, receiver().receivedFor("/clock", apt).size(), "1 attempt + 3 retries");
        given().post("/admin/targets/clock/replay?since=" + before).then().statusCode(200)
                .body("requeued", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        awaitStatus(id, "sent");
        assertEquals(5, receiver().receivedFor("/clock", apt).size());
    }

    @Test
    void a410DisablesTheTargetUntilEnabled() throws Exception {
        String first = unique("apt-gone");
        receiver().script("/gone", first, Answer.status(410));
        post("appointment.scheduled", first, "pat-1");
        long id = deliveryId(first, "gone");
        awaitStatus(id, "dead");
        given().get("/admin/targets").then().body("find { it.name == 'gone' }.enabled", equalTo(false))
                .body("find { it.name == 'gone' }.health", equalTo("disabled"));
        Management.given().get("/q/health/group/targets").then().statusCode(503)
                .body("checks[0].data.gone", org.hamcrest.Matchers.startsWith("disabled"));
        Management.given().get("/q/health/ready").then().statusCode(200); // a dead target is no reason to unroute the bridge
        String second = unique("apt-gone2");
        post("appointment.scheduled", second, "pat-1");
        receiver().await("/std", second, 1, seconds(10));
        org.awaitility.Awaitility.await("nothing sent to a disabled target").during(java.time.Duration.ofMillis(500))
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> receiver().receivedFor("/gone", second).isEmpty());
        given().post("/admin/targets/gone/enable").then().statusCode(200);
        assertEquals(1, receiver().await("/gone", second, 1, seconds(10)).size());
        Management.given().get("/q/health/group/targets").then()
                .body("checks[0].data.gone", org.hamcrest.Matchers.not(org.hamcrest.Matchers.startsWith("disabled")));
        given().post("/admin/deliveries/" + id + "/retry").then().statusCode(200);
        assertEquals(2, receiver().await("/gone", first, 2, seconds(10)).size());
    }

    /**
     * Issue 24: deliveries were ordered per (target, appointment id), so one system's appointment 1042 waiting on a
     * retry (up to a day) held back another system's unrelated 1042. Here Canvas's 1042 is refused with a
     * Retry-After of an hour, and the 1042 pushed to /webhook/appointment (source inbound) still goes out at once.
     */
    @Test
    void aRetryingDeliveryOfOneSourcesAppointmentDoesNotHoldBackAnothersWithTheSameId() throws Exception {
        String apt = unique("1042");
        String canvasPatient = unique("pat-canvas");
        receiver().script("/std", canvasPatient, new TestReceiver.Answer(500, 0, "3600"));
        given().contentType(ContentType.JSON).body("""
                {"event_type": "appointment_created", "appointment": {"id": "%s", "start_time": "2025-02-01T10:00:00Z",
                 "duration_minutes": 30}, "patient": {"id": "%s"}, "timestamp": "2025-01-10T09:00:00Z"}"""
                .formatted(apt, canvasPatient)).post("/webhook/canvas").then().statusCode(201);
        assertEquals(1, receiver().await("/std", canvasPatient, 1, seconds(15)).size(), "refused once, backing off");
        post("appointment.scheduled", apt, "pat-inbound");
        assertEquals(1, receiver().await("/std", "pat-inbound", 1, seconds(15)).stream()
                .filter(r -> r.body().contains(apt)).count(), "another source's " + apt + " is not held back");
        assertEquals(1, receiver().receivedFor("/std", canvasPatient).size(), "the refused one waits its hour");
    }

    @Test
    void aTargetReceivesOnlyTheEventTypesItAskedFor() throws Exception {
        String apt = unique("apt-filter");
        post("appointment.scheduled", apt, "pat-1");
        post("appointment.cancelled", apt, "pat-1");
        receiver().await("/std", apt, 2, seconds(10));
        List<Received> got = receiver().await("/filtered", apt, 1, seconds(10));
        // The scheduled event went to /std before the cancellation (order per appointment), so it is not in flight.
        assertEquals(1, receiver().receivedFor("/filtered", apt).size());
        assertTrue(got.get(0).body().contains("\"type\":\"appointment.cancelled\""));
    }

    /**
     * A flat target cannot carry an event without a patient id (the receiving contract needs one): its row is
     * 'skipped' from the start and takes no number, so the target's sequence has no gap where it was skipped.
     */
    @Test
    void aFlatTargetSkipsAnEventWithoutAPatientBeforeNumberingIt() throws Exception {
        String apt = unique("apt-nopat");
        given().contentType(ContentType.JSON).body("""
                {"event_type": "appointment_created",
                 "appointment": {"id": "%s", "provider_id": "dr-jones", "start_time": "2024-01-15T10:00:00Z",
                                 "duration_minutes": 30},
                 "timestamp": "2024-01-10T09:00:00Z"}""".formatted(apt)).post("/webhook/canvas").then().statusCode(201);
        receiver().await("/std", apt, 1, seconds(10));
        long id = deliveryOf(apt, "flat");
        given().get("/admin/deliveries/" + id).then().statusCode(200)
                .body("status", equalTo("skipped")).body("sequence", org.hamcrest.Matchers.nullValue());
        String next = unique("apt-pat");
        post("appointment.scheduled", next, "pat-1");
        receiver().await("/flat", next, 1, seconds(10));
        List<Long> numbers = given().queryParam("target", "flat").queryParam("limit", 500).get("/admin/deliveries")
                .then().extract().jsonPath().getList("findAll { it.sequence != null }.sequence", Long.class);
        assertEquals(numbers.size(), new java.util.HashSet<>(numbers).size());
        assertEquals(numbers.size(), numbers.stream().mapToLong(Long::longValue).max().orElse(0),
                "numbers 1..n with no gap: " + numbers);
    }

    @Test
    void adminTargetsMaskSecretsAndShowQueueState() {
        String body = given().get("/admin/targets").then().statusCode(200)
                .body("find { it.name == 'std' }.secret", equalTo("configured"))
                .body("find { it.name == 'std' }.bearer_token", equalTo("configured"))
                .extract().asString();
        assertTrue(!body.contains(DeliveryTestProfile.SECRET) && !body.contains("target-token")
                && !body.contains("abc123"));
        assertTrue(!body.contains("slackCapabilityToken42") && !body.contains("T0CAPAB1"),
                "a capability URL's path is not shown: " + body);
        given().get("/admin/targets").then().body("find { it.name == 'slack' }.url",
                equalTo(DeliveryTestProfile.receiver.url("/services/…")));
        Management.given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("bridge_delivery_queue_depth"));
    }

    @Test
    void livenessIncludesTheDeliveryWorker() {
        Management.given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'Delivery worker' }.status", equalTo("UP"));
    }

    @Test
    void targetSecretsNeverReachTheLog() throws Exception {
        String apt = unique("apt-log");
        post("appointment.scheduled", apt, "pat-1");
        receiver().await("/std", apt, 1, seconds(10));
        receiver().await(DeliveryTestProfile.SLACK_PATH, apt, 1, seconds(10));
        dev.appointmentbridge.support.LogScan.assertNeverLogged(DeliveryTestProfile.SECRET,
                DeliveryTestProfile.SECRET.substring(6), "target-token", "abc123", "slackCapabilityToken42",
                "T0CAPAB1/B0CAPAB2");
    }

    private static long deliveryId(String apt, String target) {
        long eventId = storedEvent(apt).getLong("events[0].event_id");
        return given().queryParam("event", eventId).queryParam("target", target).get("/admin/deliveries").then()
                .extract().jsonPath().getLong("[0].id");
    }

    private static void awaitStatus(long id, String status) {
        org.awaitility.Awaitility.await("delivery " + id + " " + status).atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> given().get("/admin/deliveries/" + id).then().extract().jsonPath().getString("status"),
                        org.hamcrest.Matchers.equalTo(status));
    }
}
