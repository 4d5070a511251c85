package dev.appointmentbridge.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.appointmentbridge.support.TestReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Targets of every format pointing at one {@link TestReceiver}, with a fast retry schedule. */
public class DeliveryTestProfile implements QuarkusTestProfile {

    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public static TestReceiver receiver;
    /** A Slack incoming-webhook URL's path is its secret: logs and /admin/targets show only its host. */
    public static final String SLACK_PATH = "/services/T0CAPAB1/B0CAPAB2/slackCapabilityToken42";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bridge.delivery.retry-schedule", "300ms,300ms,300ms", "bridge.delivery.backstop-poll", "1s");
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
            target(c, "std", "standard");
            c.put("bridge.targets.std.secret", SECRET);
            c.put("bridge.targets.std.bearer-token", "target-token");
            c.put("bridge.targets.std.headers.\"Authtoken\"", "abc123");
            target(c, "canvas", "canvas");
            target(c, "flat", "flat");
            target(c, "slack", "slack");
            c.put("bridge.targets.slack.url", receiver.url(SLACK_PATH));
            target(c, "clock", "clockwise");
            target(c, "gone", "standard");
            target(c, "slow", "standard");
            c.put("bridge.targets.slow.timeout", "700ms");
            target(c, "filtered", "standard");
            c.put("bridge.targets.filtered.events", "appointment.cancelled");
            return c;
        }

        private static void target(Map<String, String> c, String name, String format) {
            c.put("bridge.targets." + name + ".url", receiver.url("/" + name));
            c.put("bridge.targets." + name + ".format", format);
        }

        @Override
        public void stop() {
            receiver.close();
        }
    }
}
