package dev.appointmentbridge.feed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.appointmentbridge.support.TestReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Targets a receiver can verify and recover with: {@code seq} rotates a secret and signs with Ed25519 too and has a
 * feed; {@code beat} sends heartbeats; {@code old} is the one whose early deliveries retention "deleted".
 */
public class ReceiverRecoveryProfile implements QuarkusTestProfile {

    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public static final String PREVIOUS = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "an older secret, 32 bytes long..".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    /** RFC 8032 section 7.1 TEST 1's private key. */
    public static final String SIGNING_KEY = "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    public static final String FEED_KEY = "feed-key-of-seq-0123456789";
    public static final String OLD_FEED_KEY = "feed-key-of-old-0123456789";
    public static TestReceiver receiver;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bridge.delivery.retry-schedule", "300ms,300ms", "bridge.delivery.backstop-poll", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Receiver.class));
    }

    public static class Receiver implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                receiver = new TestReceiver();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> c = new HashMap<>();
            c.put("bridge.targets.seq.url", receiver.url("/seq"));
            c.put("bridge.targets.seq.events", "appointment.scheduled,appointment.rescheduled,appointment.cancelled");
            c.put("bridge.targets.seq.secret", SECRET);
            c.put("bridge.targets.seq.previous-secrets", PREVIOUS);
            c.put("bridge.targets.seq.signing-key", SIGNING_KEY);
            c.put("bridge.targets.seq.feed-key", FEED_KEY);
            c.put("bridge.targets.beat.url", receiver.url("/beat"));
            c.put("bridge.targets.beat.format", "flat");
            c.put("bridge.targets.beat.events", "appointment.no_show");
            c.put("bridge.targets.beat.secret", SECRET);
            c.put("bridge.targets.beat.heartbeat", "1s");
            c.put("bridge.targets.hushed.url", receiver.url("/hushed"));
            c.put("bridge.targets.hushed.format", "flat");
            c.put("bridge.targets.hushed.events", "appointment.no_show");
            c.put("bridge.targets.hushed.heartbeat", "1s");
            // its first heartbeat is answered "not for an hour"
            receiver.script("/hushed", "bridge.heartbeat", new TestReceiver.Answer(429, 0, "3600"));
            c.put("bridge.targets.old.url", receiver.url("/old"));
            c.put("bridge.targets.old.events", "appointment.completed");
            c.put("bridge.targets.old.feed-key", OLD_FEED_KEY);
            return c;
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }
}
