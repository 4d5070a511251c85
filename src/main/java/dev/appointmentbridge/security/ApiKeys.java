package dev.appointmentbridge.security;

import dev.appointmentbridge.config.InboundConfig;
import dev.appointmentbridge.config.TargetsConfig;
import dev.appointmentbridge.config.AdminConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The bridge's two shared keys as Quarkus security roles. The admin key ({@code bridge.admin.api-key}) makes a
 * caller an {@value #OPERATOR}: it may read patient data and operate the bridge. The inbound key
 * ({@code bridge.inbound.api-key}) makes it a {@value #PUSH_CLIENT}: it may push events, not read them back.
 * Which route takes which role is configuration ({@code quarkus.http.auth.permission.*}), and a route no rule
 * names is refused.
 */
@ApplicationScoped
public class ApiKeys {

    public static final String OPERATOR = "operator";
    public static final String PUSH_CLIENT = "push-client";
    /** The policy of {@code /feed/<target>}; the key carries {@link #feedRole} of its target. */
    public static final String FEED_READER = "feed-reader";

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    @Inject
    InboundConfig inbound;

    @Inject
    AdminConfig admin;

    @Inject
    TargetsConfig targets;

    /** The role a target's {@code feed-key} carries: it reads that target's feed and nothing else. */
    public static String feedRole(String target) {
        return "feed:" + target;
    }

    void warnWhenClosed(@Observes StartupEvent ignored) {
        if (admin.apiKey().isEmpty() && admin.requireApiKey()) {
            LOG.warn("bridge.admin.api-key is not set: GET /webhook/events and /admin/* answer 401 until it is"
                    + " (or set bridge.admin.require-api-key=false to serve them without a key)");
        }
        if (inbound.apiKey().isEmpty() && inbound.requireApiKey()) {
            LOG.warn("bridge.inbound.api-key is not set: POST /webhook/appointment and /webhook/canvas answer 401"
                    + " until it is (or set bridge.inbound.require-api-key=false to accept pushes without a key)");
        }
    }

    /** The roles a presented key carries: none for no key or a wrong one. */
    Set<String> rolesOf(String presented) {
        Set<String> roles = new HashSet<>(2);
        if (presented == null) {
            return roles;
        }
        if (matches(presented, admin.apiKey())) {
            roles.add(OPERATOR);
        }
        if (matches(presented, inbound.apiKey())) {
            roles.add(PUSH_CLIENT);
        }
        return roles;
    }

    /** Whether the presented bearer key is the feed key of this target (constant-time). */
    boolean readsFeed(String presented, String target) {
        TargetsConfig.Target t = targets.targets().get(target);
        return presented != null && t != null && matches(presented, t.feedKey());
    }

    /** True when the role needs no key: none is set and the operator chose to serve without one. */
    boolean open(String role) {
        return switch (role) {
            case OPERATOR -> admin.apiKey().isEmpty() && !admin.requireApiKey();
            case PUSH_CLIENT -> inbound.apiKey().isEmpty() && !inbound.requireApiKey();
            default -> false;
        };
    }

    /** Why a request without the role's key is refused: the setting to make when no key is set. */
    String whyRefused(String role) {
        if (OPERATOR.equals(role) && admin.apiKey().isEmpty()) {
            return "bridge.admin.api-key is not set: this endpoint returns patient data and stays closed until it is"
                    + " (env BRIDGE_ADMIN_API_KEY)";
        }
        if (PUSH_CLIENT.equals(role) && inbound.apiKey().isEmpty()) {
            return "bridge.inbound.api-key is not set: pushes would be signed and delivered from anyone, so they are"
                    + " refused until it is (env BRIDGE_INBOUND_API_KEY)";
        }
        if (role != null && role.startsWith("feed:")) {
            // the same answer whether the target exists, has a feed or not: a caller without a key learns nothing
            return "Send Authorization: Bearer <the feed key of this target>";
        }
        return "Send X-API-Key: <key> or Authorization: Bearer <key>";
    }

    /** Constant-time, so response timing does not reveal how much of the key was right. */
    private static boolean matches(String presented, Optional<String> key) {
        return key.isPresent() && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                key.get().getBytes(StandardCharsets.UTF_8));
    }
}
