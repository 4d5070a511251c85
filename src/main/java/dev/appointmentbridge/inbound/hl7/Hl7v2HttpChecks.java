package dev.appointmentbridge.inbound.hl7;

import dev.appointmentbridge.common.Hl7Acks;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.appointmentbridge.config.InboundConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /webhook/hl7v2} refuses as an HL7 sender expects: every refusal before the message is read is an ACK
 * ({@code MSA|AE}) in ER7, not the JSON the other pushes get. A Content-Type other than the HL7 ones is a 415 naming
 * them; a declared length above {@code bridge.inbound.hl7v2.max-message-bytes} (not the JSON pushes' 64 KiB limit)
 * is a 413 before the body is read. A body sent without a length is measured after reading (an AE).
 */
public class Hl7v2HttpChecks {

    /** Looked up per request: filters are made at static init, before the configuration mapping exists. */
    @Inject
    jakarta.enterprise.inject.Instance<InboundConfig> config;

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod()) || !"/webhook/hl7v2".equals(request.getUriInfo().getPath())) {
            return null;
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        MediaType media = null;
        try {
            media = type == null || type.isBlank() ? null : MediaType.valueOf(type);
        } catch (IllegalArgumentException unreadable) {
            // answered below as any other type
        }
        boolean hl7 = media != null && (media.isCompatible(MediaType.valueOf(Hl7v2Resource.ER7))
                || media.isCompatible(MediaType.valueOf("application/hl7-v2")));
        if (!hl7) {
            return refuse(415, "Content-Type must be " + Hl7v2Resource.ER7 + " or application/hl7-v2");
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        try {
            if (length != null && Long.parseLong(length.trim()) > config.get().hl7v2().maxMessageBytes()) {
                return refuse(413, "message larger than bridge.inbound.hl7v2.max-message-bytes ("
                        + config.get().hl7v2().maxMessageBytes() + ")");
            }
        } catch (NumberFormatException e) {
            return null; // Vert.x refuses a malformed Content-Length itself
        }
        return null;
    }

    private static Response refuse(int status, String reason) {
        Response.ResponseBuilder answer = Response.status(status).type(Hl7v2Resource.ER7)
                .entity(Hl7Acks.raw(null, "AE", reason));
        if (status == 413) {
            answer.header("Connection", "close"); // the body announced is not read
        }
        return answer.build();
    }
}
