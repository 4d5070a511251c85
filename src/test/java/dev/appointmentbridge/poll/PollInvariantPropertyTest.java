package dev.appointmentbridge.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.diff.StatusClass;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentFeed;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.HistoryPage;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;

/**
 * The invariant of design.md ("Diff rules"), as a property over random histories: for any sequence of upstream
 * states per appointment (status, time, provider, rebookings by {@code replaces}, deletes, resurrections,
 * future-dated meta.lastUpdated, edits that change nothing), polled at random moments through a search cache
 * that serves current versions of a stale id list (and sometimes ignores no-cache), with offset pages that
 * shift and pages that fail, replaying the events a receiver got yields each appointment's final upstream
 * state. Runs the real {@link CycleRun} and {@link PageDiff} over an in-memory store; seeded, so a failure
 * names the seed that reproduces it ({@code -Dpoll.property.seed=...}).
 */
class PollInvariantPropertyTest {

    private static final int SEQUENCES = Integer.getInteger("poll.property.sequences", 1500);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FUTURE = Instant.parse("2031-03-01T08:00:00Z");

    @Test
    void replayingTheEventsGivesEachAppointmentsFinalState() {
        long base = Long.getLong("poll.property.seed", 20261130L);
        int checked = 0;
        for (int i = 0; i < SEQUENCES; i++) {
            long seed = base + i;
            checkSequence(seed);
            checked++;
        }
        assertEquals(SEQUENCES, checked);
    }

    private void checkSequence(long seed) {
        Random rnd = new Random(seed);
        // One history in six: _history answers 503 on every call (slow history endpoints are common), so no cycle
        // ever finishes; such a server's deletes cannot be seen, so it deletes nothing (issue 24). Drawn from its own
        // generator, so the other histories stay as they were.
        Model upstream = new Model(rnd, new Random(seed * 31 + 7).nextInt(6) == 0);
        MemoryStore store = new MemoryStore();
        List<String> log = new ArrayList<>();
        boolean emitOnFirstSync = true;
        int steps = 5 + rnd.nextInt(40);
        for (int step = 0; step < steps; step++) {
            int op = rnd.nextInt(100);
            if (op < 25) {
                poll(upstream, store, emitOnFirstSync, log);
            } else if (op < 30) {
                upstream.advance(Duration.ofSeconds(rnd.nextInt(90)));
                log.add("time +");
            } else {
                log.add(upstream.randomWrite(() -> poll(upstream, store, emitOnFirstSync, log)));
            }
        }
        // Quiesce: faults off, caches expire, every change is read.
        upstream.failureRate = 0;
        for (int k = 0; k < 3; k++) {
            upstream.advance(Duration.ofSeconds(61));
            poll(upstream, store, emitOnFirstSync, log);
        }
        Map<String, Receiver> received = replay(store.events);
        for (String id : upstream.everyId()) {
            Version up = upstream.current.get(id);
            StatusClass expected = up == null ? StatusClass.CANCELLED : StatusClass.of(up.status);
            Receiver got = received.get(id);
            String where = "seed " + seed + ", appointment " + id + ", upstream " + up + ", received " + got
                    + "\nsteps: " + String.join(" | ", log) + "\nevents: " + summary(store.events);
            if (got == null) {
                if (expected == StatusClass.ACTIVE) {
                    fail("an active appointment was never announced: " + where);
                }
                continue;
            }
            if (got.status != expected) {
                fail("status " + got.status + " where upstream ends " + expected + ": " + where);
            }
            if (expected == StatusClass.ACTIVE
                    && (!Objects.equals(got.start, up.start.toString()) || !Objects.equals(got.provider, up.provider))) {
                fail("time or provider differ: " + where);
            }
        }
    }

