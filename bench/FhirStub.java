// Benchmark stub of a FHIR R4 Appointment search, run as a single-file program:
//   java bench/FhirStub.java <port> <appointments> [page delay ms]
// GET /fhir/Appointment?_lastUpdated=ge..&_count=..&_offset=.. pages through appointments sorted by
// meta.lastUpdated; GET /fhir/Appointment/_history is an empty history (nothing is ever deleted);
// POST /control/change?n=N reschedules N of them (a newer lastUpdated, start +1 h);
// GET /control/stats counts poll cycles (first page to last page) and the most ever open at once. The bridge
// asks for each next page as a new search from the previous page's greatest lastUpdated (keyset paging), so a
// request continues a cycle when its _lastUpdated bound is the greatest lastUpdated of a page served with a
// next link; any other first page opens one.
// Loopback only; no dependencies beyond the JDK.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

public class FhirStub {
    static int n;
    static long[] updated;  // epoch millis, per appointment
    static long[] start;
    static Integer[] order; // indexes sorted by updated
    static long clock = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    static int nextToChange = 0;
    static int openCycles, maxOpenCycles, cycles;
    static final java.util.Set<Long> continuations = new java.util.HashSet<>();
    static long pageDelayMillis;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        n = Integer.parseInt(args[1]);
        pageDelayMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        updated = new long[n];
        start = new long[n];
        for (int i = 0; i < n; i++) {
            // About one change a second, a day and more of history. Not a round spacing: a new cycle's first
            // bound (the cursor, newest lastUpdated minus 2 s) must not fall on a record's lastUpdated, or the
            // cycle count below would take that first page for a continuation.
            updated[i] = clock += 1000 + (i * 7919L) % 997;
            start[i] = Instant.parse("2025-06-01T08:00:00Z").toEpochMilli() + (i % 2000) * 900_000L;
        }
        resort();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/fhir/Appointment", FhirStub::search);
        // Deletes are never simulated: an empty history, as a server with no deletes answers.
        server.createContext("/fhir/Appointment/_history", ex -> respond(ex, 200,
                "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"meta\":{\"lastUpdated\":\""
                        + Instant.ofEpochMilli(clock) + "\"},\"entry\":[]}"));
        server.createContext("/control/change", FhirStub::change);
        server.createContext("/control/stats", ex -> respond(ex, 200, stats()));
        server.start();
        System.out.println("FHIR stub on 127.0.0.1:" + port + " with " + n + " appointments");
    }

    static synchronized void resort() {
        order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(updated[a], updated[b]));
    }

    static void change(HttpExchange ex) throws IOException {
        int count = Integer.parseInt(query(ex).getOrDefault("n", "1000"));
        synchronized (FhirStub.class) {
            clock += 60_000; // the changes happen a minute later
            for (int k = 0; k < count; k++) {
                int i = nextToChange++ % n;
                updated[i] = clock += 13;
                start[i] += 3_600_000L;
            }
            resort();
        }
        respond(ex, 200, "{\"changed\":" + count + "}");
    }

    static synchronized String stats() {
        return "{\"cycles\":" + cycles + ",\"open_cycles\":" + openCycles + ",\"max_open_cycles\":" + maxOpenCycles
                + "}";
    }

    static synchronized void cycleEdge(boolean first, boolean last) {
        if (first) {
            cycles++;
            maxOpenCycles = Math.max(maxOpenCycles, ++openCycles);
        }
        if (last) openCycles--;
    }

    static void search(HttpExchange ex) throws IOException {
        if (pageDelayMillis > 0) {
            try { Thread.sleep(pageDelayMillis); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        Map<String, String> q = query(ex);
        int count = Integer.parseInt(q.getOrDefault("_count", "100"));
        int offset = Integer.parseInt(q.getOrDefault("_offset", "0"));
        long since = q.containsKey("_lastUpdated")
                ? OffsetDateTime.parse(q.get("_lastUpdated").substring(2)).toInstant().toEpochMilli() : Long.MIN_VALUE;
        Integer[] sorted;
        synchronized (FhirStub.class) { sorted = order; }
        int first = lowerBound(sorted, since);
        int from = first + offset;
        int to = Math.min(from + count, n);
        StringBuilder s = new StringBuilder(count * 420);
        s.append("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[{\"relation\":\"self\",\"url\":\"")
                .append("Appointment?").append(ex.getRequestURI().getRawQuery()).append("\"}");
        if (to < n) {
            s.append(",{\"relation\":\"next\",\"url\":\"Appointment?")
                    .append(q.containsKey("_lastUpdated") ? "_lastUpdated=" + q.get("_lastUpdated") + "&" : "")
                    .append("_count=").append(count).append("&_offset=").append(offset + count).append("\"}");
        }
        s.append("],\"entry\":[");
        for (int k = from; k < to; k++) {
            int i = sorted[k];
            if (k > from) s.append(',');
            s.append("{\"resource\":{\"resourceType\":\"Appointment\",\"id\":\"apt-").append(i)
                    .append("\",\"meta\":{\"lastUpdated\":\"").append(Instant.ofEpochMilli(updated[i]))
                    .append("\"},\"status\":\"booked\",\"start\":\"").append(Instant.ofEpochMilli(start[i]))
                    .append("\",\"end\":\"").append(Instant.ofEpochMilli(start[i] + 1_800_000L))
                    .append("\",\"minutesDuration\":30,\"participant\":[{\"actor\":{\"reference\":\"Patient/pat-")
                    .append(i % 5000).append("\"}},{\"actor\":{\"reference\":\"Practitioner/dr-").append(i % 40)
                    .append("\"}},{\"actor\":{\"reference\":\"Location/loc-").append(i % 5).append("\"}}]}}");
        }
        s.append("]}");
        boolean continued = offset > 0;
        synchronized (FhirStub.class) {
            continued = continued || continuations.remove(since);
            if (to < n && to > from) continuations.add(updated[sorted[to - 1]]);
        }
        cycleEdge(!continued, to >= n);
        respond(ex, 200, s.toString());
    }

    static int lowerBound(Integer[] sorted, long since) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (updated[sorted[mid]] < since) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/fhir+json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) { out.write(bytes); }
    }
}
