package dev.appointmentbridge.security;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "bridge.admin")
public interface SecurityConfig {

    /**
     * When set, {@code /admin/*} requires {@code X-API-Key} or {@code Authorization: Bearer} with it. Separate from
     * {@code bridge.inbound.api-key}: a system allowed to push events is not allowed to operate the bridge.
     */
    Optional<String> apiKey();
}
