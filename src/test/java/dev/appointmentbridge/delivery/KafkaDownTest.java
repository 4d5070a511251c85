package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.Management;
import dev.appointmentbridge.support.TestReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A Kafka broker that is down, and one whose name does not resolve at start, beside an HTTP target. Before: the name
 * that did not resolve failed the whole start ("No resolvable bootstrap urls"), and every Kafka attempt parked a
 * shared Vert.x worker thread in KafkaProducer.waitOnMetadata until all were taken (readiness 2.5 s, HL7 ACKs 3 s).
 * Now the bridge starts, the HTTP target gets every event, the Kafka targets' deliveries wait pending with the reason,
 * and no shared thread (Vert.x workers, Quarkus executor, event loops) is ever inside the Kafka producer: only each
 * target's own thread.
 */
@QuarkusTest
@TestProfile(KafkaDownTest.Profile.class)
class KafkaDownTest {

    static TestReceiver receiver;

    @Test
    void theBridgeStartsAndServesEverythingElseWhileItsBrokersAreAway() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> sharedThreadsInKafka = new ArrayList<>();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.getAllStackTraces().forEach((thread, stack) -> {
                    boolean inProducer = java.util.Arrays.stream(stack)
                            .anyMatch(f -> f.getClassName().startsWith("org.apache.kafka.clients.producer"));
                    if (inProducer && !thread.getName().startsWith("kafka-")) {
                        sharedThreadsInKafka.add(thread.getName());
                    }
                });
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        try {
            for (int i = 0; i < 200; i++) {
                given().contentType(ContentType.JSON).body("""
                        {"event_type":"appointment.scheduled","appointment_id":"down-%s-%d","patient_id":"pat-1",
                         "timestamp":"2025-01-10T12:30:00Z"}""".formatted(run, i)).post("/webhook/appointment")
                        .then().statusCode(201);
            }
            Awaitility.await("the HTTP target gets all 200").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> receiver.receivedFor("/portal", "down-" + run).size() >= 200);
            Management.given().get("/q/health/ready").then().statusCode(200);
            Management.given().get("/q/health/live").then().statusCode(200);
            for (String target : List.of("closed", "unresolved")) {
                Awaitility.await(target + " attempts failed with a reason").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250)).until(() -> given().queryParam("target", target)
                                .queryParam("status", "pending").queryParam("limit", 500).get("/admin/deliveries").then().extract().jsonPath()
                                .getList("findAll { it.last_error != null && it.last_error.startsWith('kafka') }")
                                .size() > 0);
            }
            assertEquals(0, given().queryParam("target", "closed").queryParam("status", "sent")
                    .get("/admin/deliveries").then().extract().jsonPath().getList("$").size());
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        assertTrue(sharedThreadsInKafka.isEmpty(), "shared threads inside the Kafka producer: "
                + new java.util.TreeSet<>(sharedThreadsInKafka));
    }

    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.delivery.retry-schedule", "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
                    "bridge.delivery.backstop-poll", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Targets.class));
        }
    }

    public static class Targets implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort(); // closed again: nothing listens there
                receiver = new TestReceiver();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("bridge.targets.portal.url", receiver.url("/portal"),
                    "bridge.targets.closed.kafka.bootstrap-servers", "127.0.0.1:" + closedPort,
                    "bridge.targets.closed.kafka.topic", "appointments", "bridge.targets.closed.timeout", "2s",
                    "bridge.targets.unresolved.kafka.bootstrap-servers", "broker-0.does-not-resolve.invalid:9092",
                    "bridge.targets.unresolved.kafka.topic", "appointments");
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }
}
