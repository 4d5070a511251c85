package dev.appointmentbridge.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.appointmentbridge.common.ApiError;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.ErrorResponses;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Shared-key auth, each area with its own key: {@code /webhook/*} with {@code bridge.inbound.api-key},
 * {@code /admin/*} with {@code bridge.admin.api-key}. An area whose key is unset is open.
 */
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    InboundKeyConfig inbound;

    @Inject
    SecurityConfig admin;

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        Optional<String> key = path.startsWith("/webhook") ? inbound.apiKey()
                : path.startsWith("/admin") ? admin.apiKey() : Optional.empty();
        if (key.isEmpty()) {
            return null;
        }
        byte[] expected = key.get().getBytes(StandardCharsets.UTF_8);
        if (matches(request.getHeaderString("X-API-Key"), expected)
                || matches(bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION)), expected)) {
            return null;
        }
        Response denied = ErrorResponses.json(401, ApiError.of("Missing or invalid API key", List.of(
                ErrorItem.of("header", "X-API-Key", "Send X-API-Key: <key> or Authorization: Bearer <key>",
                        "unauthorized"))));
        return Response.fromResponse(denied).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
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
