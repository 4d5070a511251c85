package dev.appointmentbridge.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectReader;

import jakarta.ws.rs.ProcessingException;

/**
 * One FHIR R4 server's Appointment API (design.md, "Poll cycle"): search by {@code _lastUpdated}, follow
 * {@code next} links, read {@code _history} for deletes and single appointments by id.
 *
 * <p>Credentials stay at home: the token goes only to the origin (scheme, host, port) of {@code base-url}. A
 * {@code next} link to another origin fails the page before anything is sent, and redirects are never
 * followed (a 3xx fails the page). Every non-2xx answer, timeout or malformed body is a
 * {@link SourceFetchException} whose message carries the path and status, never the body. A 401 with OAuth2
 * configured is retried once with a fresh token.
 */
public class FhirSource implements AppointmentFeed {

    private final String name;
    private final SourcesConfig.Source config;
    private final FhirClient client;
    private final FhirBundleParser parser;
    private final SourceToken token;
    private final URI origin;

    public FhirSource(String name, SourcesConfig.Source config, FhirClient client, ObjectReader reader,
            SourceToken token) {
        this.name = name;
        this.config = config;
        this.client = client;
        this.parser = new FhirBundleParser(reader);
        this.token = token;
        this.origin = origin(URI.create(config.baseUrl()));
    }

    public String name() {
        return name;
    }

    public SourcesConfig.Source config() {
        return config;
    }

    /** URL of the first page of appointments changed since {@code since} (all of them when null). */
    public URI searchUrl(Instant since) {
        StringBuilder url = new StringBuilder(base()).append("/Appointment?");
        if (since != null) {
            url.append("_lastUpdated=").append(encode("ge" + DateTimeFormatter.ISO_INSTANT.format(since))).append('&');
        }
        url.append("_sort=_lastUpdated&_count=").append(config.pageSize());
        if (config.includePatient()) {
            url.append("&_include=").append(encode("Appointment:patient"));
        }
        return URI.create(url.toString());
    }

    @Override
    public SourcePage search(Instant since) throws SourceFetchException {
        return page(searchUrl(since));
    }

    @Override
    public SourcePage next(SourcePage page) throws SourceFetchException {
        return page(URI.create(Objects.requireNonNull(page.next(), "no next page")));
    }

    @Override
    public HistoryPage history(Instant since) throws SourceFetchException {
        return historyPage(URI.create(base() + "/Appointment/_history?_since="
                + encode(DateTimeFormatter.ISO_INSTANT.format(since)) + "&_count=" + config.pageSize()));
    }

    @Override
    public HistoryPage next(HistoryPage page) throws SourceFetchException {
        return historyPage(URI.create(Objects.requireNonNull(page.next(), "no next page")));
    }

    @Override
    public ReadResult read(String id) throws SourceFetchException {
        URI url = URI.create(base() + "/Appointment/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        RestResponse<InputStream> response = get(url);
        if (response.getStatus() == 404 || response.getStatus() == 410) {
            discard(response);
            return new ReadResult.Gone(response.getStatus());
        }
        return new ReadResult.Found(parser.parseAppointment(ok(url, response)));
    }

    private SourcePage page(URI url) throws SourceFetchException {
        RestResponse<InputStream> response = get(url);
        SourcePage page = parser.parse(ok(url, response), dateHeader(response));
        return page.next() == null ? page
                : new SourcePage(page.appointments(), page.poison(), page.patients(), checkedNext(url, page.next()),
                        page.searchTime(), page.sortedByLastUpdated());
    }

    private HistoryPage historyPage(URI url) throws SourceFetchException {
        RestResponse<InputStream> response = get(url);
        HistoryPage page = parser.parseHistory(ok(url, response), dateHeader(response));
        return page.next() == null ? page
                : new HistoryPage(page.deletedIds(), checkedNext(url, page.next()), page.searchTime());
    }

    /** A next link, absolute or relative, resolved; refused when it leaves the source's origin. */
    private String checkedNext(URI current, String next) throws SourceFetchException {
        URI resolved;
        try {
            resolved = current.resolve(next);
        } catch (IllegalArgumentException e) {
            throw new SourceFetchException("malformed page: next link is not a URL", 0, null);
        }
        if (!origin.equals(origin(resolved))) {
            throw new SourceFetchException("next link of " + current.getPath() + " leads to another origin ("
                    + origin(resolved) + "); refused, the token stays at home", 0, null);
        }
        return resolved.toString();
    }

    private RestResponse<InputStream> get(URI url) throws SourceFetchException {
        RestResponse<InputStream> response = send(url);
        if (response.getStatus() == 401 && token.refreshable()) {
            discard(response);
            token.invalidate();
            response = send(url);
        }
        return response;
    }

    private RestResponse<InputStream> send(URI url) throws SourceFetchException {
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
        long limit = config.maxPageBytes().asLongValue();
        try (InputStream in = response.getEntity()) {
            if (in == null) {
                return new byte[0];
            }
            byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (body.length > limit) {
                throw new SourceFetchException("GET " + url.getPath() + " answered a body larger than max-page-bytes ("
                        + limit + " bytes)", response.getStatus(), null);
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

    private String base() {
        String url = config.baseUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static URI origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase();
        return URI.create(scheme + "://" + host + ":" + port);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
