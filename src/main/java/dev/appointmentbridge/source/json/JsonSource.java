package dev.appointmentbridge.source.json;

import dev.appointmentbridge.source.http.SourceHttp;
import dev.appointmentbridge.source.http.RequestBudget;
import dev.appointmentbridge.source.http.SourceToken;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PatientName;
import dev.appointmentbridge.source.HistoryPage;
import dev.appointmentbridge.source.WindowScope;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourceClient;
import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.source.SourcePage;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * A plain JSON scheduling API (docs/polling.md, "Generic JSON REST sources"), configured only by properties: a URL
 * template, the items' JSON Pointer, the paging rule, a JSON Pointer per field and a status map. HTTP,
 * credentials and origins are {@link SourceHttp}'s, exactly as for FHIR sources.
 *
 * <p>Such APIs say nothing about their sort order, so pages are followed by the API's own paging and the
 * cursor moves only when a cycle ends (CursorCycle's unsorted path), capped by the server's {@code Date}.
 */
public class JsonSource implements PolledSource, dev.appointmentbridge.source.SyncTokenFeed {

    private final String name;
    private final SourcesConfig.Source config;
    private final SourceHttp http;
    private final ObjectReader reader;
    private final JsonItemMapper mapper;
    private final JsonPointer items;
    /** The error envelope's place, or null when none is checked. */
    private final JsonPointer errorPointer;
    private final JsonSourceChecks.Paging paging;
    private final JsonPointer nextPointer;
    private final Mode mode;
    /** mode=sync-token: where a page carries the token, and the token of the last page read (null: none). */
    private final JsonPointer syncPointer;
    private volatile String syncToken;
    /** Graph's delta links run to a few thousand characters; a token far longer would not fit the next URL. */
    static final int MAX_SYNC_TOKEN = 65_536;

    /** @throws IllegalArgumentException naming the setting, when the configuration cannot work */
    public JsonSource(String name, SourcesConfig.Source config, SourceClient client, ObjectReader reader,
            SourceToken token) {
        this.name = name;
        this.config = config;
        String prefix = "bridge.sources." + name + ".";
        String url = config.url().orElseThrow(() -> new IllegalArgumentException(prefix + "url is required for type=json"));
        this.http = new SourceHttp(client, token, URI.create(UrlTemplate.fill(url, Map.of())), config.maxPageBytes().asLongValue(),
                new RequestBudget(config.maxRequestsPerSecond(), java.time.Clock.systemUTC()));
        this.reader = reader;
        this.mapper = new JsonItemMapper(name, config.fields(), config.statusMap());
        this.items = JsonItemMapper.pointer(prefix + "items", config.items().orElse(""));
        this.errorPointer = config.errorPointer().isBlank() ? null
                : JsonItemMapper.pointer(prefix + "error-pointer", config.errorPointer());
        JsonSourceChecks.Checked checked = JsonSourceChecks.check(prefix, config, url);
        this.mode = checked.mode();
        this.paging = checked.paging();
        this.nextPointer = checked.nextPointer();
        this.syncPointer = config.syncToken().map(p -> JsonItemMapper.pointer(prefix + "sync-token", p)).orElse(null);
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
        return config.url().orElseThrow();
    }

    /** The list URL with its placeholders empty: what operators see (through SafeUrl). */
    @Override
    public String displayUrl() {
        return UrlTemplate.fill(url(), Map.of());
    }

    @Override
    public Mode mode() {
        return mode;
    }

    /** 60 s unless set: JSON APIs often stamp updated_at when a transaction starts and commit it later. */
    @Override
    public java.time.Duration cursorOverlap() {
        return config.cursorOverlap().orElse(java.time.Duration.ofSeconds(60));
    }

    @Override
    public boolean readsHistory() {
        return false;
    }

    @Override
    public boolean readsById() {
        return config.itemUrl().isPresent();
    }

    @Override
    public SourcePage search(Instant since) throws SourceFetchException {
        Map<String, String> vars = new HashMap<>();
        vars.put("cursor", since == null ? "" : DateTimeFormatter.ISO_INSTANT.format(since));
        return first(url(), vars);
    }

    /**
     * The listing from {@code token}: a token that is a URL (Microsoft Graph's {@code @odata.deltaLink}) is
     * requested as given, on the source's origin; any other fills {@code {cursor}} of {@code url}.
     */
    @Override
    public SourcePage list(String token) throws SourceFetchException {
        syncToken = null;
        if (token != null && isUrl(token)) {
            contexts.clear();
            URI base = URI.create(displayUrl());
            return pageFrom(URI.create(http.checkedNext(base, token)));
        }
        return first(url(), new HashMap<>(Map.of("cursor", token == null ? "" : token)));
    }

    /** A sync token that is a link, resolved against the page that carried it and kept on the source's origin. */
    private String tokenLink(URI page, String link) throws SourceFetchException {
        try {
            return http.checkedNext(page, link);
        } catch (SourceFetchException e) {
            throw new SourceFetchException("the sync token link at bridge.sources." + name + ".sync-token of GET "
                    + page.getPath() + " is refused (" + e.getMessage() + "): not stored", e.status(), null);
        }
    }

    private static boolean isUrl(String token) {
        String lower = token.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    @Override
    public String syncToken() {
        return syncToken;
    }

    @Override
    public java.util.List<WindowScope> scopes() {
        return java.util.List.of(WindowScope.NONE);
    }

    @Override
    public java.time.Duration slice() {
        return config.window().slice().orElse(null);
    }

    /** Window mode, or a changed-since source with reconcile.url (its sweeps read that listing). */
    @Override
    public boolean scansWindows() {
        return mode == Mode.WINDOW || config.reconcile().url().isPresent();
    }

    @Override
    public String absenceReason() {
        return dev.appointmentbridge.event.CanonicalEvent.REASON_REMOVED;
    }

    @Override
    public Instant pausedUntil() {
        return http.budget().pausedUntil();
    }

    @Override
    public SourcePage window(WindowScope scope, Instant from, Instant to) throws SourceFetchException {
        Map<String, String> vars = new HashMap<>();
        vars.put("from", DateTimeFormatter.ISO_INSTANT.format(from));
        vars.put("to", DateTimeFormatter.ISO_INSTANT.format(to));
        return first(mode == Mode.WINDOW ? url() : config.reconcile().url().orElseThrow(), vars);
    }

    private SourcePage first(String template, Map<String, String> vars) throws SourceFetchException {
        contexts.clear(); // a new chain: one cycle of a source runs at a time (PollService, lease)
        vars.put("page", paging == JsonSourceChecks.Paging.CURSOR_TOKEN ? "" : "1");
        return page(URI.create(UrlTemplate.fill(template, vars)), template, vars, 1, 0);
    }

    @Override
    public SourcePage next(SourcePage page) throws SourceFetchException {
        return pageFrom(URI.create(Objects.requireNonNull(page.next(), "no next page")));
    }

    @Override
    public HistoryPage history(Instant since) throws SourceFetchException {
        throw new SourceFetchException("JSON sources have no _history", 501, null);
    }

    @Override
    public HistoryPage next(HistoryPage page) throws SourceFetchException {
        throw new SourceFetchException("JSON sources have no _history", 501, null);
    }

    @Override
    public ReadResult read(String id) throws SourceFetchException {
        String template = config.itemUrl()
                .orElseThrow(() -> new SourceFetchException("bridge.sources." + name + ".item-url is not set", 0, null));
        // "." and ".." are path segments, not ids, to a server: written as %2E so the request names this item.
        URI url = URI.create(UrlTemplate.fill(template, Map.of("id", id)).replace("/..", "/%2E%2E").replace("/./", "/%2E/"));
        SourceHttp.Fetched fetched = http.fetchOrGone(url);
        if (fetched.gone()) {
            return new ReadResult.Gone(fetched.status());
        }
        JsonNode item = tree(fetched.body());
        List<AppointmentRecord> records = new ArrayList<>(1);
        List<PoisonRecord> poison = new ArrayList<>(1);
        Map<String, PatientName> patients = new HashMap<>();
        List<String> removed = new ArrayList<>(0);
        PageRecords.add(mapper.map(item), records, poison, patients, removed);
        return new ReadResult.Found(new SourcePage(records, poison, patients, null, fetched.date(), false, removed));
    }

    /**
     * The variables and number of each next page this source built ({@code page-param}, {@code cursor:}), by URL,
     * so that page can build the one after it. Holds one entry: a chain's page is removed when it is read.
     */
    private final Map<String, PageContext> contexts = new java.util.concurrent.ConcurrentHashMap<>();

    private record PageContext(String template, Map<String, String> vars, int number, int previousIds) {
    }

    private SourcePage pageFrom(URI url) throws SourceFetchException {
        PageContext context = contexts.remove(url.toString());
        return context == null ? page(url, url(), Map.of(), 0, 0) : page(url, context.template(), context.vars(),
                context.number(), context.previousIds());
    }

    private SourcePage page(URI url, String template, Map<String, String> vars, int number, int previousIds)
            throws SourceFetchException {
        SourceHttp.Fetched fetched = http.fetch(url);
        JsonNode root = tree(fetched.body());
        if (errorPointer != null) {
            JsonNode error = root.at(errorPointer);
            if (!PageRecords.noError(error)) {
                // An API that answers 200 with an error beside an empty list must not end paging as if done (the
                // next pages, and a window scan's absences, would be concluded from a failure).
                throw new SourceFetchException("page " + Math.max(number, 1) + " of GET " + url.getPath()
                        + " carries an error at " + config.errorPointer() + " (bridge.sources." + name
                        + ".error-pointer): nothing of it is used", 0, null);
            }
        }
        if (syncPointer != null) { // the last page read holds it: Google sends nextSyncToken on the last page only
            JsonNode token = root.at(syncPointer);
            String value = token.isValueNode() && !token.isNull() && !token.asText().isBlank() ? token.asText() : null;
            if (value != null && value.length() > MAX_SYNC_TOKEN) {
                throw new SourceFetchException("the sync token at bridge.sources." + name + ".sync-token is longer"
                        + " than " + MAX_SYNC_TOKEN + " characters: not stored, the next cycle asks with the old one",
                        0, null);
            }
            // A token that is a URL (Microsoft Graph's @odata.deltaLink) is followed as given, so it must stay on
            // the source's origin like a next link: checked before it is stored, not when it is used.
            // Without {cursor} in url the token can only be a link: a relative one is resolved against this page.
            syncToken = value != null && (isUrl(value) || !url().contains("{cursor}")) ? tokenLink(url, value) : value;
        }
        JsonNode list = root.at(items);
        if (!list.isArray()) {
            throw new SourceFetchException("malformed page: bridge.sources." + name + ".items ('" + config.items().orElse("")
                    + "') is not an array in GET " + url.getPath(), 0, null);
        }
        List<JsonItemMapper.Mapped> mapped = new ArrayList<>(list.size());
        for (JsonNode item : list) {
            mapped.add(mapper.map(item));
        }
        if (mode == Mode.SYNC_TOKEN) {
            mapped = PageRecords.lastOccurrences(mapped);
        }
        List<AppointmentRecord> records = new ArrayList<>(list.size());
        List<PoisonRecord> poison = new ArrayList<>();
        Map<String, PatientName> patients = new HashMap<>();
        List<String> removed = new ArrayList<>();
        for (JsonItemMapper.Mapped m : mapped) {
            PageRecords.add(m, records, poison, patients, removed);
        }
        PageRecords.listedOnce(records, poison, removed);
        int ids = records.stream().map(AppointmentRecord::id).toList().hashCode() * 31 + poison.size();
        if (paging == JsonSourceChecks.Paging.PAGE_PARAM && number > 1 && !list.isEmpty() && ids == previousIds) {
            // An API that ignores {page} answers page 1 forever: without this, up to max-pages requests per cycle.
            throw new SourceFetchException("page " + number + " of GET " + url.getPath() + " lists the same items as"
                    + " page " + (number - 1) + ": the API ignores {page}; set bridge.sources." + name
                    + ".next to its own paging", 0, null);
        }
        String next = switch (paging) {
            case NONE -> null;
            case LINK -> {
                JsonNode link = root.at(nextPointer);
                yield link.isTextual() && !link.asText().isBlank() ? http.checkedNext(url, link.asText()) : null;
            }
            case PAGE_PARAM -> list.isEmpty() ? null
                    : following(template, vars, Integer.toString(number + 1), number + 1, ids);
            case CURSOR_TOKEN -> {
                JsonNode token = root.at(nextPointer);
                yield token.isValueNode() && !token.isNull() && !token.asText().isBlank()
                        ? following(template, vars, token.asText(), number + 1, ids) : null;
            }
        };
        return new SourcePage(records, poison, patients, next, fetched.date(), false, removed);
    }

    /** The URL of the page after this one, remembered with its variables so that page can count on. */
    private String following(String template, Map<String, String> vars, String page, int number, int ids) {
        Map<String, String> nextVars = new HashMap<>(vars);
        nextVars.put("page", page);
        String url = UrlTemplate.fill(template, nextVars);
        contexts.put(url, new PageContext(template, nextVars, number, ids));
        return url;
    }

    private JsonNode tree(byte[] body) throws SourceFetchException {
        try {
            JsonNode node = reader.readTree(body);
            if (node == null) {
                throw new SourceFetchException("malformed page: empty body", 0, null);
            }
            return node;
        } catch (IOException e) {
            throw new SourceFetchException("malformed page: body is not valid JSON", 0, null);
        }
    }

}
