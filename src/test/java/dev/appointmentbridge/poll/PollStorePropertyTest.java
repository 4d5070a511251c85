package dev.appointmentbridge.poll;

import dev.appointmentbridge.poll.cursor.CursorCycle;
import dev.appointmentbridge.poll.window.WindowCycle;
import dev.appointmentbridge.poll.page.PollEventFactory;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.source.SourceFetchException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The invariant of design.md ("Diff rules") against the real PostgreSQL store: random upstream histories polled
 * through {@link DatabaseCycleStore} (fencing tokens, per-page transactions, held cancellations, window floors,
 * pending removals, the outbox), then the events in the {@code event} table replayed as a receiver would. Four kinds
 * of source, each with writes between the pages of a listing (offset pages that shift), pages that fail, and
 * listings that answer {@code 200 []} several times in a row:
 * <ul>
 * <li>FHIR cursor sources, some with versionIds, some with {@code _history} answering 503 for ever;</li>
 * <li>JSON changed-since sources (offset pages, no deletes, a 60 s overlap);</li>
 * <li>FHIR window sources (absences read by id), some in slices;</li>
 * <li>JSON window sources without reads by id (absences wait for an operator's confirmation beyond a bound).</li>
 * </ul>
 * Two properties: after every poll, each cancellation it sent for a delete or removal is of an appointment that was
 * gone upstream at some moment of that poll (no false cancellation, however long the empty answers); after the
 * faults stop (and, for the JSON window source, an operator confirmed what waits), replaying every event gives
 * each appointment its final upstream state. Seeded: a failure names the seed ({@code -Dpoll.store.seed=...}).
 */
@QuarkusTest
class PollStorePropertyTest {

    private static final int SEQUENCES = Integer.getInteger("poll.store.sequences", 25);
    private static final long BASE_SEED = Long.getLong("poll.store.seed", 20261203L);

    enum Kind {
        FHIR_CURSOR, JSON_CHANGED_SINCE, FHIR_WINDOW, JSON_WINDOW;

        boolean window() {
            return this == FHIR_WINDOW || this == JSON_WINDOW;
        }
    }

    @Inject
    DatabaseCycleStore store;

    @Inject
    PollEventFactory factory;

    @Inject
    PollCycle cycle;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void fhirCursorSources() throws SQLException {
        check(Kind.FHIR_CURSOR);
    }

    @Test
    void jsonChangedSinceSources() throws SQLException {
        check(Kind.JSON_CHANGED_SINCE);
    }

    @Test
    void fhirWindowSources() throws SQLException {
        check(Kind.FHIR_WINDOW);
    }

    @Test
    void jsonWindowSourcesWithoutReadsById() throws SQLException {
        check(Kind.JSON_WINDOW);
    }

    private void check(Kind kind) throws SQLException {
        int checked = 0;
        for (int i = 0; i < SEQUENCES; i++) {
            checkSequence(kind, BASE_SEED + i);
            checked++;
        }
        assertEquals(SEQUENCES, checked);
    }

    /** One source's history; {@code log} says what happened, for the failure message. */
    private final class Run {

        final UpstreamModel upstream;
        final Kind kind;
        final long seed;
        final List<String> log = new ArrayList<>();
        final Clock clock;
        long lastEventId;

        Run(Kind kind, long seed) {
            this.kind = kind;
            this.seed = seed;
            Random rnd = new Random(seed);
            Random flavour = new Random(seed * 31 + 7);
            upstream = new UpstreamModel(rnd, kind == Kind.FHIR_CURSOR && flavour.nextInt(4) == 0);
            upstream.name = "prop-" + kind.name().toLowerCase().replace('_', '-') + "-" + seed;
            // Ahead of the database's clock: a window source's first sync (its baselineAt) is older than every
            // booking the model makes, so each is announced.
            upstream.clock = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
            upstream.startBase = upstream.clock.plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
            upstream.noDeletes = kind == Kind.JSON_CHANGED_SINCE;
            upstream.versioned = (kind == Kind.FHIR_CURSOR || kind == Kind.FHIR_WINDOW) && flavour.nextBoolean();
            upstream.writesWhilePaging = true;
            upstream.log = log;
            upstream.windowMode = kind.window();
            upstream.readsById = kind != Kind.JSON_WINDOW;
            upstream.slice = kind.window() && flavour.nextBoolean() ? Duration.ofDays(7) : null;
            clock = new Clock() {
                @Override
                public Instant instant() {
                    return upstream.clock;
                }

                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        void poll() {
            Set<String> gone = upstream.markPoll();
            try {
                if (kind.window()) {
                    new WindowCycle(new WindowCycle.Settings(upstream.name, true, Duration.ofDays(1), Duration.ofDays(30),
                            0.5, 10_000, Duration.ofMinutes(2)), upstream, store, store, factory, clock).run();
                } else {
                    Duration overlap = kind == Kind.JSON_CHANGED_SINCE ? Duration.ofSeconds(60) : Duration.ofSeconds(2);
                    new CursorCycle(new CursorCycle.Settings(upstream.name, true, overlap, 10_000, upstream.readsHistory(),
                            Duration.ofMinutes(2)), upstream, store, factory, clock).run();
                }
                log.add("poll");
            } catch (SourceFetchException e) {
                log.add("poll failed");
            }
            checkCancellations(gone, "poll");
        }

        /** An operator confirms every removal waiting now. */
        void confirm() {
            Set<String> gone = upstream.markPoll();
            try {
                cycle.confirmRemovals(upstream, Instant.now());
            } catch (SourceFetchException e) {
                throw new IllegalStateException(e);
            }
            log.add("confirm");
            checkCancellations(gone, "confirmation");
        }

        /** Every cancellation since the last check that a delete or removal caused is of an appointment gone. */
        private void checkCancellations(Set<String> goneAtStart, String what) {
            Set<String> gone = new HashSet<>(goneAtStart);
            gone.addAll(upstream.deletedSinceMark);
            List<ReceiverReplay.Received> fresh = events(lastEventId);
            for (ReceiverReplay.Received e : fresh) {
                String reason = e.reason();
                if (e.type() == EventType.CANCELLED && ("deleted".equals(reason) || "removed".equals(reason))
                        && !gone.contains(e.appointmentId())) {
                    fail("seed " + seed + " (" + kind + "): a " + what + " cancelled " + e.appointmentId()
                            + " as " + reason + " though upstream holds it: " + upstream.current.get(e.appointmentId())
                            + "\nsteps: " + String.join(" | ", log) + "\nevents: " + ReceiverReplay.summary(events(0)));
                }
            }
            lastEventId = maxEventId();
        }

        List<ReceiverReplay.Received> events(long after) {
            return PollStorePropertyTest.this.events(upstream.name, after);
        }

        long maxEventId() {
            return PollStorePropertyTest.this.maxEventId(upstream.name);
        }
    }

    private void checkSequence(Kind kind, long seed) {
        Run run = new Run(kind, seed);
        UpstreamModel upstream = run.upstream;
        Random rnd = upstream.rnd;
        int steps = 5 + rnd.nextInt(30);
        for (int step = 0; step < steps; step++) {
            int op = rnd.nextInt(100);
            if (op < 25) {
                run.poll();
            } else if (op < 29) {
                upstream.advance(Duration.ofSeconds(rnd.nextInt(90)));
                run.log.add("time +");
            } else if (op < 33) {
                upstream.blackout = 1 + rnd.nextInt(4);
                run.log.add("200 [] x" + upstream.blackout);
            } else {
                run.log.add(upstream.randomWrite(run::poll));
            }
        }
        // Quiesce: faults and writes stop, caches expire, every change is read.
        upstream.failureRate = 0;
        upstream.blackout = 0;
        upstream.writesWhilePaging = false;
        for (int k = 0; k < 3; k++) {
            upstream.advance(Duration.ofSeconds(61));
            run.poll();
        }
        if (kind == Kind.JSON_WINDOW) {
            run.confirm();
            upstream.advance(Duration.ofSeconds(61));
            run.poll();
        }
        List<ReceiverReplay.Received> events = events(upstream.name, 0);
        String difference = ReceiverReplay.difference(upstream, events);
        if (difference != null) {
            fail("seed " + seed + " (" + kind + "): " + difference + "\nsteps: " + String.join(" | ", run.log)
                    + "\nevents: " + ReceiverReplay.summary(events));
        }
    }

    private List<ReceiverReplay.Received> events(String source, long after) {
        List<ReceiverReplay.Received> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select type, appointment_id, payload from event where source = ? and id > ? order by id")) {
            s.setString(1, source);
            s.setLong(2, after);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(new ReceiverReplay.Received(EventType.fromWire(r.getString(1)).orElseThrow(),
                            r.getString(2), r.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    private long maxEventId(String source) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select coalesce(max(id), 0) from event where source = ?")) {
            s.setString(1, source);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
