package dev.appointmentbridge.security;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * {@code bridge.inbound.api-key}: the receiving endpoints' key. Owned by security, which checks it, so that
 * security depends on no feature package (the rest of {@code bridge.inbound.*} is the inbound package's).
 */
@ConfigMapping(prefix = "bridge.inbound")
public interface InboundKeyConfig {

    /** When set, {@code /webhook/*} requires {@code X-API-Key} or {@code Authorization: Bearer} with it. */
    Optional<String> apiKey();
}
