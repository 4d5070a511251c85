package dev.appointmentbridge.source.fhir;

import dev.appointmentbridge.source.UrlValues;

import dev.appointmentbridge.source.http.SourceHttp;
import dev.appointmentbridge.source.http.RequestBudget;
import dev.appointmentbridge.source.http.SourceToken;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.HistoryPage;
import dev.appointmentbridge.source.WindowScope;
import dev.appointmentbridge.source.WindowChecks;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourceClient;
import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.source.SourcePage;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectReader;


/**
 * One FHIR R4 server's Appointment API (docs/polling.md, "Poll cycle"): search by {@code _lastUpdated}, follow
 * {@code next} links, read {@code _history} for deletes and single appointments by id. In window mode
 * (docs/polling.md, "FHIR servers without a change filter") it searches
 * {@code Appointment?{scope}&date=ge{from}&date=lt{to}} instead, the only search Oracle Health Millennium's R4
 * Appointment API offers; cursor sources' reconciliation sweeps use the same search.
 *
 * <p>HTTP, credentials and next-link origins are {@link SourceHttp}'s; a malformed body is a
 * {@link SourceFetchException} whose message never carries the body.
 */
public class FhirSource implements PolledSource {

    private final String name;
    private final SourcesConfig.Source config;
    private final SourceHttp http;
    private final FhirBundleParser parser;
    private final Mode mode;
    private final List<WindowScope> scopes;
    private final Duration slice;

    public FhirSource(String name, SourcesConfig.Source config, SourceClient client, ObjectReader reader,
            SourceToken token) {
        this.name = name;
        this.config = config;
        String base = config.baseUrl().orElseThrow(() -> new IllegalArgumentException("bridge.sources." + name
                + ".base-url is required for type=fhir"));
        String prefix = "bridge.sources." + name + ".";
        this.mode = switch (config.mode().orElse("cursor")) {
            case "cursor" -> Mode.CURSOR;
            case "window" -> Mode.WINDOW;
            default -> throw new IllegalArgumentException(prefix + "mode: '" + config.mode().get()
                    + "' is not a FHIR source mode; cursor (_lastUpdated) or window");
        };
        this.scopes = config.scopes().map(list -> WindowScope.parse(prefix + "scopes", list))
                .filter(list -> !list.isEmpty()).orElse(List.of(WindowScope.NONE));
        this.slice = config.window().slice().orElse(Duration.ofDays(1));
        WindowChecks.check(prefix, config, slice, mode == Mode.WINDOW || !config.reconcile().interval().isZero());
        if (config.reconcile().url().isPresent()) {
            throw new IllegalArgumentException(prefix + "reconcile.url is for JSON changed-since sources; a FHIR "
                    + "source's sweep searches Appointment by date");
        }
        config.searchParams().ifPresent(p -> checkSearchParams(prefix, p));
        this.http = new SourceHttp(client, token, URI.create(base), config.maxPageBytes().asLongValue(),
                new RequestBudget(config.maxRequestsPerSecond(), Clock.systemUTC()));
        this.parser = new FhirBundleParser(reader);
    }

