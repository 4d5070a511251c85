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

    @ApplicationScoped
    public static class PushClient extends KeyPolicy {
        @Override
        String role() {
            return ApiKeys.PUSH_CLIENT;
        }
    }
}
