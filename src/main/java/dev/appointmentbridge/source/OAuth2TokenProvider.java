package dev.appointmentbridge.source;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * OAuth2 client-credentials token for one source, cached until shortly before it expires and dropped on
 * a 401 so the next request fetches a fresh one.
 */
final class OAuth2TokenProvider {

    private static final Duration EARLY_REFRESH = Duration.ofSeconds(30);

    private final SourcesConfig.OAuth2 config;
    private final HttpClient http;
    private final ObjectReader reader;
    private final Duration timeout;
    private final Clock clock;
    private String token;
    private Instant expiresAt = Instant.MIN;

    OAuth2TokenProvider(SourcesConfig.OAuth2 config, HttpClient http, ObjectReader reader, Duration timeout,
            Clock clock) {
        this.config = config;
        this.http = http;
        this.reader = reader;
        this.timeout = timeout;
        this.clock = clock;
    }

    synchronized String token() throws SourceFetchException {
        if (token == null || !clock.instant().isBefore(expiresAt)) {
            fetch();
        }
        return token;
    }

    synchronized void invalidate() {
        token = null;
    }

    private void fetch() throws SourceFetchException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", config.clientId());
        form.put("client_secret", config.clientSecret());
        config.scope().ifPresent(scope -> form.put("scope", scope));
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.tokenUrl())).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SourceFetchException("token request failed: " + e.getClass().getSimpleName(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFetchException("token request interrupted", 0, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SourceFetchException("token request answered HTTP " + response.statusCode(),
                    response.statusCode(), null);
        }
        try {
            JsonNode json = reader.readTree(response.body());
            String accessToken = json.path("access_token").asText(null);
            if (accessToken == null) {
                throw new SourceFetchException("token response has no access_token", response.statusCode(), null);
            }
            long expiresIn = json.path("expires_in").asLong(300);
            token = accessToken;
            expiresAt = clock.instant().plusSeconds(expiresIn).minus(EARLY_REFRESH);
        } catch (IOException e) {
            throw new SourceFetchException("token response is not JSON", response.statusCode(), e);
        }
    }
}
