package dev.appointmentbridge.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The HTTP security policies {@code quarkus.http.auth.permission.*} name: {@code operator} and {@code push-client}
 * let a request through when its key carries that role, or when that role needs no key (no key set and
 * {@code require-api-key=false}). A refusal records the role, so the answer can say which key was missing.
 */
public final class KeyPolicies {

    /** Routing-context key of the role a refused request lacked. */
    static final String MISSING_ROLE = KeyPolicies.class.getName() + ".missing-role";

    private KeyPolicies() {
    }

    /** The target of a {@code /feed/<target>} path; empty on any other path. */
    static java.util.Optional<String> feedTarget(RoutingContext request) {
        String path = request.normalizedPath();
        if (!path.startsWith("/feed/")) {
            return java.util.Optional.empty();
        }
        String rest = path.substring("/feed/".length());
        return java.util.Optional.of(java.net.URLDecoder.decode(rest.contains("/") ? rest.substring(0,
                rest.indexOf('/')) : rest, java.nio.charset.StandardCharsets.UTF_8));
    }

    abstract static class KeyPolicy implements HttpSecurityPolicy {

        @Inject
        ApiKeys keys;

        abstract String role();

        @Override
        public String name() {
            return role();
        }

        @Override
        public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                AuthorizationRequestContext requestContext) {
            if (keys.open(role())) {
                return Uni.createFrom().item(CheckResult.PERMIT);
            }
            return identity.map(caller -> {
                if (caller.hasRole(role())) {
                    return CheckResult.PERMIT;
                }
                request.put(MISSING_ROLE, role());
                return CheckResult.DENY;
            });
        }
    }

    @ApplicationScoped
    public static class Operator extends KeyPolicy {
        @Override
        String role() {
            return ApiKeys.OPERATOR;
        }
    }

    /** {@code /feed/<target>}: the caller's key must be that target's feed key; there is no open feed. */
    @ApplicationScoped
    public static class FeedReader implements HttpSecurityPolicy {

        @Override
        public String name() {
            return ApiKeys.FEED_READER;
        }

        @Override
        public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                AuthorizationRequestContext requestContext) {
            String role = ApiKeys.feedRole(feedTarget(request).orElse(""));
            return identity.map(caller -> {
                if (caller.hasRole(role)) {
                    return CheckResult.PERMIT;
                }
                request.put(MISSING_ROLE, role);
                return CheckResult.DENY;
            });
        }
    }

    @ApplicationScoped
    public static class PushClient extends KeyPolicy {
        @Override
        String role() {
            return ApiKeys.PUSH_CLIENT;
        }
    }
}
