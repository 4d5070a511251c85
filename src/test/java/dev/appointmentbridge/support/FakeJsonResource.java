package dev.appointmentbridge.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeJsonApi} and configures three JSON sources on it (issue 14): {@code practice}
 * (changed-since, page parameter), {@code schedule} (window, cursor token, reads by id) and {@code roster}
 * (window without reads by id, a window reaching 3 s back); two Clockwise keys, a Canvas zone and one target.
 */
public class FakeJsonResource implements QuarkusTestResourceLifecycleManager {

    public static FakeJsonApi api;

    @Override
    public Map<String, String> start() {
        try {
            api = new FakeJsonApi();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> config = new HashMap<>();
        mapping(config, "practice", "/data");
        config.put("bridge.sources.practice.url", api.url("/api/appointments?updated_since={cursor}&page={page}"));
        config.put("bridge.sources.practice.next", "page-param");
        config.put("bridge.sources.practice.item-url", api.url("/api/appointments/{id}"));
        // The adapters (issue 14): a Clockwise key linked to practice, one not linked; Canvas times in New York.
        // The linked key in the current form (the key a value); the plain one in the older form (the key a name).
        config.put("bridge.inbound.clockwise.practice-push.key", "k-linked-7f3a");
        config.put("bridge.inbound.clockwise.practice-push.source", "practice");
        config.put("bridge.inbound.clockwise.k-plain-91bc.enabled", "true");
        config.put("bridge.inbound.canvas.zone", "America/New_York");
        // One target, so a test can tell an event that is delivered from one that is only listed.
        config.put("bridge.targets.sink.url", "http://127.0.0.1:9/never-answers");
        mapping(config, "schedule", "/appointments");
        config.put("bridge.sources.schedule.mode", "window");
        config.put("bridge.sources.schedule.url", api.url("/api/schedule?from={from}&to={to}&cursor={page}"));
        config.put("bridge.sources.schedule.next", "cursor:/meta/next_cursor");
        config.put("bridge.sources.schedule.item-url", api.url("/api/appointments/{id}"));
        // A changed-since source with reconciliation sweeps through the API's window listing (issue 24).
        mapping(config, "ledger", "/data");
        config.put("bridge.sources.ledger.url", api.url("/api/appointments?updated_since={cursor}&page={page}"));
        config.put("bridge.sources.ledger.next", "page-param");
        config.put("bridge.sources.ledger.reconcile.url", api.url("/api/appointments?from={from}&to={to}&page={page}"));
        config.put("bridge.sources.ledger.reconcile.interval", "1m");
        mapping(config, "roster", "/appointments");
        config.put("bridge.sources.roster.mode", "window");
        config.put("bridge.sources.roster.url", api.url("/api/schedule?from={from}&to={to}&cursor={page}"));
        config.put("bridge.sources.roster.next", "cursor:/meta/next_cursor");
        config.put("bridge.sources.roster.window.back", "3s");
        return config;
    }

    private static void mapping(Map<String, String> config, String source, String items) {
        String p = "bridge.sources." + source + ".";
        config.put(p + "type", "json");
        config.put(p + "poll-interval", "1h");
        config.put(p + "items", items);
        config.put(p + "fields.id", "/id");
        config.put(p + "fields.status", "/state");
        config.put(p + "fields.start", "/starts_at");
        config.put(p + "fields.end", "/ends_at");
        config.put(p + "fields.provider", "/provider/id");
        config.put(p + "fields.location", "/location_id");
        config.put(p + "fields.patient-id", "/patient/id");
        config.put(p + "fields.patient-first-name", "/patient/first_name");
        config.put(p + "fields.patient-last-name", "/patient/last_name");
        config.put(p + "fields.updated", "/updated_at");
        config.put(p + "status-map.booked", "scheduled,confirmed");
        config.put(p + "status-map.arrived", "checked_in");
        config.put(p + "status-map.cancelled", "canceled");
        config.put(p + "status-map.noshow", "no_show");
        config.put(p + "status-map.fulfilled", "done");
    }

    @Override
    public void stop() {
        api.close();
    }
}
