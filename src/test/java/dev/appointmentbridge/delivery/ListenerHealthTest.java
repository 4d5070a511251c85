package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.FreezingProxy;
import dev.appointmentbridge.support.TestReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Issue 13, LISTEN health: the listener's connection goes half-open (the proxy stops forwarding it without
 * closing it). The listener notices within its check (2 s quiet + 2 s to answer), reconnects and wakes the
 * worker, so an event committed meanwhile is delivered long before the 60 s backstop poll.
 */
@QuarkusTest
@TestProfile(ListenerHealthTest.Frozen.class)
class ListenerHealthTest {

    static FreezingProxy proxy;
    static TestReceiver receiver;

    public static class Frozen implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.delivery.backstop-poll", "60s", "bridge.delivery.listener-check", "2s");
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
                proxy = new FreezingProxy(5432);
                receiver = new TestReceiver();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> c = new HashMap<>();
            c.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test");
            c.put("bridge.targets.portal.url", receiver.url("/portal"));
            return c;
        }

        @Override
        public void stop() {
            receiver.close();
            proxy.close();
        }
    }

    @Test
    void aHalfOpenListenerIsReplacedAndWakeUpsReturn() throws InterruptedException {
        String first = post();
        assertEquals(1, receiver.await("/portal", first, 1, Duration.ofSeconds(10)).size(), "delivery works");
        proxy.freezeListeners();
        String second = post();
        assertEquals(1, receiver.await("/portal", second, 1, Duration.ofSeconds(15)).size(),
                "delivered after the listener was replaced, not after the 60 s backstop");
    }

    private static String post() {
        String id = "lis-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p-1",
                 "timestamp":"2025-01-10T12:30:00Z"}""".formatted(id)).post("/webhook/appointment").then()
                .statusCode(201);
        return id;
    }
}
