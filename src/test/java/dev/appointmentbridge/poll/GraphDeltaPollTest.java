package dev.appointmentbridge.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.support.EventLogApi;
import dev.appointmentbridge.support.FakeGraphDeltaApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * A sync-token JSON source configured for Microsoft Graph's event delta as docs/polling.md shows it, against a fake
 * that follows Graph's published contract: the delta link is a whole URL followed as given (and refused when it
 * leaves the origin), {@code @removed} entries are deletions, the last occurrence of an entity on a page is its
 * state, {@code isCancelled} and {@code {dateTime, timeZone}} map to the event, and an expired link (410) lists the
 * calendar view again.
 */
@QuarkusTest
@QuarkusTestResource(value = GraphDeltaPollTest.Api.class, restrictToAnnotatedClass = true)
class GraphDeltaPollTest {

    private static final Instant SOON = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    static FakeGraphDeltaApi api;

    public static class Api implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                api = new FakeGraphDeltaApi();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> c = new HashMap<>();
            String p = "bridge.sources.outlook.";
            c.put(p + "type", "json");
            c.put(p + "mode", "sync-token");
            c.put(p + "url", api.deltaUrl());
            c.put(p + "item-url", api.itemUrl());
            c.put(p + "items", "/value");
            c.put(p + "next", "/@odata.nextLink");
            c.put(p + "sync-token", "/@odata.deltaLink");
            c.put(p + "fields.id", "/id");
            c.put(p + "fields.status", "/isCancelled");
            c.put(p + "fields.start", "/start/dateTime");
            c.put(p + "fields.start-zone", "/start/timeZone");
            c.put(p + "fields.end", "/end/dateTime");
            c.put(p + "fields.end-zone", "/end/timeZone");
            c.put(p + "fields.removed", "/@removed");
            c.put(p + "status-map.booked", "false");
            c.put(p + "status-map.cancelled", "true");
            return c;
        }

        @Override
        public void stop() {
            api.close();
        }
    }

    @Inject
    PollService polls;

    private CycleResult poll() {
        return polls.poll("outlook").orElseThrow(() -> new AssertionError("poll of outlook failed"));
    }

    private static List<String> types(String id) {
        return EventLogApi.types(EventLogApi.eventsOf(id));
    }

    private List<String> requestsDuring(Runnable cycle) {
        int before = api.requests().size();
        cycle.run();
        return List.copyOf(api.requests().subList(before, api.requests().size()));
    }

    @Test
    void graphDeltaAsDocumented() {
        for (String id : List.of("e1", "e2", "e3", "e4")) {
            api.put(id, SOON);
        }
        List<String> asked = requestsDuring(() -> assertEquals(0, poll().eventCount(), "a silent baseline"));
        assertEquals(2, asked.size(), "the view, then its @odata.nextLink: " + asked);
        assertTrue(asked.get(1).contains("$skiptoken="), asked.toString());

        // one delta round, in the order things happened; e4 moves and is then cancelled on the same page
        api.put("e1", SOON.plus(1, ChronoUnit.HOURS));
        api.cancel("e2");
        api.delete("e3");
        api.put("e4", SOON.plus(2, ChronoUnit.HOURS));
        api.cancel("e4");
        api.put("e5", SOON);
        asked = requestsDuring(() -> assertEquals(5, poll().eventCount(), "one event per appointment changed"));
        assertTrue(asked.get(0).startsWith("/v1.0/me/calendarView/delta?$deltatoken="),
                "the delta link followed as given, not put into a parameter: " + asked);
        assertEquals(List.of("appointment.rescheduled"), types("e1"));
        JsonPath moved = EventLogApi.eventsOf("e1").get(0);
        assertEquals(SOON.plus(1, ChronoUnit.HOURS), Instant.parse(moved.getString("payload.appointment.start")),
                "dateTime read in its timeZone");
        assertEquals(List.of("appointment.cancelled"), types("e2"), "isCancelled: true");
        assertEquals(List.of("appointment.cancelled"), types("e3"), "@removed is a deletion");
        JsonPath removed = EventLogApi.eventsOf("e3").get(0);
        assertEquals("deleted", removed.getString("payload.reason"));
        assertEquals(SOON, Instant.parse(removed.getString("payload.appointment.start")),
                "the deletion carries the appointment as last known");
        assertEquals(List.of("appointment.cancelled"), types("e4"), "the last occurrence on the page wins");
        assertEquals(List.of("appointment.scheduled"), types("e5"));
        assertEquals(0, poll().eventCount(), "nothing changed since the delta link");

        // a delta link that leaves the origin is refused before it is stored: the next cycle asks the old one again
        api.deltaLinksTo("http://127.0.0.2:9");
        api.put("e6", SOON);
        assertTrue(polls.poll("outlook").isEmpty(), "the cycle fails on a delta link to another origin");
        api.deltaLinksTo(null);
        asked = requestsDuring(() -> assertEquals(1, poll().eventCount()));
        assertTrue(asked.get(0).contains("$deltatoken="), asked.toString());
        assertTrue(asked.stream().noneMatch(r -> r.contains("127.0.0.2")), asked.toString());
        assertEquals(List.of("appointment.scheduled"), types("e6"), "once");

        // moved out of the view's range: @removed with reason "changed", the event still there; read back, it
        // is a reschedule (before: announced as deleted)
        api.moveOutOfView("e1", SOON.plus(400, ChronoUnit.DAYS));
        assertEquals(1, poll().eventCount());
        assertEquals(List.of("appointment.rescheduled", "appointment.rescheduled"), types("e1"));

        // a relative delta link (OData allows one) is resolved against the page that carried it
        api.deltaLinksTo("");
        api.put("e7", SOON);
        assertEquals(1, poll().eventCount());
        api.deltaLinksTo(null);
        asked = requestsDuring(() -> assertEquals(0, poll().eventCount()));
        assertTrue(asked.get(0).startsWith("/v1.0/me/calendarView/delta?$deltatoken="), asked.toString());

        // a stored delta link the API no longer answers (404): the view is listed again, not a failure for ever
        api.deltaLinkPath("/v1.0/me/calendarView/retired");
        api.put("e9", SOON);
        assertEquals(1, poll().eventCount());
        api.deltaLinkPath("/v1.0/me/calendarView/delta");
        asked = requestsDuring(() -> assertEquals(0, poll().eventCount()));
        assertTrue(asked.get(0).startsWith("/v1.0/me/calendarView/retired"), asked.toString());
        assertTrue(asked.get(1).contains("startDateTime="), "then the view: " + asked);

        // the delta link expires while e5 is deleted: 410, the view again, and e5's absence read by id
        api.delete("e5");
        api.expireTokens();
        asked = requestsDuring(() -> assertEquals(1, poll().eventCount()));
        assertTrue(asked.stream().anyMatch(r -> r.contains("startDateTime=")), "listed the view again: " + asked);
        assertTrue(asked.contains("/v1.0/me/events/e5"), "the absence read by id: " + asked);
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), types("e5"));
        assertEquals("deleted", EventLogApi.eventsOf("e5").get(0).getString("payload.reason"));
        assertEquals(0, poll().eventCount(), "the new delta link holds");
    }
}
