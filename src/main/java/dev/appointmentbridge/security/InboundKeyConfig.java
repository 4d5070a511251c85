package dev.appointmentbridge.security;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code bridge.inbound.api-key}: the receiving endpoints' key. Owned by security, which checks it, so that
 * security depends on no feature package (the rest of {@code bridge.inbound.*} is the inbound package's).
 */
@ConfigMapping(prefix = "bridge.inbound")
public interface InboundKeyConfig {

    /** When set, {@code /webhook/*} requires {@code X-API-Key} or {@code Authorization: Bearer} with it. */
    Optional<String> apiKey();

    /**
     * With no {@link #apiKey()}, whether pushes answer 401 (true, the default: a bridge reachable by anyone would
     * sign and deliver whatever anyone posts) or are accepted without a key. The dev, test and demo profiles set false.
     */
    @WithDefault("true")
    boolean requireApiKey();
}
