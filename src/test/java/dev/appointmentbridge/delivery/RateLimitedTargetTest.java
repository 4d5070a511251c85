package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.TestReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Issue 25: a receiver that takes about one request a second and answers every other one {@code 429} with
 * {@code Retry-After: 1} (Slack's incoming webhooks). Twenty events pushed at once, with a retry schedule of four
 * attempts in a second: before pacing, most were dead within seconds, each having spent its attempts on 429s.
 */
@QuarkusTest
@TestProfile(RateLimitedTargetTest.Profile.class)
class RateLimitedTargetTest {

    static TestReceiver receiver;

    @Test
    void twentyEventsToAOnePerSecondReceiverAreAllDeliveredAtItsPaceNoneDead() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 20; i++) {
            given().contentType(ContentType.JSON).body("""
                    {"event_type":"appointment.scheduled","appointment_id":"rl-%s-%d","patient_id":"pat-1",
                     "timestamp":"2025-01-10T12:30:00Z"}""".formatted(run, i)).post("/webhook/appointment")
                    .then().statusCode(201);
        }
        Awaitility.await("all 20 accepted by the receiver").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250)).until(() -> receiver.accepted("/limited").size() >= 20);
        Awaitility.await("all 20 recorded as sent").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> sent() == 20);
        assertEquals(0, given().queryParam("target", "limited").queryParam("status", "dead").get("/admin/deliveries")
                .then().statusCode(200).extract().jsonPath().getList("$").size(), "no delivery is dead");
        given().get("/admin/targets").then().statusCode(200)
                .body("find { it.name == 'limited' }.health", org.hamcrest.Matchers.equalTo("healthy"));
        int requests = receiver.receivedFor("/limited", "rl-" + run).size();
        // Paced, the target waits after each 429 instead of every delivery retrying on its own schedule (measured:
        // 56 requests, 36 of them 429s; each delivery alone would retry every 300 ms).
        assertTrue(requests <= 80, requests + " requests for 20 deliveries");
    }

    private static int sent() {
        List<?> rows = given().queryParam("target", "limited").queryParam("status", "sent").queryParam("limit", 100)
                .get("/admin/deliveries").then().statusCode(200).extract().jsonPath().getList("$");
        return rows.size();
    }

    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.delivery.retry-schedule", "300ms,300ms,300ms", "bridge.delivery.backstop-poll", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Limited.class));
        }
    }

    public static class Limited implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                receiver = new TestReceiver();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            receiver.rateLimit("/limited", Duration.ofSeconds(1));
            return Map.of("bridge.targets.limited.url", receiver.url("/limited"), "bridge.targets.limited.format",
                    "flat");
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }
}
