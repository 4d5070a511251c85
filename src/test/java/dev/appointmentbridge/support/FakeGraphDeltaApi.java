package dev.appointmentbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Microsoft Graph's event delta as documented (learn.microsoft.com/graph/delta-query-overview, event-delta):
 * {@code GET /v1.0/me/calendarView/delta?startDateTime=&endDateTime=} starts a round listing every event; each
 * page but the last ends with {@code @odata.nextLink} and the last with {@code @odata.deltaLink}, both whole URLs
 * carrying an opaque {@code $skiptoken} / {@code $deltatoken}. A delta round lists every change since its token in
 * the order they happened, so one entity can appear more than once (the last occurrence is its state); a deleted
 * event appears as {@code {"id", "@removed": {"reason": "deleted"}}}, a cancelled one with {@code isCancelled: true}.
 * Times are {@code {"dateTime": "2026-12-10T10:00:00.0000000", "timeZone": "UTC"}} (no offset). An expired token
 * answers {@code 410 Gone}; {@code GET /v1.0/me/events/{id}} answers 404 for a deleted event. Pages hold three.
 */
public final class FakeGraphDeltaApi implements AutoCloseable {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS")
            .withZone(ZoneOffset.UTC);

    /** One change in the log: the event's state after it, or a removal ({@code reason} deleted or changed). */
    private record Change(long version, String id, boolean cancelled, Instant start, boolean removed, String reason) {

        Change(long version, String id, boolean cancelled, Instant start, boolean removed) {
            this(version, id, cancelled, start, removed, "deleted");
        }
    }

