package dev.appointmentbridge.delivery.target;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.config.AdminConfig;
import dev.appointmentbridge.config.InboundConfig;
import dev.appointmentbridge.config.TargetsConfig;

class FeedKeysTest {

    private static final String ADMIN = "admin-key-0123456789";
    private static final String INBOUND = "inbound-key-0123456789";

    /** A mapping interface answering only the methods asked for; the rest are never called here. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> answers.get(method.getName()));
    }

    private static void check(Map<String, String> feedKeys) {
        Map<String, TargetsConfig.Target> targets = new LinkedHashMap<>();
        feedKeys.forEach((name, key) -> targets.put(name, stub(TargetsConfig.Target.class,
                Map.of("feedKey", Optional.ofNullable(key)))));
        FeedKeys.check(stub(TargetsConfig.class, Map.of("targets", targets)),
                stub(AdminConfig.class, Map.of("apiKey", Optional.of(ADMIN))),
                stub(InboundConfig.class, Map.of("apiKey", Optional.of(INBOUND))));
    }

    private static String refusal(Map<String, String> feedKeys) {
        String message = assertThrows(IllegalArgumentException.class, () -> check(feedKeys)).getMessage();
        assertTrue(message.startsWith("bridge.targets."), message);
        for (String key : feedKeys.values()) {
            assertFalse(message.contains(key), "the key is never printed: " + message);
        }
        return message;
    }

    @Test
    void aFeedKeyMustBeLongAndItsOwn() {
        check(Map.of("a", "feed-key-of-a-0123456789", "b", "feed-key-of-b-0123456789"));
        assertTrue(refusal(Map.of("a", "short")).contains("at least 16"));
        assertTrue(refusal(Map.of("a", ADMIN)).contains("admin key"));
        assertTrue(refusal(Map.of("a", INBOUND)).contains("inbound key"));
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("a", "the-same-feed-key-0123");
        shared.put("b", "the-same-feed-key-0123");
        assertTrue(refusal(shared).contains("is also bridge.targets.a.feed-key"));
    }
}
