package dev.appointmentbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A plain JSON scheduling API in a Clockwise.MD-like shape (numeric ids, its own status words, nested
 * provider and patient), with the two ways such APIs are read (issue 14):
 * <ul>
 * <li>{@code GET /api/appointments?updated_since=&page=}: changed since, 2 per page, counted by a page parameter
 * until an empty page; {@code ?from=&to=&page=} lists by start instead;</li>
 * <li>{@code GET /api/schedule?from=&to=&cursor=}: no change filter, appointments starting in [from, to), 3 per
 * page, an opaque {@code meta.next_cursor} token;</li>
 * <li>{@code GET /api/appointments/{id}}: one appointment, 404 once removed.</li>
 * </ul>
 * Knobs make it misbehave as real APIs do: a failing page, a scan cut short without an error.
 */
public class FakeJsonApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One appointment as the API stores it; {@code state} is the API's own word. */
    public record Item(long id, String state, Instant start, Instant end, String provider, String location,
            String patient, Instant updatedAt) {
    }

    private final HttpServer server;
    private final Map<Long, Item> items = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int failPage;
    private volatile int failStatus;
    private volatile int scanLimit = Integer.MAX_VALUE;
    private volatile int schedulePageSize = 3;
    private volatile boolean ignorePage;
    private volatile int readStatus;
    private volatile boolean errorEnvelope;

    public FakeJsonApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/api/", this::handle);
        server.start();
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    /** Stores or replaces an appointment; its updated_at is now (strictly later than any before). */
    public synchronized Item put(long id, String state, Instant start, int minutes, String provider, String patient) {
        Item item = new Item(id, state, start, start.plusSeconds(60L * minutes), provider, "room-1", patient, tick());
        items.put(id, item);
        return item;
    }

    public synchronized Item update(long id, java.util.function.UnaryOperator<Item> change) {
        Item changed = change.apply(items.get(id));
        Item stamped = new Item(changed.id(), changed.state(), changed.start(), changed.end(), changed.provider(),
                changed.location(), changed.patient(), tick());
        items.put(id, stamped);
        return stamped;
    }

    /** List requests answer 200 with no items and an error envelope beside them (pipeshub-ai #3095). */
    public void errorEnvelope(boolean on) {
        errorEnvelope = on;
    }

    /** Stores a version as-is, updated_at included: a transaction stamped when it began and committed later. */
    public void putRaw(Item item) {
        items.put(item.id(), item);
    }

    public Item get(long id) {
        return items.get(id);
    }

    /** Gone without a trace: no longer listed, 404 when read. */
    public void remove(long id) {
        items.remove(id);
    }

    /** The list page {@code page} (1-based, either endpoint) answers {@code status}; 0 turns it off. */
    public void failPage(int page, int status) {
        failPage = page;
        failStatus = status;
    }

    /** Reads by id answer {@code status} (0: as usual). */
    public void failReads(int status) {
        readStatus = status;
    }

    /** The changed-since list answers page 1 whatever {@code page} asks for, as some APIs do. */
    public void ignorePage(boolean on) {
        ignorePage = on;
    }

    /** Window scans answer up to {@code n} items per page (3 unless set). */
    public void schedulePageSize(int n) {
        schedulePageSize = n;
    }

    /** Stores many appointments at once (one updated_at), for pages larger than a commit. */
    public synchronized void putMany(long firstId, int count, Instant start) {
        Instant now = tick();
        for (long id = firstId; id < firstId + count; id++) {
            items.put(id, new Item(id, "scheduled", start, start.plusSeconds(1800), "dr-1", "room-1", "pat-" + id, now));
        }
    }

    /** Removes what {@link #putMany} stored. */
    public void removeMany(long firstId, int count) {
        for (long id = firstId; id < firstId + count; id++) {
            items.remove(id);
        }
    }

    /** Window scans list at most {@code n} items and then say there is nothing more (no error). */
    public void cutScansAt(int n) {
        scanLimit = n;
    }

    public List<String> requests() {
        return requests;
    }

    private Instant lastTick = Instant.EPOCH;

    private Instant tick() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        lastTick = now.isAfter(lastTick) ? now : lastTick.plusMillis(1);
        return lastTick;
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestURI().toString());
        String path = ex.getRequestURI().getPath();
        Map<String, String> q = FakeFhirServer.query(ex.getRequestURI().getRawQuery());
        if (path.startsWith("/api/appointments/") && readStatus != 0) {
            respond(ex, readStatus, "{\"error\":\"upstream trouble\"}");
        } else if (path.startsWith("/api/appointments/")) {
            Item item = items.get(Long.parseLong(path.substring("/api/appointments/".length())));
            respond(ex, item == null ? 404 : 200, item == null ? "{\"error\":\"not found\"}" : json(item).toString());
        } else if (errorEnvelope && (path.equals("/api/appointments") || path.equals("/api/schedule"))) {
            respond(ex, 200, "{\"data\": [], \"appointments\": [], \"meta\": {}, "
                    + "\"error\": {\"code\": \"maintenance\", \"message\": \"try later\"}}");
        } else if (path.equals("/api/appointments")) {
            changedSince(ex, q);
        } else if (path.equals("/api/schedule")) {
            schedule(ex, q);
        } else {
            respond(ex, 404, "{}");
        }
    }

    private void changedSince(HttpExchange ex, Map<String, String> q) throws IOException {
        int page = ignorePage ? 1 : Integer.parseInt(q.getOrDefault("page", "1"));
        if (page == failPage) {
            respond(ex, failStatus, "{\"error\":\"upstream trouble\"}");
            return;
        }
        String since = q.getOrDefault("updated_since", "");
        // The same list also answers by start (from, to): the window listing a sweep reads.
        Instant from = q.containsKey("from") ? Instant.parse(q.get("from")) : Instant.MIN;
        Instant to = q.containsKey("to") ? Instant.parse(q.get("to")) : Instant.MAX;
        List<Item> matching = sorted(Comparator.comparing(Item::updatedAt).thenComparing(Item::id)).stream()
                .filter(i -> since.isEmpty() || !i.updatedAt().isBefore(Instant.parse(since)))
                .filter(i -> !i.start().isBefore(from) && i.start().isBefore(to)).toList();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        matching.stream().skip(2L * (page - 1)).limit(2).forEach(i -> data.add(json(i)));
        body.putObject("meta").put("page", page);
        respond(ex, 200, body.toString());
    }

    private void schedule(HttpExchange ex, Map<String, String> q) throws IOException {
        int offset = q.getOrDefault("cursor", "").isEmpty() ? 0 : Integer.parseInt(q.get("cursor").substring(1));
        int size = schedulePageSize;
        int page = offset / size + 1;
        if (page == failPage) {
            respond(ex, failStatus, "{\"error\":\"upstream trouble\"}");
            return;
        }
        Instant from = Instant.parse(q.get("from"));
        Instant to = Instant.parse(q.get("to"));
        List<Item> matching = sorted(Comparator.comparing(Item::start).thenComparing(Item::id)).stream()
                .filter(i -> !i.start().isBefore(from) && i.start().isBefore(to)).limit(scanLimit).toList();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("appointments");
        matching.stream().skip(offset).limit(size).forEach(i -> list.add(json(i)));
        body.putObject("meta").put("next_cursor", offset + size < matching.size() ? "o" + (offset + size) : null);
        respond(ex, 200, body.toString());
    }

    private List<Item> sorted(Comparator<Item> order) {
        List<Item> all = new ArrayList<>(items.values());
        all.sort(order);
        return all;
    }

    private static ObjectNode json(Item i) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", i.id());
        o.put("state", i.state());
        o.put("starts_at", iso(i.start()));
        o.put("ends_at", iso(i.end()));
        o.putObject("provider").put("id", i.provider());
        o.put("location_id", i.location());
        ObjectNode patient = o.putObject("patient");
        patient.put("id", i.patient());
        patient.put("first_name", "Ada");
        patient.put("last_name", "Lovelace");
        o.put("updated_at", iso(i.updatedAt()));
        return o;
    }

    private static String iso(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.ofHours(-5)));
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
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
