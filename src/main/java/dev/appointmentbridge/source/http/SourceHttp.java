package dev.appointmentbridge.source.http;

import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourceClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;

import org.jboss.resteasy.reactive.RestResponse;

import dev.appointmentbridge.common.RetryAfter;

import jakarta.ws.rs.ProcessingException;

/**
 * The HTTP side every source shares (FHIR and JSON): GET with the source's credentials, bodies read up to
 * {@code max-page-bytes}, statuses judged, next links kept on the source's origin.
 *
 * <p>Credentials stay at home (docs/polling.md, "Poll cycle"): the token goes only to the origin (scheme, host, port)
 * of the source's URL. A {@code next} link to another origin fails the page before anything is sent, and
 * redirects are never followed (a 3xx fails the page). Every non-2xx answer, timeout or oversized body is a
 * {@link SourceFetchException} whose message carries the path and status, never the body. A 401 with OAuth2
 * configured is retried once with a fresh token.
 *
 * <p>Politeness: every request first waits for the source's {@link RequestBudget}. A 429 or 503 with
 * {@code Retry-After} (RFC 9110 section 10.2.3: seconds or an HTTP date) pauses the whole source for that long;
 * a pause up to {@link RequestBudget#MAX_WAIT} is waited out and the request sent again (twice at most), a longer
 * one fails the request and the source's next cycles are skipped until it has passed.
 */
public final class SourceHttp {

    /** A 2xx body, or a gone resource (404/410, body null), with the server's {@code Date} header (or null). */
    public record Fetched(int status, byte[] body, Instant date) {

        public boolean gone() {
            return body == null;
        }
    }

    private final SourceClient client;
    private final SourceToken token;
    private final URI origin;
    private final long maxBodyBytes;
    private final RequestBudget budget;

    /**
     * @param home         the source's configured URL: its origin is the only one that sees the token
     * @param maxBodyBytes bodies larger than this fail the request (bytes)
     */
    public SourceHttp(SourceClient client, SourceToken token, URI home, long maxBodyBytes, RequestBudget budget) {
        this.client = client;
        this.token = token;
        this.origin = origin(home);
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
    }

    public RequestBudget budget() {
        return budget;
    }

    /** GET url: a 2xx body, else a SourceFetchException with the status. */
    public Fetched fetch(URI url) throws SourceFetchException {
        return fetch(url, false);
    }

    /** GET url of one resource by id: as {@link #fetch(URI)}, but 404 and 410 are an answer (gone), not an error. */
    public Fetched fetchOrGone(URI url) throws SourceFetchException {
        return fetch(url, true);
    }

    private Fetched fetch(URI url, boolean goneIsAnAnswer) throws SourceFetchException {
        RestResponse<InputStream> response = get(url);
        int status = response.getStatus();
        if (goneIsAnAnswer && (status == 404 || status == 410)) {
            discard(response);
            return new Fetched(status, null, dateHeader(response));
        }
        return new Fetched(status, ok(url, response), dateHeader(response));
    }

    /** A next link, absolute or relative, resolved; refused when it leaves the source's origin. */
    public String checkedNext(URI current, String next) throws SourceFetchException {
        URI resolved;
        try {
            // java.net.URI resolves a query-only reference ("?page=2") against the parent directory (RFC 2396);
            // RFC 3986 section 5.2.2 keeps the current path.
            resolved = next.startsWith("?") ? new URI(current.getScheme(), current.getRawAuthority(),
                    current.getRawPath(), null, null).resolve(current.getRawPath() + next) : current.resolve(next);
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw new SourceFetchException("malformed page: next link is not a URL", 0, null);
        }
        if (!origin.equals(origin(resolved))) {
            throw new SourceFetchException("next link of " + current.getPath() + " leads to another origin ("
                    + origin(resolved) + "); refused, the token stays at home", 0, null);
        }
        return resolved.toString();
    }

