package dev.appointmentbridge.inbound;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.common.ErrorResponses;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * A push ({@code POST /webhook/...}) without a Content-Type is a 415, as one with a wrong Content-Type is: JAX-RS
 * would otherwise read it as whatever the method consumes, and docs/security.md ("Receiving endpoint") promises 415.
 */
public class ContentTypeRequired {

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/webhook/")
                || "/webhook/hl7v2".equals(request.getUriInfo().getPath())) {
            return null; // HL7 v2 answers in HL7 (Hl7v2HttpChecks)
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type != null && !type.isBlank()) {
            return null;
        }
        return ErrorResponses.of(415, "Unsupported content type",
                ErrorItem.of("header", "Content-Type", "Content-Type must be application/json", "content_type"));
    }
}
