package dev.appointmentbridge.source;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectReader;


/**
 * One FHIR R4 server's Appointment API (design.md, "Poll cycle"): search by {@code _lastUpdated}, follow
 * {@code next} links, read {@code _history} for deletes and single appointments by id.
 *
 * <p>HTTP, credentials and next-link origins are {@link SourceHttp}'s; a malformed body is a
 * {@link SourceFetchException} whose message never carries the body.
 */
public class FhirSource implements PolledSource {

    private final String name;
    private final SourcesConfig.Source config;
    private final SourceHttp http;
    private final FhirBundleParser parser;

    public FhirSource(String name, SourcesConfig.Source config, SourceClient client, ObjectReader reader,
            SourceToken token) {
        this.name = name;
        this.config = config;
        String base = config.baseUrl().orElseThrow(() -> new IllegalArgumentException("bridge.sources." + name
                + ".base-url is required for type=fhir"));
        String mode = config.mode().orElse("cursor");
        if (!mode.equals("cursor")) {
            throw new IllegalArgumentException("bridge.sources." + name + ".mode: '" + mode + "' is not available"
                    + " for FHIR sources yet; cursor (window scans of FHIR servers are issue 18)");
        }
        this.http = new SourceHttp(client, token, URI.create(base), config.maxPageBytes().asLongValue());
        this.parser = new FhirBundleParser(reader);
    }

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
        return Mode.CURSOR;
    }

    @Override
    public boolean readsHistory() {
        return config.detectDeletes() == SourcesConfig.DetectDeletes.history;
    }

    @Override
    public boolean readsById() {
        return true;
    }

    @Override
    public SourcePage window(Instant from, Instant to) throws SourceFetchException {
        throw new SourceFetchException("window scans of FHIR sources are not built yet (issue 18)", 0, null);
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
