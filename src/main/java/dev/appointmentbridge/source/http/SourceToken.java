package dev.appointmentbridge.source.http;

import dev.appointmentbridge.source.SourceFetchException;
import java.time.Duration;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;

/**
 * The {@code Authorization} header of one source: none, a static bearer token, or an OAuth2 client-credentials
 * token from the source's own named {@code quarkus-oidc-client} client, kept until it is within its refresh
 * interval and dropped on a 401 so the next request fetches a fresh one.
 */
public final class SourceToken {

    private final String staticToken;
    private final OidcClient oidc;
    private final Duration timeout;
    private Tokens tokens;

    private SourceToken(String staticToken, OidcClient oidc, Duration timeout) {
        this.staticToken = staticToken;
        this.oidc = oidc;
        this.timeout = timeout;
    }

    public static SourceToken none() {
        return new SourceToken(null, null, null);
    }

    public static SourceToken bearer(String token) {
        return new SourceToken(token, null, null);
    }

    /** @param timeout longest wait for the token endpoint; a slower answer fails the page */
    public static SourceToken oauth2(OidcClient client, Duration timeout) {
        return new SourceToken(null, client, timeout);
    }

    /** True when a 401 may be cured by fetching a fresh token. */
    boolean refreshable() {
        return oidc != null;
    }

    synchronized void invalidate() {
        tokens = null;
    }

    /** {@code Bearer ...}, or null when the source has no credentials. */
    synchronized String header() throws SourceFetchException {
        if (oidc == null) {
            return staticToken == null ? null : "Bearer " + staticToken;
        }
        if (tokens == null || tokens.isAccessTokenExpired() || tokens.isAccessTokenWithinRefreshInterval()) {
            try {
                tokens = oidc.getTokens().await().atMost(timeout);
            } catch (RuntimeException e) {
                // The OIDC client's message can name the token endpoint's answer; only the type is kept.
                throw new SourceFetchException("token request failed: " + e.getClass().getSimpleName(), 0, null);
            }
        }
        return "Bearer " + tokens.getAccessToken();
    }
}
