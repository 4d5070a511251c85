package dev.appointmentbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Google Calendar's events.list with sync tokens as documented (developers.google.com/calendar/api/guides/sync):
 * {@code GET /events?syncToken=&pageToken=} lists everything (cancelled events left out, as Google does without
 * showDeleted) when the token is empty, and otherwise every event changed since the token, deleted ones included as
 * {@code status: cancelled} entries carrying only their id; each listing's last page carries {@code nextSyncToken}.
 * An expired token answers {@code 410 Gone}. A hard delete makes an event vanish from every listing and from
 * {@code GET /events/{id}} (404): only a full listing and a read by id can tell. Pages hold two events.
 */
public final class FakeSyncTokenApi implements AutoCloseable {

    private record Event(String id, String status, Instant start, long version) {
    }

    private final HttpServer server;
    private final Map<String, Event> events = new ConcurrentHashMap<>();
    private final Set<String> hiddenFromListings = ConcurrentHashMap.newKeySet();
    private final AtomicInteger version = new AtomicInteger();
    private volatile long validFrom;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeSyncTokenApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", this::handle);
        server.start();
    }

    public String listUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events?syncToken={cursor}&pageToken={page}";
    }

    public String itemUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events/{id}";
    }

    public void put(String id, String status, Instant start) {
        events.put(id, new Event(id, status, start, version.incrementAndGet()));
    }

    /** Deletes without a trace: no listing shows it again, a read answers 404. */
    public void hardDelete(String id) {
        events.remove(id);
        version.incrementAndGet();
    }

    /** Every token handed out so far is expired (410). */
    public void expireTokens() {
        validFrom = version.get() + 1L;
        version.incrementAndGet();
    }

    /** Full listings leave it out (a flaky listing); a read by id still finds it. */
    public void hideFromListings(String id) {
        hiddenFromListings.add(id);
    }

    public List<String> requests() {
        return requests;
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestURI().toString());
        String path = ex.getRequestURI().getPath();
        if (path.startsWith("/events/")) {
            Event e = events.get(URLDecoder.decode(path.substring("/events/".length()), StandardCharsets.UTF_8));
            respond(ex, e == null ? 404 : 200, e == null ? "{\"error\":{\"code\":404}}" : json(e));
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String token = query.getOrDefault("syncToken", "");
        int offset = query.getOrDefault("pageToken", "").isEmpty() ? 0 : Integer.parseInt(query.get("pageToken"));
        List<Event> listing = new ArrayList<>();
        long snapshot;
        synchronized (this) {
            snapshot = version.get();
            if (token.isEmpty()) {
                new TreeMap<>(events).values().stream().filter(e -> !"cancelled".equals(e.status()))
                        .filter(e -> !hiddenFromListings.contains(e.id())).forEach(listing::add);
            } else {
                long since = Long.parseLong(token.substring(1));
                if (since < validFrom) {
                    respond(ex, 410, "{\"error\":{\"code\":410,\"message\":\"Sync token is no longer valid, a full"
                            + " sync is required.\"}}");
                    return;
                }
                new TreeMap<>(events).values().stream().filter(e -> e.version() > since).forEach(listing::add);
            }
        }
        List<Event> page = listing.subList(Math.min(offset, listing.size()), Math.min(offset + 2, listing.size()));
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < page.size(); i++) {
            body.append(i > 0 ? "," : "").append(json(page.get(i)));
        }
        body.append("]");
        if (offset + 2 < listing.size()) {
            body.append(",\"nextPageToken\":\"").append(offset + 2).append("\"");
        } else {
            body.append(",\"nextSyncToken\":\"t").append(snapshot).append("\"");
        }
        respond(ex, 200, body.append("}").toString());
    }

    private static final java.time.ZoneId ZONE = java.time.ZoneId.of("America/New_York");

    /**
     * An event as events.list returns it: times with their offset and the calendar's zone; a cancelled (deleted)
     * event only as {@code {kind, etag, id, status}}, the fields Google promises for one.
     */
    private static String json(Event e) {
        if ("cancelled".equals(e.status())) {
            return "{\"kind\":\"calendar#event\",\"etag\":\"\\\"" + e.version() + "\\\"\",\"id\":\"" + e.id()
                    + "\",\"status\":\"cancelled\"}";
        }
        return "{\"kind\":\"calendar#event\",\"etag\":\"\\\"" + e.version() + "\\\"\",\"id\":\"" + e.id()
                + "\",\"status\":\"" + e.status() + "\",\"start\":{\"dateTime\":\"" + local(e.start())
                + "\",\"timeZone\":\"America/New_York\"},\"end\":{\"dateTime\":\"" + local(e.start().plusSeconds(1800))
                + "\",\"timeZone\":\"America/New_York\"}}";
    }

    private static String local(Instant t) {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(ZONE).toOffsetDateTime());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
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