    private final HttpServer server;
    private final List<Change> log = new ArrayList<>();
    private final Map<String, Change> current = new TreeMap<>();
    private long version;
    private long validFrom;
    private volatile String deltaLinkOrigin;
    private volatile String deltaLinkPath = "/v1.0/me/calendarView/delta";
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeGraphDeltaApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1.0/me/", this::handle);
        server.start();
    }

    private String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The round's first request: a calendar view, as an application starts one. */
    public String deltaUrl() {
        return origin() + "/v1.0/me/calendarView/delta?startDateTime=2026-01-01T00:00:00Z&endDateTime=2028-01-01T00:00:00Z";
    }

    public String itemUrl() {
        return origin() + "/v1.0/me/events/{id}";
    }

    public synchronized void put(String id, Instant start) {
        change(new Change(++version, id, false, start, false));
    }

    public synchronized void cancel(String id) {
        Change c = current.get(id);
        change(new Change(++version, id, true, c.start(), false));
    }

    public synchronized void delete(String id) {
        change(new Change(++version, id, false, null, true));
    }

    /**
     * Moves the event to {@code start}, outside the view's range: the delta lists it as {@code @removed} with
     * reason "changed", while the event itself stays (GET /events/{id} finds it).
     */
    public synchronized void moveOutOfView(String id, Instant start) {
        Change moved = new Change(++version, id, false, start, false);
        log.add(new Change(moved.version(), id, false, null, true, "changed"));
        current.put(id, moved);
    }

    /** Every token handed out so far is expired (410). */
    public synchronized void expireTokens() {
        validFrom = ++version;
    }

    /** The next delta links point at this origin instead of the API's own (null: its own). */
    public void deltaLinksTo(String origin) {
        deltaLinkOrigin = origin;
    }

    /** The next delta links name this path (a path the API answers 404 for, say). */
    public void deltaLinkPath(String path) {
        deltaLinkPath = path;
    }

    public List<String> requests() {
        return requests;
    }

    private void change(Change c) {
        log.add(c);
        if (c.removed()) {
            current.remove(c.id());
        } else {
            current.put(c.id(), c);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestURI().toString());
        String path = ex.getRequestURI().getPath();
        if (path.startsWith("/v1.0/me/events/")) {
            Change c;
            synchronized (this) {
                c = current.get(URLDecoder.decode(path.substring("/v1.0/me/events/".length()), StandardCharsets.UTF_8));
            }
            respond(ex, c == null ? 404 : 200, c == null
                    ? "{\"error\":{\"code\":\"ErrorItemNotFound\",\"message\":\"The specified object was not found in"
                            + " the store.\"}}" : json(c));
            return;
        }
        if (!path.equals("/v1.0/me/calendarView/delta")) {
            respond(ex, 404, "{\"error\":{\"code\":\"ResourceNotFound\"}}");
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        long since;
        long snapshot;
        int offset;
        if (query.containsKey("$skiptoken")) {
            String[] state = new String(Base64.getUrlDecoder().decode(query.get("$skiptoken")), StandardCharsets.UTF_8)
                    .split(":");
            since = Long.parseLong(state[0]);
            snapshot = Long.parseLong(state[1]);
            offset = Integer.parseInt(state[2]);
        } else if (query.containsKey("$deltatoken")) {
            since = Long.parseLong(new String(Base64.getUrlDecoder().decode(query.get("$deltatoken")),
                    StandardCharsets.UTF_8));
            offset = 0;
            synchronized (this) {
                snapshot = version;
            }
        } else if (query.containsKey("startDateTime") && query.containsKey("endDateTime")) {
            since = -1; // a new round: every event as it is now
            offset = 0;
            synchronized (this) {
                snapshot = version;
            }
        } else {
            respond(ex, 400, "{\"error\":{\"code\":\"ErrorInvalidParameter\",\"message\":\"startDateTime and"
                    + " endDateTime are required\"}}");
            return;
        }
        List<Change> round = new ArrayList<>();
        synchronized (this) {
            if (since >= 0 && since < validFrom) {
                respond(ex, 410, "{\"error\":{\"code\":\"SyncStateNotFound\",\"message\":\"The sync state generation"
                        + " is not found. Please perform a full sync.\"}}");
                return;
            }
            if (since < 0) {
                current.values().stream().filter(c -> c.version() <= snapshot).forEach(round::add);
            } else {
                log.stream().filter(c -> c.version() > since && c.version() <= snapshot).forEach(round::add);
            }
        }
        List<Change> page = round.subList(Math.min(offset, round.size()), Math.min(offset + 3, round.size()));
        StringBuilder body = new StringBuilder("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata"
                + "#Collection(event)\",\"value\":[");
        for (int i = 0; i < page.size(); i++) {
            body.append(i > 0 ? "," : "").append(json(page.get(i)));
        }
        body.append("],");
        if (offset + 3 < round.size()) {
            String skip = Base64.getUrlEncoder().withoutPadding().encodeToString((since + ":" + snapshot
                    + ":" + (offset + 3)).getBytes(StandardCharsets.UTF_8));
            body.append("\"@odata.nextLink\":\"").append(origin())
                    .append("/v1.0/me/calendarView/delta?$skiptoken=").append(skip).append("\"");
        } else {
            String delta = Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(snapshot)
                    .getBytes(StandardCharsets.UTF_8));
            String linkOrigin = deltaLinkOrigin != null ? deltaLinkOrigin : origin();
            body.append("\"@odata.deltaLink\":\"").append(linkOrigin).append(deltaLinkPath)
                    .append("?$deltatoken=").append(delta).append("\"");
        }
        respond(ex, 200, body.append("}").toString());
    }

    private static String json(Change c) {
        if (c.removed()) {
            return "{\"@odata.type\":\"#microsoft.graph.event\",\"id\":\"" + c.id()
                    + "\",\"@removed\":{\"reason\":\"" + c.reason() + "\"}}";
        }
        return "{\"@odata.type\":\"#microsoft.graph.event\",\"@odata.etag\":\"W/\\\"v" + c.version() + "\\\"\",\"id\":\""
                + c.id() + "\",\"subject\":\"Follow-up\",\"isCancelled\":" + c.cancelled() + ",\"start\":{\"dateTime\":\""
                + LOCAL.format(c.start()) + "\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
                + LOCAL.format(c.start().plusSeconds(1800)) + "\",\"timeZone\":\"UTC\"}}";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
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
