package dev.appointmentbridge.inbound;

import dev.appointmentbridge.config.InboundConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Refuses a declared oversized body before it is read, with the contract's error shape. Bodies sent
 * chunked (no Content-Length) are checked again after reading, in the resource.
 */
@ApplicationScoped
public class BodySizeGuard {

    @Inject
    InboundConfig config;

    @Inject
    RejectionMetrics rejections;

    @Inject
    ObjectMapper mapper;

    void install(@Observes Router router) throws JsonProcessingException {
        // The same body the resource answers for a chunked oversized request.
        String tooLarge = mapper.writeValueAsString(BodyLimits.tooLarge(config.maxBodyBytes()).error());
        router.post("/webhook/*").order(-100).handler(ctx -> {
            if ("/webhook/hl7v2".equals(ctx.normalizedPath())) {
                ctx.next(); // its own limit, answered in HL7 (Hl7v2HttpChecks)
                return;
            }
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length)) {
                rejections.count(413);
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(tooLarge);
                return;
            }
            ctx.next();
        });
    }

    private boolean exceeds(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > config.maxBodyBytes();
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }
}
