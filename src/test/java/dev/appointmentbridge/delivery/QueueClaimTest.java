package dev.appointmentbridge.delivery;

import dev.appointmentbridge.delivery.store.DeliveryStore;
import dev.appointmentbridge.delivery.store.ClaimedDelivery;
import dev.appointmentbridge.delivery.store.AttemptOutcome;
import static dev.appointmentbridge.delivery.QueueOnlyProfile.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.event.EventInserter;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The queue under a burst and under concurrent writers (issue 25). Rows are stored by the real write path
 * ({@link EventInserter}, which enqueues); the test plays the worker with {@link DeliveryStore#claim} and
 * {@link DeliveryStore#record}.
 */
@QuarkusTest
@TestProfile(QueueOnlyProfile.class)
class QueueClaimTest {

    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final String OF_TARGET = "SELECT count(*) FROM delivery WHERE target = '" + TARGET + "' AND ";

    @Inject
    EventInserter inserter;

    @Inject
    DeliveryStore store;

    @Inject
    DataSource dataSource;

    @AfterEach
    void empty() throws SQLException {
        sql("DELETE FROM delivery_attempt a USING delivery d WHERE d.id = a.delivery_id AND d.target = '" + TARGET + "'",
                "DELETE FROM delivery WHERE target = '" + TARGET + "'", "DELETE FROM event WHERE source = 'queue-test'");
    }

    /**
     * 50,000 deliveries (25,000 appointments, two events each) stored in a burst and never analyzed: the first claim
     * reads a bounded number of index pages (it took minutes when the planner walked the backlog for every candidate)
     * and the backlog drains with each appointment's second event only after its first.
     */
    @Test
    void aNeverAnalyzedBurstIsClaimedInBoundedWorkAndDrainsInOrder() throws SQLException {
        int appointments = 25_000;
        for (int round = 0; round < 2; round++) {
            for (int from = 0; from < appointments; from += 1000) {
                List<NewEvent> batch = new ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    batch.add(event("burst-" + i, round == 0 ? EventType.SCHEDULED : EventType.CANCELLED));
                }
                QuarkusTransaction.requiringNew().run(() -> inserter.insert(batch));
            }
        }
        assertEquals(50_000, count(OF_TARGET + "status = 'pending'"));

        long started = System.nanoTime();
        List<ClaimedDelivery> first = store.claim(TARGET, 100, LEASE);
        long firstClaimMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(100, first.size());
        assertTrue(first.stream().allMatch(d -> "appointment.scheduled".equals(d.eventType())),
                "each appointment's older event goes first: " + first.get(0));
        assertTrue(firstClaimMs < 1000, "first claim of a never-analyzed 50,000-row backlog: " + firstClaimMs + " ms");
        long buffers = claimBuffers();
        assertTrue(buffers < 2_000, "the claim's plan reads " + buffers + " buffers for 100 rows");

        Map<String, Integer> sentPerAppointment = new ConcurrentHashMap<>();
        List<ClaimedDelivery> claimed = first;
        int sent = 0;
        while (!claimed.isEmpty()) {
            Set<String> inBatch = new HashSet<>();
            List<AttemptOutcome> outcomes = new ArrayList<>();
            for (ClaimedDelivery d : claimed) {
                String apt = appointmentOf(d);
                assertTrue(inBatch.add(apt), "two events of " + apt + " in one claim");
                int expected = "appointment.scheduled".equals(d.eventType()) ? 0 : 1;
                assertEquals(expected, sentPerAppointment.getOrDefault(apt, 0), apt + ": " + d.eventType()
                        + " claimed out of order");
                sentPerAppointment.merge(apt, 1, Integer::sum);
                outcomes.add(d.outcome("sent", Instant.now(), null, 200, 1, null, "ok"));
            }
            assertEquals(0, store.record(outcomes));
            sent += claimed.size();
            claimed = store.claim(TARGET, 2_000, LEASE);
        }
        assertEquals(50_000, sent, "every delivery of the burst was claimed once");
        assertEquals(0, count(OF_TARGET + "status = 'pending'"));

        // A disabled target's 50,000 due rows are a range of the claim index that this target's claim never enters.
        sql("INSERT INTO delivery (event_id, target, status, appointment_id, source)"
                + " SELECT id, 'disabled-one', 'pending', appointment_id, source FROM event WHERE source = 'queue-test'");
        List<NewEvent> fresh = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fresh.add(event("fresh-" + i, EventType.SCHEDULED));
        }
        QuarkusTransaction.requiringNew().run(() -> inserter.insert(fresh));
        long isolated = claimBuffers();
        assertTrue(isolated < 2_000, "with another target's backlog the claim reads " + isolated + " buffers");
        assertEquals(100, store.claim(TARGET, 1_000, LEASE).size());
        sql("DELETE FROM delivery WHERE target = 'disabled-one'");
    }

    /**
     * Writers store events of a few appointments while two workers claim and record (sent, dead, or a retry due at
     * once). After every claim, no claimed row has an older row of its appointment still pending; at the end nothing
     * is left pending: no row waits for ever behind one that finished while it was being written.
     */
    @Test
    void concurrentWritersAndWorkersKeepEachAppointmentInOrderAndLeaveNothingBehind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                writers.add(pool.submit(() -> {
                    for (int b = 0; b < 60; b++) {
                        List<NewEvent> batch = new ArrayList<>();
                        int size = 1 + ThreadLocalRandom.current().nextInt(6);
                        for (int i = 0; i < size; i++) {
                            batch.add(event("race-" + ThreadLocalRandom.current().nextInt(8), EventType.RESCHEDULED));
                        }
                        QuarkusTransaction.requiringNew().run(() -> inserter.insert(batch));
                    }
                    return null;
                }));
            }
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(pool.submit(() -> work(writers)));
            }
            for (Future<?> f : writers) {
                f.get();
            }
            int claims = 0;
            for (Future<Integer> f : workers) {
                claims += f.get();
            }
            assertTrue(claims > 0);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, count(OF_TARGET + "status = 'pending'"),
                "rows left pending after the writers stopped and the workers drained");
        assertTrue(count(OF_TARGET + "status = 'sent'") > 0);
    }

    /**
     * A replay larger than one batch makes each row pending once, and each appointment's rows wait behind its oldest;
     * a row left waiting behind nothing (as a replica of an earlier release leaves it) is found and released.
     */
    @Test
    void aReplayRequeuesEachRowOnceInOrderAndAStrandedRowIsReleased() throws SQLException {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            batch.add(event("replay-" + (i % 500), EventType.RESCHEDULED));
        }
        QuarkusTransaction.requiringNew().run(() -> inserter.insert(batch));
        sql("UPDATE delivery SET status = 'sent' WHERE target = '" + TARGET + "'");
        assertEquals(2500, store.requeue(TARGET, OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)));
        assertEquals(2500, count(OF_TARGET + "status = 'pending'"));
        assertEquals(500, count(OF_TARGET + "status = 'pending' AND head"),
                "one head per appointment");
        assertEquals(0, count("""
                SELECT count(*) FROM delivery d WHERE d.target = 'queue' AND d.head AND EXISTS (SELECT 1 FROM delivery o
                 WHERE o.status = 'pending' AND o.target = d.target AND o.appointment_id = d.appointment_id
                   AND o.id < d.id)"""),
                "each head is its appointment's oldest row");

        sql("UPDATE delivery SET status = 'sent' WHERE target = '" + TARGET + "' AND head",
                "UPDATE delivery SET head = false WHERE target = '" + TARGET + "'");
        assertEquals(List.of(), store.claim(TARGET, 10, LEASE), "every row waits");
        assertEquals(500, store.releaseStranded(1000), "the 500 now oldest rows wait behind nothing");
        assertEquals(500, store.claim(TARGET, 1000, LEASE).size());
        assertEquals(0, store.releaseStranded(1000), "the rest wait behind the rows just claimed");
    }

    /** Claims and records until the writers are done and nothing is claimable; returns how many it claimed. */
    private int work(List<Future<?>> writers) throws SQLException {
        int claimed = 0;
        int idle = 0;
        while (idle < 3) {
            List<ClaimedDelivery> batch = store.claim(TARGET, 1 + ThreadLocalRandom.current().nextInt(4), LEASE);
            if (batch.isEmpty()) {
                idle = writers.stream().allMatch(Future::isDone) ? idle + 1 : 0;
                Thread.onSpinWait();
                continue;
            }
            claimed += batch.size();
            for (ClaimedDelivery d : batch) {
                assertEquals(0, count("SELECT count(*) FROM delivery o JOIN delivery c ON c.id = " + d.id()
                        + " WHERE o.status = 'pending' AND o.target = c.target AND o.appointment_id = c.appointment_id"
                        + " AND o.id < c.id"), "delivery " + d.id() + " claimed while an older one waits");
            }
            List<AttemptOutcome> outcomes = new ArrayList<>();
            for (ClaimedDelivery d : batch) {
                double dice = ThreadLocalRandom.current().nextDouble();
                outcomes.add(dice < 0.25 ? d.outcome("pending", Instant.now(), Instant.now(), 500, 1, "HTTP 500", null)
                        : d.outcome(dice < 0.35 ? "dead" : "sent", Instant.now(), null, 200, 1, null, "ok"));
            }
            store.record(outcomes);
        }
        return claimed;
    }

    private long claimBuffers() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + DeliveryStore.CANDIDATES
                        .replace(":target", "'" + TARGET + "'").replace(":limit", "100"))) {
            rs.next();
            String plan = rs.getString(1);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"Shared Hit Blocks\": (\\d+)").matcher(plan);
            long hits = 0;
            while (m.find()) {
                hits = Math.max(hits, Long.parseLong(m.group(1)));
            }
            java.util.regex.Matcher r = java.util.regex.Pattern.compile("\"Shared Read Blocks\": (\\d+)").matcher(plan);
            while (r.find()) {
                hits += Long.parseLong(r.group(1));
            }
            return hits;
        }
    }

    private String appointmentOf(ClaimedDelivery d) {
        String payload = d.payload();
        int at = payload.indexOf("burst-");
        return payload.substring(at, payload.indexOf('"', at));
    }

    private static NewEvent event(String appointmentId, EventType type) {
        return new NewEvent(UUID.randomUUID(), type, "queue-test", appointmentId, "pat-1",
                OffsetDateTime.now(ZoneOffset.UTC), null, null, null,
                "{\"appointment_id\":\"" + appointmentId + "\",\"patient_id\":\"pat-1\"}");
    }

    private long count(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
