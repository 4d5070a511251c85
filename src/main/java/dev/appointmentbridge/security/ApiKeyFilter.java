package dev.appointmentbridge.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.appointmentbridge.common.ApiError;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.ErrorResponses;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Shared-key auth (design.md, "Security defaults"). Patient data ({@code GET /webhook/events}, {@code /admin/*})
 * needs {@code bridge.admin.api-key}; with none set it answers 401 naming the setting unless
 * {@code bridge.admin.require-api-key=false}. Pushing events ({@code POST /webhook/*}) needs
 * {@code bridge.inbound.api-key}, and with none set answers 401 naming it unless
 * {@code bridge.inbound.require-api-key=false}; Clockwise pushes carry their own
 * {@code bridge.inbound.clockwise.<name>.key} instead. Keys come from headers only, never cookies, and an admin
 * mutation whose {@code Origin} is another site is refused with 403, so a cross-site form cannot trigger one.
 */
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    private static final String BEARER = "Bearer ";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    InboundKeyConfig inbound;

    @Inject
    SecurityConfig admin;

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

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/admin") || path.startsWith("/webhook/events")) {
            if (!SAFE_METHODS.contains(request.getMethod()) && foreignOrigin(request)) {
                return ErrorResponses.json(403, ApiError.of("Cross-site request refused", List.of(ErrorItem.of(
                        "header", "Origin", "Admin actions are accepted only from this service's own origin",
                        "forbidden_origin"))));
            }
            if (admin.apiKey().isEmpty()) {
                return admin.requireApiKey() ? unauthorized("bridge.admin.api-key is not set: this endpoint "
                        + "returns patient data and stays closed until it is (env BRIDGE_ADMIN_API_KEY)") : null;
            }
            return checkKey(request, admin.apiKey().get());
        }
        // Clockwise.MD can send only its own key (in the URL or an Authtoken header): its resource checks that one.
        if (path.startsWith("/webhook") && !path.startsWith("/webhook/clockwise")) {
            if (inbound.apiKey().isEmpty()) {
                return inbound.requireApiKey() ? unauthorized("bridge.inbound.api-key is not set: pushes would be "
                        + "signed and delivered from anyone, so they are refused until it is (env "
                        + "BRIDGE_INBOUND_API_KEY)") : null;
            }
            return checkKey(request, inbound.apiKey().get());
        }
        return null;
    }

    private static Response checkKey(ContainerRequestContext request, String key) {
        byte[] expected = key.getBytes(StandardCharsets.UTF_8);
        if (matches(request.getHeaderString("X-API-Key"), expected)
                || matches(bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION)), expected)) {
            return null;
        }
        return unauthorized("Send X-API-Key: <key> or Authorization: Bearer <key>");
    }

    private static Response unauthorized(String msg) {
        Response denied = ErrorResponses.json(401, ApiError.of("Missing or invalid API key",
                List.of(ErrorItem.of("header", "X-API-Key", msg, "unauthorized"))));
        return Response.fromResponse(denied).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /**
     * True when the request names an origin (browsers always do on a cross-origin or same-origin POST) whose
     * host and port differ from the Host it was sent to (or X-Forwarded-Host behind a proxy); "null" is foreign.
     */
    static boolean foreignOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return false; // not a browser: curl and servers send no Origin, and need the key anyway
        }
        String forwarded = request.getHeaderString("X-Forwarded-Host");
        String host = forwarded != null ? forwarded.split(",")[0].trim() : request.getHeaderString(HttpHeaders.HOST);
        return host == null || !authority(origin).equalsIgnoreCase(host);
    }

    private static String authority(String origin) {
        try {
            String authority = URI.create(origin.trim()).getRawAuthority();
            return authority == null ? "" : authority;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).trim();
    }

    /** Constant-time, so response timing does not reveal how much of the key was right. */
    private static boolean matches(String presented, byte[] expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected);
    }
}
