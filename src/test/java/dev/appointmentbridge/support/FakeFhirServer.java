package dev.appointmentbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A FHIR R4 Appointment search on loopback for tests: appointments kept in memory with a strictly
 * increasing meta.lastUpdated, _lastUpdated=ge / _count paging with relative or absolute next links,
 * _include of Patients, optional OAuth2 client-credentials token endpoint, and switchable faults.
 */
public class FakeFhirServer implements AutoCloseable {

    public record Appt(String id, String status, Instant start, Instant end, String practitioner, String location,
            String patient, String replaces, Instant lastUpdated) {

        /** The same appointment with another status, for {@link #update}, which stamps a new lastUpdated. */
        public Appt withStatus(String newStatus) {
            return new Appt(id, newStatus, start, end, practitioner, location, patient, replaces, null);
        }
    }

    private final HttpServer server;
    private final Map<String, Appt> appointments = new ConcurrentHashMap<>();
    private final Map<String, String[]> patients = new ConcurrentHashMap<>();
    private Instant clock = Instant.parse("2025-01-01T00:00:00Z");
    private volatile boolean absoluteNextLinks;
    private volatile int failPage; // 1-based page number that answers failStatus; 0 = none
    private volatile int failStatus = 500;
    private volatile String garbage;
    private volatile int garbageFromPage = 1;
    private volatile long delayMillis;
    private volatile String requiredToken; // when set, Appointment search requires Bearer <token>
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger searches = new AtomicInteger();
    private volatile boolean oauth;

    public FakeFhirServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/fhir/Appointment", this::search);
        server.createContext("/token", this::token);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    public String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public synchronized Appt put(String id, String status, Instant start, int minutes, String practitioner,
            String location, String patient, String replaces) {
        clock = clock.plusSeconds(1); // strictly increasing, like a server's meta.lastUpdated
        Appt a = new Appt(id, status, start, start.plusSeconds(minutes * 60L), practitioner, location, patient,
                replaces, clock);
        appointments.put(id, a);
        return a;
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

    /** Stores a version as-is, lastUpdated included: to serve stale/out-of-order data. */
    public void putRaw(Appt a) {
        appointments.put(a.id(), a);
    }

    public void patient(String id, String given, String family) {
        patients.put(id, new String[] { given, family });
    }

    public void failPage(int page, int status) {
        this.failPage = page;
        this.failStatus = status;
    }

    /** Answers search pages from {@code fromPage} on with HTTP 200 and this body; null turns it off. */
    public void garbage(String body, int fromPage) {
        this.garbage = body;
        this.garbageFromPage = fromPage;
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

    public void enableOAuth() {
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

    private void token(HttpExchange ex) throws IOException {
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!form.contains("grant_type=client_credentials") || !form.contains("client_secret=s3cret")) {
            respond(ex, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = "tok-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        respond(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private void search(HttpExchange ex) throws IOException {
        searches.incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (oauth) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !validTokens.contains(auth.replace("Bearer ", ""))) {
                respond(ex, 401, "{\"resourceType\":\"OperationOutcome\"}");
                return;
            }
        }
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int count = Integer.parseInt(q.getOrDefault("_count", "100"));
        int offset = Integer.parseInt(q.getOrDefault("_offset", "0"));
        int page = offset / count + 1;
        if (failPage == page) {
            respond(ex, failStatus, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"boom\"}]}");
            return;
        }
        String garbageBody = garbage;
        if (garbageBody != null && page >= garbageFromPage) {
            respond(ex, 200, garbageBody);
            return;
        }
        Instant since = q.containsKey("_lastUpdated")
                ? OffsetDateTime.parse(q.get("_lastUpdated").substring(2)).toInstant()
                : Instant.MIN;
        List<Appt> matching = new ArrayList<>(appointments.values().stream()
                .filter(a -> !a.lastUpdated().isBefore(since)).toList());
        matching.sort(Comparator.comparing(Appt::lastUpdated).thenComparing(Appt::id));
        List<Appt> slice = matching.subList(Math.min(offset, matching.size()),
                Math.min(offset + count, matching.size()));
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[");
        if (offset + count < matching.size()) {
            String next = "Appointment?" + (q.containsKey("_lastUpdated") ? "_lastUpdated=ge" + since + "&" : "")
                    + "_count=" + count + "&_offset=" + (offset + count)
                    + (q.containsKey("_include") ? "&_include=" + q.get("_include") : "");
            json.append("{\"relation\":\"next\",\"url\":\"").append(absoluteNextLinks ? baseUrl() + "/" + next : next)
                    .append("\"}");
        }
        json.append("],\"entry\":[");
        Map<String, String[]> included = new LinkedHashMap<>();
        for (int i = 0; i < slice.size(); i++) {
            Appt a = slice.get(i);
            json.append(i > 0 ? "," : "").append("{\"resource\":").append(appointmentJson(a)).append('}');
            if (a.patient() != null && patients.containsKey(a.patient())) {
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
    }

    private static String appointmentJson(Appt a) {
        StringBuilder s = new StringBuilder("{\"resourceType\":\"Appointment\",\"id\":\"").append(a.id())
                .append("\",\"meta\":{\"lastUpdated\":\"").append(a.lastUpdated()).append("\"},\"status\":\"")
                .append(a.status()).append("\",\"start\":\"").append(a.start()).append("\",\"end\":\"")
                .append(a.end()).append("\",\"participant\":[");
        List<String> refs = new ArrayList<>();
        if (a.patient() != null) {
            refs.add("Patient/" + a.patient());
        }
        if (a.practitioner() != null) {
            refs.add("Practitioner/" + a.practitioner());
        }
        if (a.location() != null) {
            refs.add("Location/" + a.location());
        }
        for (int i = 0; i < refs.size(); i++) {
            s.append(i > 0 ? "," : "").append("{\"actor\":{\"reference\":\"").append(refs.get(i))
                    .append("\"},\"status\":\"accepted\"}");
        }
        s.append(']');
        if (a.replaces() != null) {
            s.append(",\"previousAppointment\":{\"reference\":\"Appointment/").append(a.replaces()).append("\"}");
        }
        return s.append('}').toString();
    }

    private static Map<String, String> query(String raw) {
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

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/fhir+json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
