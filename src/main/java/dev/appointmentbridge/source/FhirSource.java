package dev.appointmentbridge.source;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Client of one FHIR R4 server's Appointment search: builds the first page's URL from the cursor, then
 * follows {@code next} links (absolute or relative). Every non-2xx answer, timeout or malformed page is a
 * {@link SourceFetchException}; a 401 with OAuth2 configured is retried once with a fresh token.
 */
public class FhirSource {

    private final String name;
    private final SourcesConfig.Source config;
    private final HttpClient http;
    private final FhirBundleParser parser;
    private final OAuth2TokenProvider oauth2;

    public FhirSource(String name, SourcesConfig.Source config, HttpClient http, ObjectReader reader, Clock clock) {
        this.name = name;
        this.config = config;
        this.http = http;
        this.parser = new FhirBundleParser(reader);
        this.oauth2 = config.auth().oauth2()
                .map(o -> new OAuth2TokenProvider(o, http, reader, config.requestTimeout(), clock)).orElse(null);
    }

    public String name() {
        return name;
    }

    public SourcesConfig.Source config() {
        return config;
    }

    /** URL of the first page of appointments changed since {@code cursor} (all of them when null). */
    public URI firstPage(Instant cursor) {
        StringBuilder url = new StringBuilder(stripSlash(config.baseUrl())).append("/Appointment?");
        if (cursor != null) {
            url.append("_lastUpdated=").append(encode("ge" + DateTimeFormatter.ISO_INSTANT.format(cursor)))
                    .append('&');
        }
        url.append("_sort=_lastUpdated&_count=").append(config.pageSize());
        if (config.includePatient()) {
            url.append("&_include=").append(encode("Appointment:patient"));
        }
        return URI.create(url.toString());
    }

    /**
     * Starts fetching a page; parsing happens on the HTTP client's threads, so the poll cycle can write
     * one page while the next is on its way.
     */
    public CompletableFuture<SourcePage> fetchAsync(URI url) {
        return send(url).thenCompose(response -> {
            if (response.statusCode() == 401 && oauth2 != null) {
                oauth2.invalidate();
                return send(url);
            }
            return CompletableFuture.completedFuture(response);
        }).thenApply(response -> {
            try {
                return page(url, response);
            } catch (SourceFetchException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Waits for a page, unwrapping the failure into a {@link SourceFetchException}. */
    public static SourcePage await(CompletableFuture<SourcePage> pending) throws SourceFetchException {
        try {
            return pending.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof SourceFetchException fetch) {
                throw fetch;
            }
            throw new SourceFetchException("page fetch failed: " + cause.getClass().getSimpleName(), 0, cause);
        }
    }

    private SourcePage page(URI url, HttpResponse<byte[]> response) throws SourceFetchException {
        if (response.statusCode() / 100 != 2) {
            throw new SourceFetchException("GET " + url.getPath() + " answered HTTP " + response.statusCode(),
                    response.statusCode(), null);
        }
        SourcePage page = parser.parse(response.body());
        if (page.next() == null) {
            return page;
        }
        return new SourcePage(page.appointments(), page.patients(), url.resolve(page.next()).toString());
    }

    private CompletableFuture<HttpResponse<byte[]>> send(URI url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(config.requestTimeout())
                .header("Accept", "application/fhir+json, application/json").GET();
        try {
            if (oauth2 != null) {
                request.header("Authorization", "Bearer " + oauth2.token());
            } else {
                config.auth().bearerToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
            }
        } catch (SourceFetchException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(transportFailure(url, e)));
    }

    private static SourceFetchException transportFailure(URI url, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException) {
            return new SourceFetchException("GET " + url.getPath() + " timed out", 0, cause);
        }
        return new SourceFetchException("GET " + url.getPath() + " failed: " + cause.getClass().getSimpleName(), 0,
                cause);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
