package dev.appointmentbridge.security;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.common.ApiError;
import dev.appointmentbridge.common.ErrorItem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * API keys from {@code X-API-Key: <key>} or {@code Authorization: Bearer <key>}, headers only (a cookie is no
 * key, so a cross-site form cannot carry one). A missing or wrong key leaves the caller anonymous rather than
 * failing the request: public routes stay public, and the route's policy decides. A refusal answers 401 with
 * the bridge's error body, naming the setting when the key the route takes is not set at all.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    @Inject
    ApiKeys keys;

    @Inject
    ObjectMapper json;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        java.util.Optional<String> feed = KeyPolicies.feedTarget(context);
        if (feed.isPresent()) { // a feed takes its own target's key and no other, so any other key is a wrong key (401)
            return keys.readsFeed(bearerToken(context.request()), feed.get())
                    ? Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(
                            "bridge.targets." + feed.get() + ".feed-key")).addRole(ApiKeys.feedRole(feed.get())).build())
                    : Uni.createFrom().nullItem();
        }
        Set<String> roles = keys.rolesOf(context.request().getHeader("X-API-Key"));
        roles.addAll(keys.rolesOf(bearerToken(context.request())));
        if (roles.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String principal = roles.contains(ApiKeys.OPERATOR) ? "bridge.admin.api-key" : "bridge.inbound.api-key";
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(principal))
                .addRoles(roles).build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (!response.ended()) {
            String role = context.get(KeyPolicies.MISSING_ROLE);
            if ("/webhook/hl7v2".equals(context.normalizedPath())) {
                // An HL7 sender reads an ACK: AR, not stored, so its engine keeps the message for when the key is right.
                response.setStatusCode(401).putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
                        .putHeader(HttpHeaderNames.CONTENT_TYPE, "x-application/hl7-v2+er7")
                        .end(dev.appointmentbridge.common.Hl7Acks.raw(null, "AR", "Missing or invalid API key: "
                                + keys.whyRefused(role)));
                return Uni.createFrom().item(true);
            }
            boolean feed = role != null && role.startsWith("feed:");
            ApiError error = ApiError.of(feed ? "Missing or invalid feed key" : "Missing or invalid API key",
                    List.of(ErrorItem.of("header", feed ? "Authorization" : "X-API-Key", keys.whyRefused(role),
                            "unauthorized")));
            response.setStatusCode(401).putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json").end(write(error));
        }
        return Uni.createFrom().item(true);
    }

    String write(ApiError error) {
        try {
            return json.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bearerToken(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).trim();
    }
}
