package dev.appointmentbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A FHIR R4 server on loopback for tests that behaves the way real ones do, not the way the spec hopes:
 * <ul>
 * <li>{@code _lastUpdated=ge} / {@code _count} / {@code _offset} search sorted by meta.lastUpdated, recomputed
 * on every request, so offset pages shift when records change between them;</li>
 * <li>{@code Bundle.meta.lastUpdated} is the search's time; with {@link #cacheSearches} on, identical search
 * URLs reuse the first search's id list (and its time) for 60 s of the server's clock and serve the
 * <em>current</em> version of each id, as HAPI FHIR does; {@code Cache-Control: no-cache} bypasses it unless
 * the cache is told to ignore it (a proxy in between);</li>
 * <li>records may carry a meta.lastUpdated in the future ({@link #putRaw});</li>
 * <li>deletes leave no trace in searches; {@code Appointment/_history?_since=} lists them and
 * {@code GET Appointment/{id}} answers 410;</li>
 * <li>switchable faults: failing or garbage pages, delays, a {@code next} link or a redirect to another
 * origin, OAuth2 with revocable tokens, unreadable ("poison") records, reordered participants.</li>
 * </ul>
 * Window searches (issue 18): {@code date=ge..&date=lt..} with an optional {@code location}, {@code practitioner}
 * or {@code patient} scope, sorted by start and paged by next links. With {@link #millenniumContract} on, the
 * server follows Oracle Health Millennium's published R4 Appointment search and nothing more: exactly one of
 * {@code patient}, {@code practitioner}, {@code location}; {@code date} twice, a lower ({@code ge}/{@code gt}) and
 * an upper ({@code le}/{@code lt}) bound; no {@code _lastUpdated}, {@code _sort}, {@code _include} or
 * {@code _history}. A request outside it is a 400 and is listed in {@link #contractViolations()}.
 *
 * <p>The server's clock moves one second per write, so meta.lastUpdated is strictly increasing.
 */
public class FakeFhirServer implements AutoCloseable {

    public record Appt(String id, String status, Instant start, Instant end, String practitioner, String location,
            String patient, String replaces, Instant lastUpdated) {

        /** The same appointment with another status, for {@link #update}, which stamps a new lastUpdated. */
        public Appt withStatus(String newStatus) {
            return new Appt(id, newStatus, start, end, practitioner, location, patient, replaces, null);
        }
    }

    private record CachedSearch(List<String> ids, Instant time) {
    }

    private final HttpServer server;
    private final Map<String, Appt> appointments = new ConcurrentHashMap<>();
    private final Map<String, String> poison = new ConcurrentHashMap<>(); // id -> raw resource JSON
    private final Map<String, Instant> poisonUpdated = new ConcurrentHashMap<>();
    private final Map<String, Instant> deleted = new ConcurrentHashMap<>();
    private final Map<String, String[]> patients = new ConcurrentHashMap<>();
    private final Map<String, CachedSearch> cache = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private Instant clock = Instant.parse("2025-01-01T00:00:00Z");
    private volatile boolean absoluteNextLinks;
    private volatile int failFrom; // n-th search request after failPage() and on answer failStatus; 0 = none
    private volatile int failStatus = 500;
    private volatile String garbage;
    private volatile int garbageFrom;
    private final AtomicInteger searchesSinceFault = new AtomicInteger();
    private volatile long delayMillis;
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger searches = new AtomicInteger();
    private volatile boolean oauth;
    private volatile SmartTokenChecker smart;
    private volatile boolean cacheSearches;
    private volatile boolean cacheIgnoresNoCache;
    private volatile String foreignNext;
    private volatile String redirectTo;
    private volatile int historyStatus = 200;
    private volatile boolean reversedParticipants;
    private volatile String attender;
    private volatile Runnable afterFirstPage;
    private volatile boolean ignoreSort;
    private volatile long hugeBody;
    private final java.util.concurrent.atomic.AtomicLong hugeBytesSent = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Integer> readStatus = new ConcurrentHashMap<>();
    private volatile Instant bundleTime;
    private volatile boolean millennium;
    private volatile boolean emptyWindows;
    private final Map<String, String[]> alsoListedUnder = new ConcurrentHashMap<>();
    private final Set<String> hiddenFromSearches = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile String throttleRetryAfter;
    private final List<Long> searchStartNanos = new CopyOnWriteArrayList<>();

    public FakeFhirServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/fhir/Appointment", this::appointment);
        server.createContext("/token", this::token);
        server.createContext("/stats", ex -> write(ex, 200, "{\"requests\":" + requests.size() + ",\"violations\":"
                + violations.size() + "}"));
        server.createContext("/", ex -> {
            requests.add(ex.getRequestURI().toString());
            respond(ex, 404, "{}");
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    public String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public synchronized Instant now() {
        return clock;
    }

    /** Moves the server's clock on without a write (time passing between polls). */
    public synchronized void advance(Duration d) {
        clock = clock.plus(d);
    }

    public synchronized Appt put(String id, String status, Instant start, int minutes, String practitioner,
            String location, String patient, String replaces) {
        clock = clock.plusSeconds(1); // strictly increasing, like a server's meta.lastUpdated
        Appt a = new Appt(id, status, start, start.plusSeconds(minutes * 60L), practitioner, location, patient,
                replaces, clock);
        appointments.put(id, a);
        versionOf.put(a, versions.merge(id, 1, Integer::sum));
        poison.remove(id);
        deleted.remove(id);
        return a;
    }

    /** meta.versionId of each appointment: 1 for the first version, one more per write (as HAPI numbers them). */
    private final Map<String, Integer> versions = new java.util.concurrent.ConcurrentHashMap<>();
    /** The version number each stored version got, so a stale version served again keeps its old number. */
    private final Map<Appt, Integer> versionOf = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean versionIds = true;

    /** Whether meta.versionId is served (true unless turned off: some servers give none). */
    public void versionIds(boolean on) {
        versionIds = on;
    }

    public Appt put(String id, String status, Instant start, String practitioner, String patient) {
        return put(id, status, start, 30, practitioner, "loc-1", patient, null);
    }

    /** Re-puts an appointment with new values (and a newer lastUpdated). */
    public Appt update(String id, java.util.function.UnaryOperator<Appt> change) {
        Appt changed = change.apply(appointments.get(id));
        return put(id, changed.status(), changed.start(),
                (int) java.time.Duration.between(changed.start(), changed.end()).toMinutes(), changed.practitioner(),
                changed.location(), changed.patient(), changed.replaces());
    }

    /** Stores a version as-is, lastUpdated included: stale, out-of-order or future-dated data. */
    public void putRaw(Appt a) {
        appointments.put(a.id(), a);
        // A version stored before (a stale one served again) keeps its number; any other is a new version,
        // however it is dated.
        versionOf.computeIfAbsent(a, v -> versions.merge(a.id(), 1, Integer::sum));
    }

    /** An Appointment this server serves as given (minus meta, which it stamps): to serve unreadable records. */
    public synchronized void putPoison(String id, String resourceJsonWithoutMeta) {
        clock = clock.plusSeconds(1);
        appointments.remove(id);
        poison.put(id, resourceJsonWithoutMeta);
        poisonUpdated.put(id, clock);
    }

    /** DELETE: gone from searches, in _history, 410 on read. */
    public synchronized void delete(String id) {
        clock = clock.plusSeconds(1);
        appointments.remove(id);
        poison.remove(id);
        deleted.put(id, clock);
    }

    public void patient(String id, String given, String family) {
        patients.put(id, new String[] { given, family });
    }

    /** The {@code page}-th search request from now on, and every later one, answers {@code status}; 0 = off. */
    public void failPage(int page, int status) {
        searchesSinceFault.set(0);
        this.failFrom = page;
        this.failStatus = status;
    }

    /** Answers search requests from the {@code fromPage}-th on with HTTP 200 and this body; null turns it off. */
    public void garbage(String body, int fromPage) {
        searchesSinceFault.set(0);
        this.garbage = body;
        this.garbageFrom = fromPage;
    }

    public void malformed(boolean on) {
        garbage(on ? "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":" : null, 1);
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    public void absoluteNextLinks(boolean on) {
        this.absoluteNextLinks = on;
    }

    /** HAPI's search cache; {@code ignoreNoCache} makes it serve cached results even to no-cache requests. */
    public void cacheSearches(boolean on, boolean ignoreNoCache) {
        this.cacheSearches = on;
        this.cacheIgnoresNoCache = ignoreNoCache;
        cache.clear();
    }

    /** Every page's {@code next} link points at this URL (another origin), or null for normal links. */
    public void foreignNext(String url) {
        this.foreignNext = url;
    }

    /** Every search answers 302 to this URL; null turns it off. */
    public void redirectTo(String url) {
        this.redirectTo = url;
    }

    /** Status of {@code _history} (e.g. 404 for a server without it). */
    public void historyStatus(int status) {
        this.historyStatus = status;
    }

    /** Participants listed in reverse order; with an attender, an ATND Practitioner beside the PPRF one. */
    public void participants(boolean reversed, String attenderPractitioner) {
        this.reversedParticipants = reversed;
        this.attender = attenderPractitioner;
    }

    /** Runs once, right after the next search's first page was computed (a change between two pages). */
    public void afterFirstPage(Runnable change) {
        this.afterFirstPage = change;
    }

    /** Searches answer a Bundle padded to this many bytes, streamed; 0 = off. */
    public void hugeBody(long bytes) {
        hugeBytesSent.set(0);
        this.hugeBody = bytes;
    }

    /** How much of the last huge body went out before the client stopped reading. */
    public long hugeBytesSent() {
        return hugeBytesSent.get();
    }

    /** {@code GET Appointment/{id}} answers this status for that id. */
    public void readStatus(String id, int status) {
        readStatus.put(id, status);
    }

    /** Serves searches in id order and leaves {@code _sort} out of the self link, as a server without it does. */
    public void ignoreSort(boolean on) {
        this.ignoreSort = on;
    }

    /** While ignoring the sort, still echo {@code _sort=_lastUpdated} in the self link (microsoft/fhir-server #620). */
    public void echoIgnoredSort(boolean on) {
        this.echoIgnoredSort = on;
    }

    private volatile boolean echoIgnoredSort;

    /** Stamps this Bundle.meta.lastUpdated on searches instead of the search's time; null = normal. */
    public void bundleTime(Instant time) {
        this.bundleTime = time;
    }

    public void enableOAuth() {
        this.oauth = true;
    }

    /** Issues tokens only for SMART Backend Services requests this checker passes. */
    public void enableSmart(SmartTokenChecker checker) {
        this.smart = checker;
        this.oauth = true;
    }

    /** Makes every token issued so far invalid, as an expired or revoked token would be. */
    public void revokeTokens() {
        validTokens.clear();
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    public int searches() {
        return searches.get();
    }

    /** Every request URI this server got, in order (including ones it answered 404). */
    public List<String> requests() {
        return requests;
    }

    /** Follow Oracle Health Millennium's Appointment search contract, and refuse anything else (issue 18). */
    public void millenniumContract(boolean on) {
        millennium = on;
    }

    /** Requests that broke the Millennium contract, each with its URL. */
    public List<String> contractViolations() {
        return violations;
    }

    /** The next {@code times} searches are answered 429 with this {@code Retry-After} value. */
    public void throttle(int times, String retryAfter) {
        throttleRetryAfter = retryAfter;
        throttled.set(times);
    }

    /** Window searches answer an empty bundle, successfully (a server in trouble that says "nothing here"). */
    public void emptyWindowAnswers(boolean on) {
        emptyWindows = on;
    }

    /**
     * A server contradicting itself: window searches of {@code location} also list appointment {@code id}, as if
     * it were there, while every other answer has it where it is.
     */
    public void alsoListUnder(String id, String location) {
        alsoListUnder(id, location, null);
    }

    /** As {@link #alsoListUnder(String, String)}, the copy with another status (null: the same). */
    public void alsoListUnder(String id, String location, String status) {
        alsoListedUnder.put(id, new String[] {location, status});
    }

    /** Window searches leave the appointment out (an index that lost it); reads by id still find it. */
    public void hideFromSearches(String id, boolean hidden) {
        if (hidden) {
            hiddenFromSearches.add(id);
        } else {
            hiddenFromSearches.remove(id);
        }
    }

    /** When each search arrived ({@link System#nanoTime()}), to check a source's pacing. */
    public List<Long> searchStartNanos() {
        return searchStartNanos;
    }

    private void token(HttpExchange ex) throws IOException {
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        SmartTokenChecker checker = smart;
        if (checker != null) {
            if (checker.check(form, basic, tokenUrl()) != null) {
                respond(ex, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String token = "tok-" + tokensIssued.incrementAndGet();
            validTokens.add(token);
            respond(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            return;
        }
        boolean secretOk = form.contains("client_secret=s3cret") || basic != null && new String(
                java.util.Base64.getDecoder().decode(basic.substring("Basic ".length())), StandardCharsets.UTF_8)
                .equals("bridge:s3cret");
        if (!form.contains("grant_type=client_credentials") || !secretOk) {
            respond(ex, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = "tok-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        respond(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private void appointment(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestURI().toString());
        if (oauth) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !validTokens.contains(auth.replace("Bearer ", ""))) {
                respond(ex, 401, "{\"resourceType\":\"OperationOutcome\"}");
                return;
            }
        }
        String path = ex.getRequestURI().getPath();
        if (path.equals("/fhir/Appointment/_history")) {
            if (millennium) {
                violations.add("_history is not offered: " + ex.getRequestURI());
                respond(ex, 404, "{\"resourceType\":\"OperationOutcome\"}");
                return;
            }
            history(ex);
        } else if (path.startsWith("/fhir/Appointment/")) {
            read(ex, path.substring("/fhir/Appointment/".length()));
        } else {
            search(ex);
        }
    }

    private void read(HttpExchange ex, String id) throws IOException {
        Integer forced = readStatus.get(id);
        if (forced != null) {
            respond(ex, forced, "{\"resourceType\":\"OperationOutcome\"}");
            return;
        }
        Appt a = appointments.get(id);
        if (a != null) {
            respond(ex, 200, appointmentJson(a));
        } else if (poison.containsKey(id)) {
            respond(ex, 200, poisonJson(id));
        } else {
            respond(ex, deleted.containsKey(id) ? 410 : 404, "{\"resourceType\":\"OperationOutcome\"}");
        }
    }

    private void history(HttpExchange ex) throws IOException {
        if (historyStatus != 200) {
            respond(ex, historyStatus, "{\"resourceType\":\"OperationOutcome\"}");
            return;
        }
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        Instant since = OffsetDateTime.parse(q.get("_since")).toInstant();
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"history\",\"meta\":{\"lastUpdated\":\"")
                .append(now()).append("\"},\"entry\":[");
        boolean first = true;
        for (Map.Entry<String, Instant> d : deleted.entrySet()) {
            if (!d.getValue().isBefore(since)) {
                json.append(first ? "" : ",").append("{\"request\":{\"method\":\"DELETE\",\"url\":\"Appointment/")
                        .append(d.getKey()).append("/_history/2\"},\"response\":{\"status\":\"200 OK\"}}");
                first = false;
            }
        }
        respond(ex, 200, json.append("]}").toString());
    }

    private void search(HttpExchange ex) throws IOException {
        searchStartNanos.add(System.nanoTime());
        if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.getResponseHeaders().set("Retry-After", throttleRetryAfter);
            respond(ex, 429, "{\"resourceType\":\"OperationOutcome\"}");
            return;
        }
        searches.incrementAndGet();
        int nth = searchesSinceFault.incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (redirectTo != null) {
            ex.getResponseHeaders().set("Location", redirectTo);
            respond(ex, 302, "");
            return;
        }
        if (hugeBody > 0) {
            ex.getResponseHeaders().set("Content-Type", "application/fhir+json");
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (OutputStream out = ex.getResponseBody()) {
                out.write("{\"resourceType\":\"Bundle\",\"entry\":[".getBytes(StandardCharsets.UTF_8));
                while (hugeBytesSent.get() < hugeBody) {
                    out.write(chunk);
                    hugeBytesSent.addAndGet(chunk.length);
                }
                out.write("]}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the client stopped reading
            }
            return;
        }
        if (failFrom > 0 && nth >= failFrom) {
            respond(ex, failStatus, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"boom\"}]}");
            return;
        }
        String garbageBody = garbage;
        if (garbageBody != null && nth >= garbageFrom) {
            respond(ex, 200, garbageBody);
            return;
        }
        List<String[]> all = queryAll(ex.getRequestURI().getRawQuery());
        if (millennium || all.stream().anyMatch(p -> p[0].equals("date"))) {
            windowSearch(ex, all);
            return;
        }
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int count = Integer.parseInt(q.getOrDefault("_count", "100"));
        int offset = Integer.parseInt(q.getOrDefault("_offset", "0"));
        Instant since = q.containsKey("_lastUpdated")
                ? OffsetDateTime.parse(q.get("_lastUpdated").substring(2)).toInstant()
                : Instant.MIN;
        String cacheKey = ex.getRequestURI().getPath() + "?" + withoutOffset(ex.getRequestURI().getRawQuery());
        boolean noCache = "no-cache".equals(ex.getRequestHeaders().getFirst("Cache-Control"));
        CachedSearch search;
        synchronized (this) {
            CachedSearch cached = cacheSearches ? cache.get(cacheKey) : null;
            boolean usable = cached != null && cached.time().plusSeconds(60).isAfter(clock)
                    && (!noCache || cacheIgnoresNoCache);
            if (usable) {
                search = cached;
            } else {
                search = new CachedSearch(matching(since), clock);
                if (cacheSearches) {
                    cache.put(cacheKey, search);
                }
            }
        }
        List<String> slice = search.ids().subList(Math.min(offset, search.ids().size()),
                Math.min(offset + count, search.ids().size()));
        String self = baseUrl() + "/Appointment?" + (ignoreSort && !echoIgnoredSort
                ? withoutSort(ex.getRequestURI().getRawQuery()) : ex.getRequestURI().getRawQuery());
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"meta\":{\"lastUpdated\":\"")
                .append(bundleTime != null ? bundleTime : search.time()).append("\"},\"link\":[{\"relation\":\"self\",\"url\":\"")
                .append(self).append("\"}");
        if (offset + count < search.ids().size()) {
            String next = "Appointment?" + (q.containsKey("_lastUpdated") ? "_lastUpdated=ge" + since + "&" : "")
                    + "_sort=_lastUpdated&_count=" + count + "&_offset=" + (offset + count)
                    + (q.containsKey("_include") ? "&_include=" + q.get("_include") : "");
            String url = foreignNext != null ? foreignNext : absoluteNextLinks ? baseUrl() + "/" + next : next;
            json.append(",{\"relation\":\"next\",\"url\":\"").append(url).append("\"}");
        }
        json.append("],\"entry\":[");
        Map<String, String[]> included = new LinkedHashMap<>();
        boolean first = true;
        for (String id : slice) {
            Appt a = appointments.get(id); // the current version, whatever the (cached) search saw
            String resource = a != null ? appointmentJson(a) : poison.containsKey(id) ? poisonJson(id) : null;
            if (resource == null) {
                continue; // deleted since the search ran
            }
            json.append(first ? "" : ",").append("{\"resource\":").append(resource).append('}');
            first = false;
            if (a != null && a.patient() != null && patients.containsKey(a.patient())) {
                included.put(a.patient(), patients.get(a.patient()));
            }
        }
        if ("Appointment:patient".equals(q.get("_include"))) {
            for (Map.Entry<String, String[]> p : included.entrySet()) {
                json.append(",{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"").append(p.getKey())
                        .append("\",\"name\":[{\"use\":\"official\",\"family\":\"").append(p.getValue()[1])
                        .append("\",\"given\":[\"").append(p.getValue()[0]).append("\"]}]},")
                        .append("\"search\":{\"mode\":\"include\"}}");
            }
        }
        json.append("]}");
        respond(ex, 200, json.toString());
        Runnable change = afterFirstPage;
        if (change != null && offset == 0) {
            afterFirstPage = null;
            change.run();
        }
    }

    /** {@code Appointment?[scope]&date=..&date=..}: appointments of the scope starting within both bounds, by start. */
    private void windowSearch(HttpExchange ex, List<String[]> params) throws IOException {
        String violation = millennium ? contractViolation(params) : null;
        if (violation != null) {
            violations.add(violation + ": " + ex.getRequestURI());
            respond(ex, 400, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"" + violation
                    + "\"}]}");
            return;
        }
        Instant lower = Instant.MIN;
        Instant upper = Instant.MAX;
        boolean lowerOpen = false;
        boolean upperOpen = false;
        String scope = null;
        String scopeValue = null;
        int count = 100;
        int offset = 0;
        for (String[] p : params) {
            switch (p[0]) {
                case "date" -> {
                    Instant at = OffsetDateTime.parse(p[1].substring(2)).toInstant();
                    String prefix = p[1].substring(0, 2);
                    if (prefix.equals("ge") || prefix.equals("gt")) {
                        lower = at;
                        lowerOpen = prefix.equals("gt");
                    } else {
                        upper = at;
                        upperOpen = prefix.equals("lt");
                    }
                }
                case "location", "practitioner", "patient" -> {
                    scope = p[0];
                    scopeValue = p[1];
                }
                case "_count" -> count = Integer.parseInt(p[1]);
                case "_offset" -> offset = Integer.parseInt(p[1]);
                default -> {
                }
            }
        }
        List<Appt> found = new ArrayList<>();
        for (Appt a : appointments.values()) {
            String ref = scope == null ? null : switch (scope) {
                case "location" -> a.location();
                case "practitioner" -> a.practitioner();
                default -> a.patient();
            };
            boolean inScope = scope == null || scopeValue.equals(ref);
            boolean afterLower = lowerOpen ? a.start().isAfter(lower) : !a.start().isBefore(lower);
            boolean beforeUpper = upperOpen ? a.start().isBefore(upper) : !a.start().isAfter(upper);
            if (inScope && afterLower && beforeUpper) {
                found.add(a);
            }
        }
        if ("location".equals(scope)) {
            for (Map.Entry<String, String[]> also : alsoListedUnder.entrySet()) {
                Appt a = appointments.get(also.getKey());
                String status = also.getValue()[1] != null ? also.getValue()[1] : a == null ? null : a.status();
                if (a != null && also.getValue()[0].equals(scopeValue) && !a.location().equals(scopeValue)
                        && !a.start().isBefore(lower) && a.start().isBefore(upper)) {
                    found.add(new Appt(a.id(), status, a.start(), a.end(), a.practitioner(), scopeValue,
                            a.patient(), a.replaces(), a.lastUpdated()));
                }
            }
        }
        found.removeIf(a -> hiddenFromSearches.contains(a.id()));
        if (emptyWindows) {
            found.clear();
        }
        found.sort(Comparator.comparing(Appt::start).thenComparing(Appt::id));
        List<Appt> page = found.subList(Math.min(offset, found.size()), Math.min(offset + count, found.size()));
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[");
        if (offset + count < found.size()) {
            json.append("{\"relation\":\"next\",\"url\":\"").append(baseUrl()).append("/Appointment?")
                    .append(withoutOffset(ex.getRequestURI().getRawQuery())).append("&_offset=").append(offset + count)
                    .append("\"}");
        }
        json.append("],\"entry\":[");
        for (int i = 0; i < page.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"resource\":").append(appointmentJson(page.get(i))).append('}');
        }
        respond(ex, 200, json.append("]}").toString());
    }

    /** Why a search breaks Millennium's contract, or null. */
    private static String contractViolation(List<String[]> params) {
        int scopes = 0;
        int lower = 0;
        int upper = 0;
        for (String[] p : params) {
            switch (p[0]) {
                case "location", "practitioner", "patient" -> scopes++;
                case "date" -> {
                    String prefix = p[1].length() > 2 ? p[1].substring(0, 2) : "";
                    if (prefix.equals("ge") || prefix.equals("gt")) {
                        lower++;
                    } else if (prefix.equals("le") || prefix.equals("lt")) {
                        upper++;
                    } else {
                        return "date needs a ge, gt, le or lt prefix";
                    }
                }
                case "_count", "_offset" -> {
                }
                default -> {
                    return "unsupported search parameter " + p[0];
                }
            }
        }
        if (scopes != 1) {
            return "exactly one of patient, practitioner or location is required";
        }
        if (lower != 1 || upper != 1) {
            return "date is required twice, with a lower (ge/gt) and an upper (le/lt) bound";
        }
        return null;
    }

    /** Every parameter of a query, in order, repeated ones included (date=ge..&date=lt..). */
    static List<String[]> queryAll(String raw) {
        List<String[]> all = new ArrayList<>();
        if (raw == null) {
            return all;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                all.add(new String[] {URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)});
            }
        }
        return all;
    }

    private synchronized List<String> matching(Instant since) {
        record Entry(String id, Instant lastUpdated) {
        }
        List<Entry> all = new ArrayList<>();
        appointments.values().forEach(a -> all.add(new Entry(a.id(), a.lastUpdated())));
        poisonUpdated.forEach((id, at) -> {
            if (poison.containsKey(id)) {
                all.add(new Entry(id, at));
            }
        });
        Comparator<Entry> order = ignoreSort ? Comparator.comparing(Entry::id)
                : Comparator.comparing(Entry::lastUpdated).thenComparing(Entry::id);
        return all.stream().filter(e -> !e.lastUpdated().isBefore(since)).sorted(order).map(Entry::id).toList();
    }

    private String poisonJson(String id) {
        String raw = poison.get(id);
        return raw.substring(0, raw.lastIndexOf('}')) + ",\"meta\":{\"lastUpdated\":\"" + poisonUpdated.get(id) + "\"}}";
    }

    private String appointmentJson(Appt a) {
        StringBuilder s = new StringBuilder("{\"resourceType\":\"Appointment\",\"id\":\"").append(a.id())
                .append("\",\"meta\":{").append(versionIds && versionOf.get(a) != null
                        ? "\"versionId\":\"" + versionOf.get(a) + "\"," : "")
                .append("\"lastUpdated\":\"").append(a.lastUpdated()).append("\"},\"status\":\"")
                .append(a.status()).append("\",\"start\":\"").append(a.start()).append("\",\"end\":\"")
                .append(a.end()).append("\",\"participant\":[");
        List<String> parts = new ArrayList<>();
        if (a.patient() != null) {
            parts.add(participant("Patient/" + a.patient(), null));
        }
        if (a.practitioner() != null) {
            parts.add(participant("Practitioner/" + a.practitioner(), attender != null ? "PPRF" : null));
        }
        if (attender != null) {
            parts.add(participant("Practitioner/" + attender, "ATND"));
        }
        if (a.location() != null) {
            parts.add(participant("Location/" + a.location(), null));
        }
        if (reversedParticipants) {
            java.util.Collections.reverse(parts);
        }
        s.append(String.join(",", parts)).append(']');
        if (a.replaces() != null) {
            s.append(",\"extension\":[{\"url\":\"http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces\",")
                    .append("\"valueReference\":{\"reference\":\"Appointment/").append(a.replaces()).append("\"}}]");
        }
        return s.append('}').toString();
    }

    private static String participant(String reference, String type) {
        String typeJson = type == null ? ""
                : ",\"type\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\","
                        + "\"code\":\"" + type + "\"}]}]";
        return "{\"actor\":{\"reference\":\"" + reference + "\"}" + typeJson + ",\"status\":\"accepted\"}";
    }

    private static String withoutSort(String raw) {
        return raw == null ? "" : String.join("&", java.util.Arrays.stream(raw.split("&"))
                .filter(p -> !p.startsWith("_sort=")).toList());
    }

    private static String withoutOffset(String raw) {
        if (raw == null) {
            return "";
        }
        return String.join("&", java.util.Arrays.stream(raw.split("&")).filter(p -> !p.startsWith("_offset=")).toList());
    }

    /** A query string's parameters, decoded (shared by the fake servers of this package). */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private void respond(HttpExchange ex, int status, String body) throws IOException {
        // Date from the server's own clock, as on a real server, where Date and meta.lastUpdated share one.
        ex.getResponseHeaders().set("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(now().atZone(java.time.ZoneOffset.UTC)));
        write(ex, status, body);
    }

    private static void write(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/fhir+json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
