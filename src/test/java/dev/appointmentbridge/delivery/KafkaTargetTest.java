package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import dev.appointmentbridge.support.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A Kafka target against a real broker: every event in the topic, keyed by source and appointment, in order per key,
 * signed and numbered; the broker killed mid-stream and started again: nothing lost, order per key kept.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTargetTest.Broker.class, restrictToAnnotatedClass = true)
class KafkaTargetTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static KafkaBroker broker;

    public static class Broker implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                broker = new KafkaBroker();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("bridge.targets.log.kafka.bootstrap-servers", broker.bootstrapServers(),
                    "bridge.targets.log.kafka.topic", "appointments", "bridge.targets.log.secret", SECRET,
                    "bridge.targets.log.timeout", "4s", "bridge.delivery.lease", "20s",
                    "bridge.delivery.retry-schedule", "500ms,1s,1s,2s,2s,3s,3s,5s,5s,5s,5s,5s,5s,5s,5s,5s",
                    "bridge.delivery.backstop-poll", "1s");
        }

        @Override
        public void stop() {
            broker.close();
        }
    }

    private static void post(String type, String appointmentId, int n) {
        given().contentType(ContentType.JSON).header("webhook-id", "evt-" + UUID.randomUUID()).body("""
                {"event_type":"%s","appointment_id":"%s","patient_id":"p","timestamp":"2026-12-04T09:30:%02dZ",\
                "notes":"n%d"}""".formatted(type, appointmentId, n % 60, n)).post("/webhook/appointment").then()
                .statusCode(201);
    }

    /** Every record of the topic so far, by key, in partition order. */
    private static Map<String, List<ConsumerRecord<String, byte[]>>> topic(int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("appointments"));
            java.util.Set<String> ids = new java.util.HashSet<>();
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
                    ids.add(header(r, "webhook-id"));
                }
                return ids.size() >= expected; // distinct events: a retry after a lost ack may publish one twice
            });
        }
        return byKey;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * The events of one key in partition order, each once. A record published twice (a retry after a lost ack) may
     * only repeat the record right before it: an earlier event after a later one is an order violation.
     */
    private static List<String> notes(List<ConsumerRecord<String, byte[]>> records) {
        List<String> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            String id = header(r, "webhook-id");
            if (seen.contains(id)) {
                assertEquals(seen.get(seen.size() - 1), id, "a repeated record came after a later one");
                continue;
            }
            seen.add(id);
            out.add(JsonPath.from(new String(r.value(), StandardCharsets.UTF_8)).getString("data.notes"));
        }
        return out;
    }

    @Test
    void everyEventInOrderPerKeyThroughABrokerRestart() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> appointments = List.of("k1-" + run, "k2-" + run, "k3-" + run, "k4-" + run);
        Map<String, List<String>> sent = new HashMap<>();
        int n = 0;
        for (int round = 0; round < 5; round++) {
            for (String apt : appointments) {
                post(round == 0 ? "appointment.scheduled" : "appointment.rescheduled", apt, n);
                sent.computeIfAbsent("inbound/" + apt, k -> new ArrayList<>()).add("n" + n);
                n++;
            }
        }
        Map<String, List<ConsumerRecord<String, byte[]>>> first = topic(20);
        for (String apt : appointments) {
            assertEquals(sent.get("inbound/" + apt), notes(first.get("inbound/" + apt)), "order of " + apt);
        }
        ConsumerRecord<String, byte[]> one = first.get("inbound/" + appointments.get(0)).get(0);
        Map<String, List<String>> headers = new HashMap<>();
        for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(h, List.of(header(one, h)));
        }
        new Webhook(SECRET).verify(new String(one.value(), StandardCharsets.UTF_8), headers);
        assertNotNull(header(one, "bridge-sequence"));

        // the broker dies mid-stream: events keep arriving, deliveries fail and wait; it comes back, all go out
        broker.kill();
        for (int round = 5; round < 10; round++) {
            for (String apt : appointments) {
                post("appointment.rescheduled", apt, n);
                sent.computeIfAbsent("inbound/" + apt, k -> new ArrayList<>()).add("n" + n);
                n++;
            }
        }
        // attempts really failed while it was away (not merely waiting their first turn)
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given().queryParam("target", "log")
                .queryParam("status", "pending").get("/admin/deliveries").then().extract().jsonPath()
                .getList("findAll { it.last_error != null && it.last_error.startsWith('kafka') || "
                        + "it.last_error != null && it.last_error.startsWith('timeout') }").size() > 0);
        broker.start();
        Map<String, List<ConsumerRecord<String, byte[]>>> all = topic(40);
        for (String apt : appointments) {
            assertEquals(sent.get("inbound/" + apt), notes(all.get("inbound/" + apt)), "order of " + apt
                    + " across the restart, nothing lost");
        }
        List<Long> numbers = all.values().stream().flatMap(List::stream).map(r -> Long.parseLong(header(r,
                "bridge-sequence"))).distinct().sorted().toList();
        assertEquals(40, numbers.size(), "40 deliveries, each its own number");
        assertTrue(given().get("/admin/targets").then().extract().jsonPath()
                .getString("find { it.name == 'log' }.url").startsWith("kafka:appointments"));
    }
}