    private static void poll(Model upstream, MemoryStore store, boolean emitOnFirstSync, List<String> log) {
        if (Boolean.getBoolean("poll.property.debug")) {
            System.out.println("POLL cursor " + store.cursor + " history " + store.historyCursor);
        }
        CycleRun.Settings settings = new CycleRun.Settings("prop", emitOnFirstSync, Duration.ofSeconds(2), 10_000, true,
                Duration.ofMinutes(2));
        Clock bridgeClock = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);
        try {
            new CycleRun(settings, upstream, store, new PollEventFactory(JSON), bridgeClock).run();
            log.add("poll");
        } catch (SourceFetchException e) {
            log.add("poll failed");
        }
    }

    /** A receiver's view after replaying the events in order. */
    private record Receiver(StatusClass status, String start, String provider) {
    }

    private static Map<String, Receiver> replay(List<NewEvent> events) {
        Map<String, Receiver> state = new HashMap<>();
        for (NewEvent e : events) {
            JsonNode payload;
            try {
                payload = JSON.readTree(e.payload());
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            JsonNode a = payload.path("appointment");
            String id = a.path("id").asText();
            String start = a.path("start").asText(null);
            String provider = a.path("provider_id").asText(null);
            switch (e.type()) {
                case SCHEDULED -> state.put(id, new Receiver(StatusClass.ACTIVE, start, provider));
                case RESCHEDULED -> {
                    state.put(id, new Receiver(StatusClass.ACTIVE, start, provider));
                    String previous = payload.path("previous").path("id").asText(id);
                    if (!previous.equals(id)) {
                        state.put(previous, new Receiver(StatusClass.CANCELLED, null, null)); // rebooked: folded
                    }
                }
                case CANCELLED -> state.put(id, new Receiver(StatusClass.CANCELLED, null, null));
                case NO_SHOW -> state.put(id, new Receiver(StatusClass.NO_SHOW, null, null));
                case COMPLETED -> state.put(id, new Receiver(StatusClass.FULFILLED, null, null));
                default -> throw new IllegalStateException();
            }
        }
        return state;
    }

    private static String summary(List<NewEvent> events) {
        StringBuilder s = new StringBuilder();
        for (NewEvent e : events) {
            s.append(e.appointmentId()).append(':').append(e.type().wireName().substring(12)).append(' ');
        }
        return s.toString();
    }

    // --- the upstream: a FHIR server model -------------------------------------------------------

    private record Version(String id, String status, Instant start, String provider, String replaces,
            Instant lastUpdated) {
    }

    private record Search(List<String> ids, Instant time) {
    }

    /**
     * Appointments with a server clock; searches sorted by lastUpdated with offset paging recomputed per request
     * (shifting), or served from a 60 s cache of the id list with current versions; _history of deletes.
     */
    private static final class Model implements AppointmentFeed {

        private static final String[] STATUSES = { "booked", "pending", "arrived", "cancelled", "noshow", "fulfilled",
                "entered-in-error", "booked", "booked" };
        private static final String[] PROVIDERS = { "dr-1", "dr-2", "dr-3" };

        final Map<String, Version> current = new LinkedHashMap<>();
        final Map<String, Instant> deleted = new LinkedHashMap<>();
        final Set<String> rebooked = new HashSet<>();
        final Map<String, Search> cache = new HashMap<>();
        final Random rnd;
        final int pageSize;
        final boolean cacheOn;
        final boolean cacheIgnoresNoCache;
        double failureRate;
        Instant clock = Instant.parse("2026-06-01T00:00:00Z");
        int next;

        /** _history answers 503 on every call; the model then deletes nothing. */
        final boolean historyBroken;

        Model(Random rnd, boolean historyBroken) {
            this.rnd = rnd;
            this.historyBroken = historyBroken;
            this.pageSize = 1 + rnd.nextInt(4);
            this.cacheOn = rnd.nextBoolean();
            this.cacheIgnoresNoCache = rnd.nextBoolean();
            this.failureRate = rnd.nextInt(3) == 0 ? 0.1 : 0;
        }

        Set<String> everyId() {
            Set<String> ids = new HashSet<>(current.keySet());
            ids.addAll(deleted.keySet());
            return ids;
        }

        void advance(Duration d) {
            clock = clock.plus(d);
        }

        /** One random write; {@code pollBetween} may run between the two writes of a rebooking. */
        String randomWrite(Runnable pollBetween) {
            int op = rnd.nextInt(100);
            List<String> live = new ArrayList<>(current.keySet());
            if (live.isEmpty() || op < 20) {
                String id = "a" + next++;
                write(new Version(id, rnd.nextBoolean() ? "booked" : "pending", FUTURE.plusSeconds(3600L * rnd.nextInt(48)),
                        PROVIDERS[rnd.nextInt(3)], null, null));
                return "create " + id;
            }
            String id = live.get(rnd.nextInt(live.size()));
            Version v = current.get(id);
            if (op < 30 && StatusClass.of(v.status) == StatusClass.ACTIVE && !rebooked.contains(id)) {
                String b = "a" + next++;
                rebooked.add(id);
                boolean replacementFirst = rnd.nextBoolean();
                Version replacement = new Version(b, "booked", v.start.plusSeconds(86400), v.provider, id, null);
                if (replacementFirst) {
                    write(replacement);
                } else {
                    write(with(v, "cancelled"));
                }
                if (rnd.nextInt(3) == 0) {
                    pollBetween.run();
                }
                if (replacementFirst) {
                    write(with(current.get(id), "cancelled"));
                } else {
                    write(replacement);
                }
                return "rebook " + id + " as " + b + (replacementFirst ? " (replacement first)" : "");
            }
            if (op < 50) {
                write(with(v, STATUSES[rnd.nextInt(STATUSES.length)]));
                return "status " + id + " " + current.get(id).status;
            }
            if (op < 62) {
                write(new Version(id, v.status, v.start.plusSeconds(1800L * (1 + rnd.nextInt(6))), v.provider, v.replaces, null));
                return "move " + id;
            }
            if (op < 70) {
                write(new Version(id, v.status, v.start, PROVIDERS[rnd.nextInt(3)], v.replaces, null));
                return "provider " + id;
            }
            if (op < 78) {
                write(new Version(id, v.status, v.start, v.provider, v.replaces, null)); // comment-only edit
                return "touch " + id;
            }
            if (op < 84) {
                // A client-supplied meta.lastUpdated years ahead (HAPI keeps what it is given in some setups).
                Version w = new Version(id, v.status, v.start, v.provider, v.replaces, clock.plus(Duration.ofDays(1800)));
                current.put(id, w);
                return "future-date " + id;
            }
            if (op < 93 && historyBroken) {
                return "nothing (no deletes while _history is broken)";
            }
            if (op < 93) {
                clock = clock.plusMillis(rnd.nextInt(1500));
                current.remove(id);
                deleted.put(id, clock);
                return "delete " + id;
            }
            if (!deleted.isEmpty()) {
                String gone = new ArrayList<>(deleted.keySet()).get(rnd.nextInt(deleted.size()));
                deleted.remove(gone);
                write(new Version(gone, "booked", FUTURE, "dr-1", null, null));
                return "resurrect " + gone;
            }
            return "nothing";
        }

        private static Version with(Version v, String status) {
            return new Version(v.id, status, v.start, v.provider, v.replaces, null);
        }

        private void write(Version v) {
            clock = clock.plusMillis(rnd.nextInt(1500)); // sometimes 0: two versions in one millisecond
            current.put(v.id, new Version(v.id, v.status, v.start, v.provider, v.replaces, clock));
            deleted.remove(v.id);
        }

        private void maybeFail() throws SourceFetchException {
            if (failureRate > 0 && rnd.nextDouble() < failureRate) {
                throw new SourceFetchException("GET /Appointment answered HTTP 503", 503, null);
            }
        }

        @Override
        public SourcePage search(Instant since) throws SourceFetchException {
            maybeFail();
            String key = String.valueOf(since);
            Search s = cache.get(key);
            // The bridge always sends no-cache; a cache in between may ignore it.
            if (!cacheOn || s == null || !s.time.plusSeconds(60).isAfter(clock) || !cacheIgnoresNoCache) {
                s = new Search(matching(since), clock);
                if (cacheOn) {
                    cache.put(key, s);
                }
            }
            if (Boolean.getBoolean("poll.property.debug")) {
                System.out.println("search since " + since + " at " + clock + " cached-time " + s.time + " ids " + s.ids
                        + " all " + current.values());
            }
            return page(key, s, 0);
        }

        @Override
        public SourcePage next(SourcePage page) throws SourceFetchException {
            maybeFail();
            String[] link = page.next().split("\\|");
            String key = link[0];
            int offset = Integer.parseInt(link[1]);
            Search s = cache.get(key);
            if (s == null || !cacheOn) {
                s = new Search(matching("null".equals(key) ? null : Instant.parse(key)), clock); // shifted
            }
            return page(key, s, offset);
        }

        private SourcePage page(String key, Search s, int offset) {
            List<AppointmentRecord> records = new ArrayList<>();
            int end = Math.min(offset + pageSize, s.ids.size());
            for (String id : s.ids.subList(Math.min(offset, s.ids.size()), end)) {
                Version v = current.get(id); // the current version, whatever the search saw
                if (v != null) {
                    records.add(record(v));
                }
            }
            String nextLink = end < s.ids.size() ? key + "|" + end : null;
            return new SourcePage(records, List.of(), Map.of(), nextLink, s.time, true);
        }

        private List<String> matching(Instant since) {
            return current.values().stream().filter(v -> since == null || !v.lastUpdated.isBefore(since))
                    .sorted(Comparator.comparing(Version::lastUpdated).thenComparing(Version::id)).map(Version::id)
                    .toList();
        }

        private static AppointmentRecord record(Version v) {
            return new AppointmentRecord(v.id, v.status, v.start, v.start.plusSeconds(1800), 30, v.provider, "loc-1",
                    "pat-" + v.id, v.replaces, v.lastUpdated);
        }

        @Override
        public HistoryPage history(Instant since) throws SourceFetchException {
            if (historyBroken) {
                throw new SourceFetchException("HTTP 503 from _history", 503, null);
            }
            maybeFail();
            List<String> ids = new ArrayList<>();
            deleted.forEach((id, at) -> {
                if (!at.isBefore(since)) {
                    ids.add(id);
                }
            });
            return new HistoryPage(ids, null, clock);
        }

        @Override
        public HistoryPage next(HistoryPage page) {
            throw new IllegalStateException("history has one page here");
        }

        @Override
        public ReadResult read(String id) throws SourceFetchException {
            maybeFail();
            Version v = current.get(id);
            return v == null ? new ReadResult.Gone(410)
                    : new ReadResult.Found(new SourcePage(List.of(record(v)), List.of(), Map.of(), null, null, true));
        }
    }

    // --- the store: what DatabaseCycleStore does, in memory ----------------------------------------

    private static final class MemoryStore implements CycleStore {

        final Map<String, Snapshot> snapshots = new HashMap<>();
        final LinkedHashMap<String, NewEvent> held = new LinkedHashMap<>();
        final List<NewEvent> events = new ArrayList<>();
        Instant cursor;
        Instant historyCursor;
        boolean baselineDone;
        long fence;

        @Override
        public Optional<Lease> acquire(String source, Duration lease) {
            return Optional.of(new Lease(source, ++fence, cursor, historyCursor, baselineDone, null, lease));
        }

        @Override
        public PageCommit page(Lease lease, Collection<String> ids, PageWork work) {
            Map<String, Snapshot> known = load(lease, ids);
            PageCommit c = work.diff(known, new HashSet<>(held.keySet()));
            for (Snapshot s : c.inserts) {
                if (snapshots.put(s.appointmentId(), s) != null) {
                    throw new IllegalStateException("insert of an existing snapshot " + s.appointmentId());
                }
            }
            for (Snapshot s : c.updates) {
                if (snapshots.put(s.appointmentId(), s) == null) {
                    throw new IllegalStateException("update of a missing snapshot " + s.appointmentId());
                }
            }
            c.dropHeld.forEach(held::remove);
            for (PageCommit.Emit e : c.emits) {
                if (e instanceof PageCommit.New n) {
                    events.add(n.event());
                } else if (e instanceof PageCommit.Release r && held.containsKey(r.appointmentId())) {
                    events.add(held.remove(r.appointmentId()));
                }
            }
            for (NewEvent h : c.hold) {
                if (held.put(h.appointmentId(), h) != null) {
                    throw new IllegalStateException("two held cancellations of " + h.appointmentId());
                }
            }
            if (historyCursor == null) {
                historyCursor = c.firstHistoryCursor;
            }
            if (c.cursor != null) {
                if (cursor != null && c.cursor.isBefore(cursor)) {
                    throw new IllegalStateException("cursor moved back");
                }
                cursor = c.cursor;
            }
            return c;
        }

        @Override
        public Map<String, Snapshot> load(Lease lease, Collection<String> ids) {
            Map<String, Snapshot> known = new HashMap<>();
            for (String id : ids) {
                if (snapshots.containsKey(id)) {
                    known.put(id, snapshots.get(id));
                }
            }
            return known;
        }

        @Override
        public List<EventType> finish(Lease lease, Instant historyCursor, Instant completeThrough, int records,
                int eventCount) {
            List<EventType> released = new ArrayList<>();
            for (NewEvent h : held.values()) {
                events.add(h);
                released.add(h.type());
            }
            held.clear();
            this.historyCursor = historyCursor;
            this.baselineDone = true;
            return released;
        }

        @Override
        public List<EventType> releaseHeld(Lease lease) {
            return releaseLeftover(lease);
        }

        @Override
        public List<EventType> releaseLeftover(Lease lease) {
            List<EventType> released = new ArrayList<>();
            for (NewEvent h : held.values()) {
                events.add(h);
                released.add(h.type());
            }
            held.clear();
            return released;
        }

        @Override
        public void disableDeletes(Lease lease, String reason) {
            throw new IllegalStateException("the model always offers _history");
        }

        @Override
        public void abandon(Lease lease) {
            // nothing to release in memory
        }
    }
}
