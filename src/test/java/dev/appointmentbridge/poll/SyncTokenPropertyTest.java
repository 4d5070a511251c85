package dev.appointmentbridge.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.diff.StatusClass;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.poll.page.PollEventFactory;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import dev.appointmentbridge.poll.store.SyncTokenStore;
import dev.appointmentbridge.poll.token.SyncTokenCycle;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.HistoryPage;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;
import dev.appointmentbridge.source.SyncTokenFeed;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The invariant of design.md ("Diff rules") for sync-token sources, through the real PostgreSQL store
 * ({@link DatabaseCycleStore}, {@link SyncTokenStore}, page transactions, held cancellations): random histories of
 * a change feed as Google Calendar and Microsoft Graph document theirs. Pages of one to three entries; an entity
 * listed again when it changed again (repeats on one page and across pages); deletions as tombstones, and hard
 * deletes that leave none (only a full listing and a read by id tell); full listings that miss an item; writes
 * between the pages of a listing; a {@code 410} at any page (the token expired, or expired mid-listing); a last
 * page without its token. Three properties: every event changes what a receiver knows (nothing announced twice);
 * after every poll each cancellation for a deletion is of an appointment deleted upstream by then; after the
 * faults stop and one full listing, replaying every event gives each appointment its final upstream state. Seeded:
 * a failure names the seed ({@code -Dsync.token.seed=...}).
 */
@QuarkusTest
class SyncTokenPropertyTest {

    private static final int SEQUENCES = Integer.getInteger("sync.token.sequences", 40);
    private static final long BASE_SEED = Long.getLong("sync.token.seed", 20261207L);

    @Inject
    DatabaseCycleStore store;

    @Inject
    SyncTokenStore tokens;

    @Inject
    PollEventFactory factory;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void changeFeedsWithRepeatsTombstonesAndExpiry() {
        int checked = 0;
        for (int i = 0; i < SEQUENCES; i++) {
            checkSequence(BASE_SEED + i);
            checked++;
        }
        assertEquals(SEQUENCES, checked);
    }

    /** One entry of the change feed: the appointment's state after a change, or its tombstone. */
    private record Entry(long seq, String id, String status, Instant start, boolean tombstone) {
    }

    /** A change-feed API: full listings and listings since a token, paged, with the faults real ones have. */
    private static final class Feed implements SyncTokenFeed {

        final Random rnd;
        final String name;
        final List<Entry> log = new ArrayList<>();
        final Map<String, Entry> current = new TreeMap<>();
        final Set<String> everDeleted = new HashSet<>();
        final Set<String> everSeen = new HashSet<>();
        final List<String> steps;
        long seq;
        long validFrom;
        boolean faults = true;
        Instant startBase;
        /** The listing being read: its entries and where the next page starts. */
        List<Entry> listing;
        int offset;
        long listingAt;
        String lastToken;

        Feed(Random rnd, String name, List<String> steps) {
            this.rnd = rnd;
            this.name = name;
            this.steps = steps;
        }

        void write() {
            int op = rnd.nextInt(10);
            String id = "t" + rnd.nextInt(6);
            Entry now = current.get(id);
            if (now == null || op < 4) {
                Entry e = new Entry(++seq, id, "booked", startBase.plus(rnd.nextInt(48), ChronoUnit.HOURS), false);
                change(e);
                steps.add("put " + id);
            } else if (op < 6) {
                change(new Entry(++seq, id, "cancelled", now.start(), false));
                steps.add("cancel " + id);
            } else if (op < 8) {
                change(new Entry(++seq, id, null, null, true));
                steps.add("delete " + id);
            } else if (op < 9) {
                current.remove(id); // Google's hard delete: no tombstone in any feed
                everDeleted.add(id);
                seq++;
                steps.add("hard-delete " + id);
            } else {
                validFrom = ++seq;
                steps.add("expire tokens");
            }
        }

        private void change(Entry e) {
            log.add(e);
            everSeen.add(e.id());
            if (e.tombstone()) {
                current.remove(e.id());
                everDeleted.add(e.id());
            } else {
                current.put(e.id(), e);
            }
        }

        @Override
        public SourcePage list(String token) throws SourceFetchException {
            lastToken = null;
            listingAt = seq;
            listing = new ArrayList<>();
            if (token == null) {
                for (Entry e : current.values()) {
                    if (faults && rnd.nextInt(8) == 0) {
                        continue; // a listing that misses one: read by id before anything is concluded
                    }
                    listing.add(e);
                }
            } else {
                long since = Long.parseLong(token);
                if (since < validFrom) {
                    throw new SourceFetchException("410 Gone", 410, null);
                }
                log.stream().filter(e -> e.seq() > since).forEach(listing::add); // repeats included, in order
            }
            offset = 0;
            return page();
        }

        @Override
        public SourcePage next(SourcePage page) throws SourceFetchException {
            if (faults && rnd.nextInt(10) == 0) {
                steps.add("410 mid-listing");
                throw new SourceFetchException("410 Gone", 410, null);
            }
            if (faults && rnd.nextInt(6) == 0) {
                write(); // a change while the listing is read: the next token covers it
            }
            return page();
        }

