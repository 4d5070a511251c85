package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.delivery.store.DeliveryOrder;
import dev.appointmentbridge.event.EventInserter;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.event.StoredEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The order locks of DeliveryOrder: writers of different appointments never wait for each other (the receiving
 * endpoint's concurrent batches commit side by side; with 128 shared buckets, two batches of new appointments almost
 * always shared one and committed one at a time), writers of one appointment do, a transaction of more keys than it
 * locks one by one excludes every other, and a release that locks buckets exclusively still excludes this one.
 */
@QuarkusTest
@TestProfile(QueueOnlyProfile.class)
class OrderLocksTest {

    @Inject
    DeliveryOrder order;

    @Inject
    DataSource dataSource;

    @Inject
    EventInserter inserter;

    /** Holds the locks of {@code appointments} of target {@code t} in a transaction until {@code release} opens. */
    private CompletableFuture<Void> hold(String t, List<String> appointments, CountDownLatch held, CountDownLatch release) {
        return CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            order.lockKeys(appointments.stream().map(a -> t).toArray(String[]::new), appointments.toArray(new String[0]));
            held.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    private CompletableFuture<Void> lock(String t, List<String> appointments) {
        return hold(t, appointments, new CountDownLatch(1), new CountDownLatch(0));
    }

    /** Another appointment whose key falls in the same bucket of 128 as {@code t/a}. */
    private String sameBucket(String t, String a) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT 'b-' || i FROM generate_series(1, 100000) i
                 WHERE hashtext(? || '/b-' || i) & 127 = hashtext(? || '/' || ?) & 127 AND 'b-' || i <> ? LIMIT 1""")) {
            s.setString(1, t);
            s.setString(2, t);
            s.setString(3, a);
            s.setString(4, a);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }

    private int waitingOnAdvisoryLocks() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void writersOfDifferentAppointmentsInOneBucketDoNotWait() throws Exception {
        String t = "locks-" + UUID.randomUUID().toString().substring(0, 8);
        String other = sameBucket(t, "a-1");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = hold(t, List.of("a-1"), held, release);
        try {
            assertTrue(held.await(20, TimeUnit.SECONDS));
            // completes while the first transaction holds its locks: no wait on a neighbour in the bucket
            lock(t, List.of(other)).get(20, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
        holder.get(20, TimeUnit.SECONDS);
    }

    /** Locks t/appointments in a transaction of its own and returns once it waits for another one's lock. */
    private CompletableFuture<Void> startWaiting(String t, List<String> appointments) throws SQLException {
        int before = waitingOnAdvisoryLocks();
        CompletableFuture<Void> waiter = lock(t, appointments);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnAdvisoryLocks() > before);
        return waiter;
    }

    /** While a transaction holds the locks of t/first, one locking t/second waits for it ({@code why}), then goes on. */
    private void assertWaitsBehind(String t, List<String> first, List<String> second, String why) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = hold(t, first, held, release);
        try {
            assertTrue(held.await(20, TimeUnit.SECONDS));
            CompletableFuture<Void> waiter = startWaiting(t, second);
            assertFalse(waiter.isDone(), why);
            release.countDown();
            waiter.get(20, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            holder.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void writersOfOneAppointmentWaitForEachOther() throws Exception {
        assertWaitsBehind("locks-" + UUID.randomUUID().toString().substring(0, 8), List.of("a-1"),
                List.of("a-2", "a-1"), "the second writer of a-1 waits for the first one's commit");
    }

    @Test
    void aTransactionOfManyKeysExcludesEveryOther() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add("m-" + i);
        }
        assertWaitsBehind("locks-" + UUID.randomUUID().toString().substring(0, 8), List.of("z-1"), many,
                "300 keys take the gate exclusively: they wait for the transaction of z-1");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT 1"); // no lock of an ended transaction is left
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND classid IN (250001, 250002, 250003)")) {
                r.next();
                assertEquals(0, r.getInt(1));
            }
            c.rollback();
        }
    }

    @Test
    void aReleaseThatLocksBucketsExclusivelyStillExcludesThisOne() throws Exception {
        String t = "locks-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection old = dataSource.getConnection(); Statement s = old.createStatement()) {
            old.setAutoCommit(false);
            // what a replica of an earlier release takes before it writes rows of t/a-1
            s.execute("SELECT pg_advisory_xact_lock(250001, hashtext('" + t + "/a-1') & 127)");
            CompletableFuture<Void> next = startWaiting(t, List.of("a-1"));
            assertFalse(next.isDone(), "waits for the earlier release's transaction");
            old.commit();
            next.get(20, TimeUnit.SECONDS);
        }
    }

    /**
     * The statement that stores an event takes its outbox rows' locks: a push of an appointment whose key another
     * transaction holds waits in its event insert, stores nothing before that transaction ends, then stores the event
     * and its delivery row.
     */
    @Test
    void theEventInsertTakesItsOutboxRowsLocks() throws Exception {
        String appointment = "locked-" + UUID.randomUUID().toString().substring(0, 8);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = hold(QueueOnlyProfile.TARGET, List.of(appointment), held, release);
        try {
            assertTrue(held.await(20, TimeUnit.SECONDS));
            int before = waitingOnAdvisoryLocks();
            NewEvent event = new NewEvent(UUID.randomUUID(), EventType.SCHEDULED, "inbound", appointment, "p-1",
                    OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS), null, null, null, "{}");
            CompletableFuture<List<StoredEvent>> insert = CompletableFuture.supplyAsync(
                    () -> QuarkusTransaction.requiringNew().call(() -> inserter.insert(List.of(event))));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnAdvisoryLocks() > before);
            assertEquals("INSERT INTO event", waitingStatement());
            assertFalse(insert.isDone(), "the insert waits for the holder's commit");
            release.countDown();
            long id = insert.get(20, TimeUnit.SECONDS).get(0).id();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) FROM delivery WHERE event_id = ? AND target = ? AND head")) {
                s.setLong(1, id);
                s.setString(2, QueueOnlyProfile.TARGET);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    assertEquals(1, r.getInt(1), "its delivery row, head of its appointment");
                }
            }
        } finally {
            release.countDown();
            holder.get(20, TimeUnit.SECONDS);
            // the profile's other tests count the target's pending rows
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "DELETE FROM delivery WHERE target = ? AND appointment_id = ?")) {
                s.setString(1, QueueOnlyProfile.TARGET);
                s.setString(2, appointment);
                s.executeUpdate();
            }
        }
    }

    /** The statement of the session waiting for an advisory lock: "INSERT INTO event" if it is an event insert. */
    private String waitingStatement() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT CASE WHEN a.query LIKE '%INSERT INTO event %' THEN 'INSERT INTO event' ELSE a.query END
                  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND NOT l.granted""")) {
            assertTrue(r.next(), "a session waits");
            return r.getString(1);
        }
    }
}
