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
import dev.appointmentbridge.support.FakeSyncTokenApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A sync-token JSON source against a Google Calendar-like fake: changes by token, cancellations in the feed, an
 * expired token (410) answered by a full listing whose absences are read by id (a hard delete is a confirmed
 * cancellation, a listing that merely missed one is nothing), and every change announced once.
 */
@QuarkusTest
@QuarkusTestResource(value = SyncTokenPollTest.Api.class, restrictToAnnotatedClass = true)
class SyncTokenPollTest {

    private static final Instant SOON = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    static FakeSyncTokenApi api;

    public static class Api implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                api = new FakeSyncTokenApi();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> c = new HashMap<>();
            String p = "bridge.sources.gcal.";
            c.put(p + "type", "json");
            c.put(p + "mode", "sync-token");
            c.put(p + "url", api.listUrl());
            c.put(p + "item-url", api.itemUrl());
            c.put(p + "items", "/items");
            c.put(p + "next", "cursor:/nextPageToken");
            c.put(p + "sync-token", "/nextSyncToken");
            c.put(p + "fields.id", "/id");
            c.put(p + "fields.status", "/status");
            c.put(p + "fields.start", "/start/dateTime");
            c.put(p + "fields.start-zone", "/start/timeZone");
            c.put(p + "fields.end", "/end/dateTime");
            c.put(p + "fields.end-zone", "/end/timeZone");
            c.put(p + "status-map.booked", "confirmed");
            c.put(p + "status-map.cancelled", "cancelled");
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
        return polls.poll("gcal").orElseThrow(() -> new AssertionError("poll of gcal failed"));
    }

    private static List<String> types(String id) {
        return EventLogApi.types(EventLogApi.eventsOf(id));
    }

    @Test
    void eachChangeOnceAcrossATokenExpiryIncludingAConfirmedHardDelete() {
        for (String id : List.of("g-a", "g-b", "g-c", "g-f")) {
            api.put(id, "confirmed", SOON);
        }
        CycleResult first = poll();
        assertTrue(first.baseline());
        assertEquals(0, first.eventCount(), "the first listing is a silent baseline");

        api.put("g-b", "confirmed", SOON.plus(1, ChronoUnit.HOURS)); // moved
        api.put("g-d", "confirmed", SOON); // new
        api.put("g-a", "cancelled", SOON); // cancelled: in the changes, not in full listings
        assertEquals(3, poll().eventCount());
        assertEquals(List.of("appointment.rescheduled"), types("g-b"));
        assertEquals(List.of("appointment.scheduled"), types("g-d"));
        assertEquals(List.of("appointment.cancelled"), types("g-a"));
        io.restassured.path.json.JsonPath tombstone = EventLogApi.eventsOf("g-a").get(0);
        assertEquals(SOON, Instant.parse(tombstone.getString("payload.appointment.start")),
                "a {id, status: cancelled} entry cancels the appointment as last known");
        assertEquals("deleted", tombstone.getString("payload.reason"));
        assertEquals(0, poll().eventCount(), "nothing changed since the token");

        // while the token expires: g-c is deleted without a trace, g-e is new, g-b moves again, and the listing
        // misses g-f, which a read by id still finds
        api.hardDelete("g-c");
        api.put("g-e", "confirmed", SOON);
        api.put("g-b", "confirmed", SOON.plus(2, ChronoUnit.HOURS));
        api.hideFromListings("g-f");
        api.expireTokens();
        int before = api.requests().size();
        CycleResult full = poll();
        List<String> asked = api.requests().subList(before, api.requests().size());
        assertTrue(asked.stream().anyMatch(r -> r.contains("syncToken=t")), "asked with the stored token: " + asked);
        assertTrue(asked.stream().anyMatch(r -> r.contains("syncToken=&")), "then listed everything: " + asked);
        assertTrue(asked.contains("/events/g-c") && asked.contains("/events/g-f"), "absences read by id: " + asked);
        assertEquals(3, full.eventCount(), "g-e scheduled, g-b rescheduled, g-c cancelled; nothing else");
        assertEquals(List.of("appointment.scheduled"), types("g-e"));
        assertEquals(List.of("appointment.rescheduled", "appointment.rescheduled"), types("g-b"));
        assertEquals(List.of("appointment.cancelled"), types("g-c"));
        assertEquals("deleted", EventLogApi.eventsOf("g-c").get(0).getString("payload.reason"));
        assertEquals(List.of(), types("g-f"), "missed by a listing but found by id: no event");
        assertEquals(List.of("appointment.cancelled"), types("g-a"), "announced once");
        assertEquals(List.of("appointment.scheduled"), types("g-d"), "unchanged: nothing again");

        before = api.requests().size();
        assertEquals(0, poll().eventCount(), "the new token holds");
        assertTrue(api.requests().subList(before, api.requests().size()).stream()
                .allMatch(r -> r.contains("syncToken=t")), "no full listing again");
    }
}
