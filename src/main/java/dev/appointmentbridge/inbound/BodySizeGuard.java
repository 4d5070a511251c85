package dev.appointmentbridge.inbound;

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

    void install(@Observes Router router) {
        router.post("/webhook/*").order(-100).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length)) {
                rejections.count(413);
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"status\":\"error\",\"message\":\"Request body too large\",\"errors\":[{\"loc\":[\"body\"],"
                                + "\"msg\":\"Body must be at most " + config.maxBodyBytes()
                                + " bytes\",\"type\":\"body_too_large\"}]}");
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