    private RestResponse<InputStream> get(URI url) throws SourceFetchException {
        for (int tries = 1;; tries++) {
            RestResponse<InputStream> response = send(url);
            if (response.getStatus() == 401 && token.refreshable()) {
                discard(response);
                token.invalidate();
                response = send(url);
            }
            int status = response.getStatus();
            Duration retryAfter = status == 429 || status == 503 ? retryAfter(response) : null;
            if (retryAfter == null) {
                return response;
            }
            budget.pause(retryAfter);
            if (tries > 2 || retryAfter.compareTo(RequestBudget.MAX_WAIT) > 0) {
                discard(response);
                throw new SourceFetchException("GET " + url.getPath() + " answered HTTP " + status + " with Retry-After "
                        + retryAfter.toSeconds() + " s: the source is left alone until " + budget.pausedUntil()
                        + " (at most " + RequestBudget.MAX_PAUSE.toHours() + " h is honoured)", status, null);
            }
            discard(response); // the next send() waits out the pause
        }
    }

    /**
     * The wait asked for, a date read against the answer's own Date (the server's clock); a past date is now; null
     * when absent, unreadable or a negative number (no delay-seconds at all).
     */
    private static Duration retryAfter(RestResponse<?> response) {
        String value = response.getHeaderString("Retry-After");
        if (value != null && value.trim().startsWith("-")) {
            return null;
        }
        Instant date = dateHeader(response);
        return RetryAfter.parse(value, date != null ? date : Instant.now())
                .map(d -> d.isNegative() ? Duration.ZERO : d).orElse(null);
    }

    private RestResponse<InputStream> send(URI url) throws SourceFetchException {
        budget.acquire(url.getPath());
        String authorization = token.header();
        try {
            return client.get(url.toString(), authorization);
        } catch (ProcessingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String what = cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")
                    ? "timed out" : "failed: " + cause.getClass().getSimpleName();
            throw new SourceFetchException("GET " + url.getPath() + " " + what, 0, cause);
        } catch (RuntimeException e) {
            throw new SourceFetchException("GET " + url.getPath() + " failed: " + e.getClass().getSimpleName(), 0, e);
        }
    }

    private byte[] ok(URI url, RestResponse<InputStream> response) throws SourceFetchException {
        int status = response.getStatus();
        if (status / 100 != 2) {
            discard(response);
        }
        if (status / 100 == 3) {
            throw new SourceFetchException("GET " + url.getPath() + " answered HTTP " + status
                    + " (redirects are not followed: the token stays at home)", status, null);
        }
        if (status / 100 != 2) {
            throw new SourceFetchException("GET " + url.getPath() + " answered HTTP " + status, status, null);
        }
        return body(url, response);
    }

    /** Reads the body up to {@code max-page-bytes}; a larger one fails the page without being read on. */
    private byte[] body(URI url, RestResponse<InputStream> response) throws SourceFetchException {
        try (InputStream in = response.getEntity()) {
            if (in == null) {
                return new byte[0];
            }
            byte[] body = in.readNBytes((int) Math.min(maxBodyBytes + 1, Integer.MAX_VALUE - 8));
            if (body.length > maxBodyBytes) {
                throw new SourceFetchException("GET " + url.getPath() + " answered a body larger than max-page-bytes ("
                        + maxBodyBytes + " bytes)", response.getStatus(), null);
            }
            return body;
        } catch (IOException e) {
            throw new SourceFetchException("GET " + url.getPath() + " failed while reading: "
                    + e.getClass().getSimpleName(), 0, e);
        }
    }

    private static void discard(RestResponse<InputStream> response) {
        try (InputStream in = response.getEntity()) {
            // closing the stream drops the rest of an unwanted body
        } catch (IOException | RuntimeException e) {
            // nothing to keep
        }
    }

    /** RFC 9110 section 5.6.7 IMF-fixdate; null when absent or unreadable. */
    private static Instant dateHeader(RestResponse<?> response) {
        String date = response.getHeaderString("Date");
        if (date == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static URI origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase();
        return URI.create(scheme + "://" + host + ":" + port);
    }
}
