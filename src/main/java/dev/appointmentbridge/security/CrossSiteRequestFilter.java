package dev.appointmentbridge.security;

import java.net.URI;
import java.util.List;
import java.util.Set;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.appointmentbridge.common.ApiError;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.ErrorResponses;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * An operator action ({@code POST} under {@code /admin}) whose {@code Origin} is another site is refused with 403,
 * even with the right key: a cross-site form or fetch cannot trigger one. Runs after authentication.
 */
public class CrossSiteRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if ((path.startsWith("/admin") || path.startsWith("/webhook/events"))
                && !SAFE_METHODS.contains(request.getMethod()) && foreignOrigin(request)) {
            return ErrorResponses.json(403, ApiError.of("Cross-site request refused", List.of(ErrorItem.of(
                    "header", "Origin", "Admin actions are accepted only from this service's own origin",
                    "forbidden_origin"))));
        }
        return null;
    }

    /**
     * True when the request names an origin (browsers always do on a cross-origin or same-origin POST) whose
     * host and port differ from the Host it was sent to (or X-Forwarded-Host behind a proxy); "null" is foreign.
     */
    static boolean foreignOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return false; // not a browser: curl and servers send no Origin
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
}
