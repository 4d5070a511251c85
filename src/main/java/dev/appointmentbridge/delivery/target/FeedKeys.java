package dev.appointmentbridge.delivery.target;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.appointmentbridge.config.AdminConfig;
import dev.appointmentbridge.config.InboundConfig;
import dev.appointmentbridge.config.TargetsConfig;

/**
 * A feed key opens one target's deliveries and nothing else, so it must be a key of its own: long enough not to be
 * guessed, and not the admin key, the inbound key or another target's feed key (the receiver's developer who holds
 * it would hold those too). A key that breaks this stops the start, naming the setting, never the key.
 */
final class FeedKeys {

    static final int MIN_LENGTH = 16;

    private FeedKeys() {
    }

    static void check(TargetsConfig targets, AdminConfig admin, InboundConfig inbound) {
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, TargetsConfig.Target> e : targets.targets().entrySet()) {
            Optional<String> key = e.getValue().feedKey();
            if (key.isEmpty()) {
                continue;
            }
            String setting = "bridge.targets." + e.getKey() + ".feed-key";
            String value = key.get();
            if (value.length() < MIN_LENGTH) {
                throw new IllegalArgumentException(setting + ": at least " + MIN_LENGTH + " characters (this one has "
                        + value.length() + "); make one with: openssl rand -base64 24");
            }
            if (admin.apiKey().map(value::equals).orElse(false)) {
                throw new IllegalArgumentException(setting + " is the admin key (bridge.admin.api-key): a feed key"
                        + " opens one target's feed and must be a key of its own");
            }
            if (inbound.apiKey().map(value::equals).orElse(false)) {
                throw new IllegalArgumentException(setting + " is the inbound key (bridge.inbound.api-key): a feed"
                        + " key opens one target's feed and must be a key of its own");
            }
            String other = seen.putIfAbsent(value, e.getKey());
            if (other != null) {
                throw new IllegalArgumentException(setting + " is also bridge.targets." + other + ".feed-key: each"
                        + " target's feed has a key of its own");
            }
        }
    }
}