        private SourcePage page() {
            int size = 1 + rnd.nextInt(3);
            List<Entry> entries = listing.subList(Math.min(offset, listing.size()), Math.min(offset + size,
                    listing.size()));
            offset += size;
            boolean last = offset >= listing.size();
            // The last occurrence of an id on a page is its state (JsonSource's lastOccurrences).
            Map<String, Entry> byId = new java.util.LinkedHashMap<>();
            for (Entry e : entries) {
                byId.remove(e.id());
                byId.put(e.id(), e);
            }
            List<AppointmentRecord> records = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (Entry e : byId.values()) {
                if (e.tombstone()) {
                    removed.add(e.id());
                } else {
                    records.add(record(e));
                }
            }
            lastToken = last && !(faults && rnd.nextInt(15) == 0) ? Long.toString(listingAt) : null;
            return new SourcePage(records, List.of(), Map.of(), last ? null : "page-" + listingAt + "-" + offset,
                    null, false, removed);
        }

        private static AppointmentRecord record(Entry e) {
            return new AppointmentRecord(e.id(), e.status(), e.start(), e.start().plus(30, ChronoUnit.MINUTES), 30,
                    "dr-1", null, "p-" + e.id(), null, null);
        }

        @Override
        public String syncToken() {
            return lastToken;
        }

        @Override
        public ReadResult read(String id) throws SourceFetchException {
            Entry e = current.get(id);
            return e == null ? new ReadResult.Gone(404)
                    : new ReadResult.Found(new SourcePage(List.of(record(e)), List.of(), Map.of(), null, null, false));
        }

        @Override
        public SourcePage search(Instant since) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HistoryPage history(Instant since) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HistoryPage next(HistoryPage page) {
            throw new UnsupportedOperationException();
        }
    }

    /** What a receiver knows of one appointment. */
    private record View(StatusClass status, String start) {
    }

    private void checkSequence(long seed) {
        Random rnd = new Random(seed);
        List<String> steps = new ArrayList<>();
        Feed feed = new Feed(rnd, "prop-sync-" + seed, steps);
        feed.startBase = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        SyncTokenCycle cycle = new SyncTokenCycle(new SyncTokenCycle.Settings(feed.name, true, 10_000,
                Duration.ofMinutes(2)), feed, store, tokens, factory, Clock.systemUTC());
        long seen = 0;
        int count = 10 + rnd.nextInt(30);
        for (int step = 0; step < count; step++) {
            if (rnd.nextInt(3) == 0) {
                Set<String> deletedBefore = new HashSet<>(feed.everDeleted);
                poll(cycle, steps);
                deletedBefore.addAll(feed.everDeleted);
                seen = checkCancellations(feed, deletedBefore, seen, seed, steps);
            } else {
                feed.write();
            }
        }
        // Quiesce: the faults stop, every token expires once (hard deletes show only in a full listing), and
        // the feed is read until nothing changes.
        feed.faults = false;
        feed.validFrom = ++feed.seq;
        steps.add("quiesce");
        for (int k = 0; k < 3; k++) {
            poll(cycle, steps);
        }
        checkCancellations(feed, feed.everDeleted, seen, seed, steps);
        List<String[]> events = events(feed.name, 0);
        Map<String, View> views = new HashMap<>();
        for (String[] e : events) {
            EventType type = EventType.fromWire(e[0]).orElseThrow();
            View view = type == EventType.CANCELLED ? new View(StatusClass.CANCELLED, null)
                    : new View(StatusClass.ACTIVE, e[2]);
            if (view.equals(views.get(e[1]))) {
                fail("seed " + seed + ": " + e[0] + " of " + e[1] + " changes nothing a receiver knew\nsteps: "
                        + String.join(" | ", steps) + "\nevents: " + summary(events));
            }
            views.put(e[1], view);
        }
        for (String id : feed.everSeen) {
            Entry up = feed.current.get(id);
            View expected = up == null || up.status().equals("cancelled") ? null
                    : new View(StatusClass.ACTIVE, up.start().toString());
            View got = views.get(id);
            boolean ok = expected == null ? got == null || got.status() == StatusClass.CANCELLED
                    : Objects.equals(expected, got);
            if (!ok) {
                fail("seed " + seed + ": " + id + " ends " + (up == null ? "deleted" : up) + " upstream, a receiver"
                        + " knows " + got + "\nsteps: " + String.join(" | ", steps) + "\nevents: " + summary(events));
            }
        }
    }

    private static void poll(SyncTokenCycle cycle, List<String> steps) {
        try {
            cycle.run();
            steps.add("poll");
        } catch (SourceFetchException e) {
            steps.add("poll failed (" + e.getMessage() + ")");
        }
    }

    /** Each cancellation for a deletion since {@code after} is of an appointment deleted upstream by then. */
    private long checkCancellations(Feed feed, Set<String> deleted, long after, long seed, List<String> steps) {
        long last = after;
        for (String[] e : events(feed.name, after)) {
            last = Long.parseLong(e[3]);
            if (e[0].equals(EventType.CANCELLED.wireName()) && "deleted".equals(e[4]) && !deleted.contains(e[1])) {
                fail("seed " + seed + ": " + e[1] + " cancelled as deleted though upstream holds it: "
                        + feed.current.get(e[1]) + "\nsteps: " + String.join(" | ", steps));
            }
        }
        return last;
    }

    private static String summary(List<String[]> events) {
        StringBuilder s = new StringBuilder();
        for (String[] e : events) {
            s.append(e[1]).append(':').append(e[0].substring("appointment.".length())).append(' ');
        }
        return s.toString();
    }

    /** type, appointment id, start, id, reason of each event of the source after {@code after}, in order. */
    private List<String[]> events(String source, long after) {
        List<String[]> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select type, appointment_id, payload::jsonb #>> '{appointment,start}', id, payload::jsonb ->> 'reason'
                  from event where source = ? and id > ? order by id""")) {
            s.setString(1, source);
            s.setLong(2, after);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }
}