    /**
     * Fixed parameters must form a query string (no fragment) and must not take over what the bridge sets itself or
     * empty its pages: names are compared decoded ({@code %5Fsort} is {@code _sort}) and without modifiers or
     * chains ({@code date:missing} is {@code date}, {@code location.name} is {@code location}), as a FHIR server
     * reads them.
     */
    public static void checkSearchParams(String prefix, String params) {
        try {
            if (params.contains("#") || params.contains("?")) {
                throw new IllegalArgumentException("a fragment or a second query");
            }
            URI.create("http://h/?" + params);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "search-params is not a query string (name=value pairs "
                    + "joined by '&', values URL-encoded)");
        }
        for (String pair : params.split("&")) {
            String raw = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            String key;
            try {
                key = java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                key = raw;
            }
            String name = key.split("[.:]", 2)[0];
            if (!key.matches("[A-Za-z_][A-Za-z0-9_-]*([.:][A-Za-z0-9_-]+)*") || RESERVED_PARAMS.contains(name)) {
                throw new IllegalArgumentException(prefix + "search-params: '" + key + "' is not a fixed parameter "
                        + "(empty, or one the bridge sets itself: " + String.join(", ", RESERVED_PARAMS) + ")");
            }
        }
    }

    /** What the bridge's own searches set: not for {@code search-params}. */
    private static final List<String> RESERVED_PARAMS = List.of("date", "_lastUpdated", "_sort", "_count", "_offset",
            "_include", "_revinclude", "_summary", "_elements", "location", "practitioner", "patient", "actor", "_id");

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourcesConfig.Source config() {
        return config;
    }

    @Override
    public String url() {
        return config.baseUrl().orElseThrow();
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public List<WindowScope> scopes() {
        return scopes;
    }

    @Override
    public Duration slice() {
        return slice;
    }

    @Override
    public boolean scansWindows() {
        return true;
    }

    @Override
    public String absenceReason() {
        return dev.appointmentbridge.event.CanonicalEvent.REASON_DELETED;
    }

    @Override
    public Instant pausedUntil() {
        return http.budget().pausedUntil();
    }

    @Override
    public boolean readsHistory() {
        return mode == Mode.CURSOR && config.detectDeletes() == SourcesConfig.DetectDeletes.history;
    }

    @Override
    public boolean readsById() {
        return true;
    }

    @Override
    public SourcePage window(WindowScope scope, Instant from, Instant to) throws SourceFetchException {
        return page(windowUrl(scope, from, to));
    }

    /**
     * {@code Appointment?{scope}&date=ge{from}&date=lt{to}[&search-params]&_count=}: both date bounds, one scope at
     * most, no {@code _sort} (Millennium sorts by start and refuses other sorts) and no {@code _lastUpdated}.
     */
    public URI windowUrl(WindowScope scope, Instant from, Instant to) {
        StringBuilder url = new StringBuilder(base()).append("/Appointment?");
        if (scope.param() != null) {
            url.append(scope.param()).append('=').append(encode(scope.value())).append('&');
        }
        url.append("date=").append(encode("ge" + DateTimeFormatter.ISO_INSTANT.format(from)))
                .append("&date=").append(encode("lt" + DateTimeFormatter.ISO_INSTANT.format(to)));
        config.searchParams().filter(p -> !p.isBlank()).ifPresent(p -> url.append('&').append(p));
        url.append("&_count=").append(config.pageSize());
        if (config.includePatient()) {
            url.append("&_include=").append(encode("Appointment:patient"));
        }
        return URI.create(url.toString());
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
        URI url = URI.create(base() + "/Appointment/" + UrlValues.encode(id));
        SourceHttp.Fetched fetched = http.fetchOrGone(url);
        return fetched.gone() ? new ReadResult.Gone(fetched.status())
                : new ReadResult.Found(parser.parseAppointment(fetched.body()));
    }

    private SourcePage page(URI url) throws SourceFetchException {
        SourceHttp.Fetched fetched = http.fetch(url);
        SourcePage page = parser.parse(fetched.body(), fetched.date());
        return page.next() == null ? page
                : new SourcePage(page.appointments(), page.poison(), page.patients(), http.checkedNext(url, page.next()),
                        page.searchTime(), page.sortedByLastUpdated());
    }

    private HistoryPage historyPage(URI url) throws SourceFetchException {
        SourceHttp.Fetched fetched = http.fetch(url);
        HistoryPage page = parser.parseHistory(fetched.body(), fetched.date());
        return page.next() == null ? page
                : new HistoryPage(page.deletedIds(), http.checkedNext(url, page.next()), page.searchTime());
    }

    private String base() {
        String url = url();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
