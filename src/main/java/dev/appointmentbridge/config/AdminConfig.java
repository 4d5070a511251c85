package dev.appointmentbridge.config;

import java.util.Optional;

import io.smallrye.config.WithDefault;

public interface AdminConfig {

    /**
     * When set, the endpoints that return patient data ({@code GET /webhook/events}, {@code /admin/*}) require
     * {@code X-API-Key} or {@code Authorization: Bearer} with it. Separate from {@code bridge.inbound.api-key}: a
     * system allowed to push events is not allowed to read them back or operate the bridge.
     */
    Optional<String> apiKey();

    /**
     * With no {@link #apiKey()}, whether those endpoints answer 401 (true, the default: docs/security.md "Security
     * defaults") or are open. The dev, test and demo profiles set false.
     */
    @WithDefault("true")
    boolean requireApiKey();
}
