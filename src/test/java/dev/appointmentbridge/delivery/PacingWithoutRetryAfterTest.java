package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
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
 * Receivers that push back without saying for how long, with the default retry schedule (5s, 5m, ...): a 429 without
 * Retry-After backs off from about a second, doubling, so a one-request-a-second receiver gets ten queued events in
 * well under 30 s (before: the second 429 in a row waited the schedule's 5 minutes; 2 of 10 in 60 s); a 503 whose
 * Retry-After is negative is a failure on the schedule, not a request a second (before: 26 requests in 25 s).
 */
@QuarkusTest
@TestProfile(PacingWithoutRetryAfterTest.Profile.class)
class PacingWithoutRetryAfterTest {

    static TestReceiver receiver;

    private static void post(String appointmentId) {
        given().contentType(ContentType.JSON).body("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"pat-1",
                 "timestamp":"2025-01-10T12:30:00Z"}""".formatted(appointmentId)).post("/webhook/appointment")
                .then().statusCode(201);
    }

    @Test
    void tenEventsReachAOnePerSecondReceiverThatSendsNoRetryAfterWithin30Seconds() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 10; i++) {
            post("bare-" + run + "-" + i);
        }
        Awaitility.await("ten accepted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> receiver.accepted("/bare").stream().filter(r -> r.body().contains(run)).count() >= 10);
    }

    @Test
    void a503WithANegativeRetryAfterWaitsTheSchedulesFiveSecondsNotOne() throws InterruptedException {
        String apt = "neg-" + UUID.randomUUID().toString().substring(0, 8);
        receiver.script("/down", apt, new TestReceiver.Answer(503, 0, "-5"), new TestReceiver.Answer(503, 0, "-5"));
        post(apt);
        List<TestReceiver.Received> got = receiver.await("/down", apt, 2, Duration.ofSeconds(30));
        assertTrue(got.size() >= 2, "a retry came: " + got.size());
        long gap = Duration.between(got.get(0).at(), got.get(1).at()).toMillis();
        // 5 s less the schedule's 20 % jitter; load only lengthens it
        assertTrue(gap >= 3_900, "the retry waited the schedule's first step, not a second: " + gap + " ms");
    }

    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.delivery.backstop-poll", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Receivers.class));
        }
    }

    public static class Receivers implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                receiver = new TestReceiver();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            receiver.rateLimitWithoutRetryAfter("/bare", Duration.ofSeconds(1));
            return Map.of("bridge.targets.bare.url", receiver.url("/bare"), "bridge.targets.bare.format", "flat",
                    "bridge.targets.bare.events", "appointment.scheduled",
                    "bridge.targets.down.url", receiver.url("/down"), "bridge.targets.down.format", "flat");
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }
}
