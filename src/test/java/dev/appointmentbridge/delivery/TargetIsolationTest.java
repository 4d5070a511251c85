package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.TestReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Issue 13, per-target isolation: a target that accepts connections and never answers holds only its own
 * max-in-flight slots; a target that answers at once keeps delivering. Global slots here: 4, the hanging
 * target's: 2. Without per-target slots the hanging target's requests take all 4 and the fast target waits
 * for their 10 s deadline.
 */
@QuarkusTest
@TestProfile(TargetIsolationTest.TwoTargets.class)
class TargetIsolationTest {

    static TestReceiver fast;
    static ServerSocket blackHole;

    public static class TwoTargets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.delivery.max-in-flight", "4", "bridge.delivery.backstop-poll", "1s");
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
                fast = new TestReceiver();
                // Connections complete in the kernel's backlog; nothing ever reads or answers them.
                blackHole = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> c = new HashMap<>();
            c.put("bridge.targets.fast.url", fast.url("/fast"));
            c.put("bridge.targets.hang.url", "http://127.0.0.1:" + blackHole.getLocalPort() + "/hang");
            c.put("bridge.targets.hang.timeout", "10s");
            c.put("bridge.targets.hang.max-in-flight", "2");
            return c;
        }

        @Override
        public void stop() {
            fast.close();
            try {
                blackHole.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Test
    void aHangingTargetDoesNotStarveTheOther() throws InterruptedException {
        String marker = "iso-" + UUID.randomUUID().toString().substring(0, 8);
        int events = 30;
        for (int i = 0; i < events; i++) {
            given().contentType(ContentType.JSON).body("""
                    {"event_type":"appointment.scheduled","appointment_id":"%s-%d","patient_id":"p-1",
                     "timestamp":"2025-01-10T12:30:00Z"}""".formatted(marker, i)).post("/webhook/appointment").then()
                    .statusCode(201);
        }
        // well inside the hanging target's 10 s deadline
        assertEquals(events, fast.await("/fast", marker, events, Duration.ofSeconds(6)).size(),
                "every event reached the fast target while the other hung");
    }
}
