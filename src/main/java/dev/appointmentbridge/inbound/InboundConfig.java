package dev.appointmentbridge.inbound;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code bridge.inbound.*} of the receiving endpoint; its key is {@code security.InboundKeyConfig}'s. */
@ConfigMapping(prefix = "bridge.inbound")
public interface InboundConfig {

    /** Largest accepted request body on the receiving endpoint. */
    @WithDefault("65536")
    int maxBodyBytes();
}
