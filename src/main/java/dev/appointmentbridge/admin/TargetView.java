package dev.appointmentbridge.admin;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One target in {@code GET /admin/targets}; secrets appear only as "configured", with how many keys sign each
 * attempt ({@code signing_keys}) and the {@code whpk_} public key receivers verify {@code v1a} signatures with.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TargetView(String name, String url, String format, List<String> events, boolean enabled,
        String disabledReason, String secret, int signingKeys, String publicKey, String bearerToken, List<String> headers, String health,
        Double successRate, long queueDepth, String oldestPendingAt, Map<String, Long> deliveries,
        String lastError, String lastErrorAt) {
}
