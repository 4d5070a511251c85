package dev.appointmentbridge.inbound;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "bridge.inbound")
public interface InboundConfig {

    /** When set, {@code /webhook/*} requires {@code X-API-Key} or {@code Authorization: Bearer} with it. */
    Optional<String> apiKey();

    /** Largest accepted request body on the receiving endpoint. */
    @WithDefault("65536")
    int maxBodyBytes();
}
