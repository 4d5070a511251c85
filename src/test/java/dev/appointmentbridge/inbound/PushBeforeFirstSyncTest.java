package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.poll.PollService;
import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import dev.appointmentbridge.support.EventLogApi;
import dev.appointmentbridge.support.FakeJsonApi;
import dev.appointmentbridge.support.FakeJsonResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * Issue 37: a linked Clockwise push before the source's first sync fetched the appointment, found no snapshot,
 * stored it as part of the (silent) baseline, and the first sync then took the new state silently: 0 events. A
 * push is a change: it is announced once, before the first sync and while it runs (on another replica here).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeJsonResource.class, restrictToAnnotatedClass = true)
class PushBeforeFirstSyncTest {

    @Inject
    PollService polls;

    @Inject
    DatabaseCycleStore store;

    @Inject
    dev.appointmentbridge.poll.PollCycle cycle;

    @Inject
    DataSource dataSource;

    private static final Instant START = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

    private static io.restassured.response.ValidatableResponse push(long id) {
        return given().contentType(ContentType.JSON).header("Authtoken", "k-linked-7f3a")
                .body("{\"appointment_id\": " + id + ", \"event_type\": \"create\"}").post("/webhook/clockwise").then()
                .statusCode(200);
    }

    @Test
    void aPushBeforeAndDuringTheFirstSyncIsAnnouncedOnce() throws Exception {
        FakeJsonApi api = FakeJsonResource.api;
        api.put(5000, "confirmed", START, 30, "dr-9", "pat-5000"); // there before the bridge: baseline, no event
        api.put(5001, "confirmed", START, 30, "dr-9", "pat-5001");
        push(5001).body("status", equalTo("success")).body("events", equalTo(1));
        assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("5001")),
                "announced before the first sync");

        // another replica's first sync holds the source when the next pushes arrive
        store.acquire("practice", Duration.ofMinutes(2)).orElseThrow();
        sql("UPDATE source_state SET lease_owner = 'other-replica:1' WHERE name = 'practice'");
        api.put(5002, "confirmed", START, 30, "dr-9", "pat-5002");
        api.put(5003, "confirmed", START, 30, "dr-9", "pat-5003");
        push(5002).body("status", equalTo("accepted")).body("message", containsString("first sync"));
        push(5003).body("status", equalTo("accepted"));
        assertEquals(List.of(), EventLogApi.eventsOf("5002"));

        // that sync ends having listed both silently (run here, the lease handed over, not through PollService);
        // then 5003 moves and a poll announces it before this replica fetches the deferred pushes
        sql("UPDATE source_state SET lease_until = now() - interval '1 second' WHERE name = 'practice'");
        CycleResult first = cycle.run(polls.find("practice").orElseThrow());
        assertTrue(first.baseline(), "the first sync is a silent baseline");
        assertEquals(0, first.eventCount());
        api.update(5003, i -> new FakeJsonApi.Item(i.id(), i.state(), i.start().plusSeconds(3600),
                i.end().plusSeconds(3600), i.provider(), i.location(), i.patient(), null));
        assertEquals(1, cycle.run(polls.find("practice").orElseThrow()).eventCount(), "5003 moved");

        assertEquals(0, polls.poll("practice").orElseThrow().eventCount(), "nothing new upstream");
        assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("5002")),
                "the push deferred until the first sync ended is announced");
        assertEquals("dr-9", EventLogApi.eventsOf("5002").get(0).getString("payload.appointment.provider_id"));
        assertEquals(List.of("appointment.rescheduled"), EventLogApi.types(EventLogApi.eventsOf("5003")),
                "announced by the poll: its deferred push adds nothing (before: a second, \"scheduled\")");
        assertEquals(List.of("appointment.scheduled"), EventLogApi.types(EventLogApi.eventsOf("5001")),
                "the first sync adds no second event");
        assertEquals(List.of(), EventLogApi.eventsOf("5000"), "what was there before is the baseline");

        assertEquals(0, polls.poll("practice").orElseThrow().eventCount(), "the next poll adds nothing");
        assertEquals(1, EventLogApi.eventsOf("5002").size());
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.executeUpdate();
        }
    }
}
