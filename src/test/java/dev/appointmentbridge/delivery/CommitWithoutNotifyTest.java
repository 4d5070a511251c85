package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import jakarta.inject.Inject;

/**
 * The wake-up NOTIFY follows the commit of the outbox rows on a connection of its own, so a process can die between
 * the two. Its events are committed and still reach the target: the workers' backstop poll claims them. Modelled by
 * stopping the notifier, as that process's death would, before events are stored.
 */
@QuarkusTest
@TestProfile(CommitWithoutNotifyTest.Profile.class)
class CommitWithoutNotifyTest {

    static TestReceiver receiver;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.delivery.backstop-poll", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Servers.class));
        }
    }

    public static class Servers implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                receiver = new TestReceiver();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> c = new HashMap<>();
            c.put("bridge.targets.portal.url", receiver.url("/portal"));
            return c;
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }

    @Inject
    OutboxNotifier notifier;

    @Test
    void eventsCommittedWithoutANotifyAreDelivered() throws InterruptedException {
        String first = post();
        assertEquals(1, receiver.await("/portal", first, 1, Duration.ofSeconds(20)).size());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> notifier.sent() > 0);

        notifier.halt();
        long notified = notifier.sent();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(post());
        }
        for (String id : ids) {
            assertEquals(1, receiver.await("/portal", id, 1, Duration.ofSeconds(30)).size(), id);
        }
        assertEquals(notified, notifier.sent(), "no NOTIFY followed these commits");
    }

    private static String post() {
        String id = "nn-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p-1",
                 "timestamp":"2025-01-10T12:30:00Z"}""".formatted(id)).post("/webhook/appointment").then()
                .statusCode(201);
        return id;
    }
}
