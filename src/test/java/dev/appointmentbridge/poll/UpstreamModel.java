package dev.appointmentbridge.poll;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.appointmentbridge.diff.StatusClass;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.HistoryPage;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;
import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.source.WindowScope;

/**
 * A scheduling system as the property tests see it: appointments on a server clock; searches by meta.lastUpdated
 * with offset pages recomputed per request (shifting), or served from a 60 s cache of the id list with current
 * versions; {@code _history} of deletes; reads by id; window listings by start time. Hostile on request: pages that
 * fail, {@code _history} answering 503 for ever, listings that answer {@code 200 []} for a while (a maintenance page),
 * writes between the pages of one listing, versions numbered by meta.versionId.
 */
final class UpstreamModel implements PolledSource {

    record Version(String id, String status, Instant start, String provider, String replaces, Instant lastUpdated,
            Long versionId) {

        Version(String id, String status, Instant start, String provider, String replaces, Instant lastUpdated) {
            this(id, status, start, provider, replaces, lastUpdated, null);
        }
    }

    private record Search(List<String> ids, Instant time) {
    }

    private static final String[] STATUSES = { "booked", "pending", "arrived", "cancelled", "noshow", "fulfilled",
            "entered-in-error", "booked", "booked" };
    private static final String[] PROVIDERS = { "dr-1", "dr-2", "dr-3" };

    final Map<String, Version> current = new LinkedHashMap<>();
    final Map<String, Instant> deleted = new LinkedHashMap<>();
    /** Ids deleted since {@link #markPoll()}: absent at some moment of the poll that follows. */
    final Set<String> deletedSinceMark = new HashSet<>();
    final Set<String> rebooked = new HashSet<>();
    final Map<String, Search> cache = new HashMap<>();
    private final Map<String, Long> versionCounter = new HashMap<>();
    final Random rnd;
    final int pageSize;
    final boolean cacheOn;
    final boolean cacheIgnoresNoCache;
    double failureRate;
    Instant clock = Instant.parse("2026-06-01T00:00:00Z");
    int next;

    /** _history answers 503 on every call; the model then deletes nothing. */
    final boolean historyBroken;

    // Settings of the flavours beyond the in-memory cursor test; none of them draws from rnd unless switched on.
    /** Starts of new appointments: this plus up to two days. */
    Instant startBase = Instant.parse("2031-03-01T08:00:00Z");
    /** The source has no way to tell a delete: the model deletes nothing (a JSON changed-since API). */
    boolean noDeletes;
    /** Records carry meta.versionId, one more on every write and delete of the id. */
    boolean versioned;
    /** Writes between the pages of one listing (one page in three), drawn from the model's generator. */
    boolean writesWhilePaging;
    /** Listings (first pages) still to answer {@code 200 []}. */
    int blackout;
    /** Window mode: a JSON window source, or a FHIR one (reads by id). */
    boolean windowMode;
    boolean readsById = true;
    Duration slice;
    String name = "prop";
    private boolean noFutureDating;
    /** Where writes between pages are told, or null. */
    List<String> log;

    UpstreamModel(Random rnd, boolean historyBroken) {
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

    /** Ids absent now or deleted from now on until the next mark. */
    Set<String> markPoll() {
        deletedSinceMark.clear();
        Set<String> absent = everyId();
        absent.removeAll(current.keySet());
        return absent;
    }

    void advance(Duration d) {
        clock = clock.plus(d);
    }

    private boolean deletes() {
        return !historyBroken && !noDeletes;
    }

    /** One random write; {@code pollBetween} may run between the two writes of a rebooking. */
    String randomWrite(Runnable pollBetween) {
        int op = rnd.nextInt(100);
        List<String> live = new ArrayList<>(current.keySet());
        if (live.isEmpty() || op < 20) {
            String id = "a" + next++;
            write(new Version(id, rnd.nextBoolean() ? "booked" : "pending",
                    startBase.plusSeconds(3600L * rnd.nextInt(48)), PROVIDERS[rnd.nextInt(3)], null, null));
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
            if (replacementFirst && current.containsKey(id)) {
                write(with(current.get(id), "cancelled"));
            } else if (!replacementFirst) {
                write(replacement);
            }
            return "rebook " + id + " as " + b + (replacementFirst ? " (replacement first)" : "");
        }
        if (op < 50) {
            write(with(v, STATUSES[rnd.nextInt(STATUSES.length)]));
            return "status " + id + " " + current.get(id).status;
        }
        if (op < 62) {
            write(new Version(id, v.status, v.start.plusSeconds(1800L * (1 + rnd.nextInt(6))), v.provider, v.replaces,
                    null));
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
        if (op < 84 && !noFutureDating) {
            // A client-supplied meta.lastUpdated years ahead (HAPI keeps what it is given in some setups).
            Version w = new Version(id, v.status, v.start, v.provider, v.replaces, clock.plus(Duration.ofDays(1800)),
                    nextVersion(id));
            current.put(id, w);
            return "future-date " + id;
        }
        if (op < 93 && !deletes()) {
            return "nothing (this source cannot tell a delete)";
        }
        if (op < 93) {
            clock = clock.plusMillis(rnd.nextInt(1500));
            current.remove(id);
            deleted.put(id, clock);
            deletedSinceMark.add(id);
            nextVersion(id);
            return "delete " + id;
        }
        if (!deleted.isEmpty()) {
            String gone = new ArrayList<>(deleted.keySet()).get(rnd.nextInt(deleted.size()));
            deleted.remove(gone);
            write(new Version(gone, "booked", startBase, "dr-1", null, null));
            return "resurrect " + gone;
        }
        return "nothing";
    }

    private static Version with(Version v, String status) {
        return new Version(v.id, status, v.start, v.provider, v.replaces, null);
    }

    private Long nextVersion(String id) {
        long n = versionCounter.merge(id, 1L, Long::sum);
        return versioned ? n : null;
    }

    private void write(Version v) {
        clock = clock.plusMillis(rnd.nextInt(1500)); // sometimes 0: two versions in one millisecond
        current.put(v.id, new Version(v.id, v.status, v.start, v.provider, v.replaces, clock, nextVersion(v.id)));
        deleted.remove(v.id);
    }

    private void maybeFail() throws SourceFetchException {
        if (failureRate > 0 && rnd.nextDouble() < failureRate) {
            throw new SourceFetchException("GET /Appointment answered HTTP 503", 503, null);
        }
    }

    /**
     * Someone edits while the bridge reads the pages of one listing. Not a future-dating write: the bridge cannot
     * tell it from a version that was dated in the future long ago (docs/polling.md, "Pages that shift": a known limit), and it would
     * find such a skip only in its next sweep, which this model does not run.
     */
    private void maybeWriteWhilePaging() {
        if (writesWhilePaging && rnd.nextInt(3) == 0) {
            noFutureDating = true;
            String what;
            try {
                what = randomWrite(() -> {
                });
            } finally {
                noFutureDating = false;
            }
            if (log != null) {
                log.add("(while paging) " + what);
            }
        }
    }

    private SourcePage empty() {
        return new SourcePage(List.of(), List.of(), Map.of(), null, clock, true);
    }

    @Override
    public SourcePage search(Instant since) throws SourceFetchException {
        maybeFail();
        if (blackout > 0) {
            blackout--;
            return empty();
        }
        String key = String.valueOf(since);
        Search s = cache.get(key);
        // The bridge always sends no-cache; a cache in between may ignore it.
        if (!cacheOn || s == null || !s.time.plusSeconds(60).isAfter(clock) || !cacheIgnoresNoCache) {
            s = new Search(matching(since), clock);
            if (cacheOn) {
                cache.put(key, s);
            }
        }
        return page(key, s, 0);
    }

    @Override
    public SourcePage next(SourcePage page) throws SourceFetchException {
        maybeWriteWhilePaging();
        maybeFail();
        String[] link = page.next().split("\\|");
        if ("W".equals(link[0])) {
            return windowPage(Instant.parse(link[1]), Instant.parse(link[2]), Integer.parseInt(link[3]));
        }
        String key = link[0];
        int offset = Integer.parseInt(link[1]);
        Search s = cache.get(key);
        if (s == null || !cacheOn) {
            s = new Search(matching("null".equals(key) ? null : Instant.parse(key)), clock); // shifted
        }
        return page(key, s, offset);
    }

    private SourcePage page(String key, Search s, int offset) {
        if (Boolean.getBoolean("poll.property.debug") && log != null) {
            log.add("[page " + key + "@" + offset + " of " + s.ids + " at " + s.time + " now " + clock + "]");
        }
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
                "pat-" + v.id, v.replaces, v.lastUpdated, v.versionId);
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
        if (!readsById) {
            throw new IllegalStateException("read by id asked of a source without item-url: " + id);
        }
        maybeFail();
        Version v = current.get(id);
        return v == null ? new ReadResult.Gone(410)
                : new ReadResult.Found(new SourcePage(List.of(record(v)), List.of(), Map.of(), null, null, true));
    }

    // --- window mode -----------------------------------------------------------------------------------

    @Override
    public SourcePage window(WindowScope scope, Instant from, Instant to) throws SourceFetchException {
        maybeFail();
        if (blackout > 0) {
            blackout--;
            return empty();
        }
        return windowPage(from, to, 0);
    }

    /** Sorted by start; each page recomputed, so a write between pages shifts it. */
    private SourcePage windowPage(Instant from, Instant to, int offset) {
        List<Version> all = current.values().stream().filter(v -> !v.start.isBefore(from) && v.start.isBefore(to))
                .sorted(Comparator.comparing(Version::start).thenComparing(Version::id)).toList();
        int end = Math.min(offset + pageSize, all.size());
        List<AppointmentRecord> records = all.subList(Math.min(offset, all.size()), end).stream()
                .map(UpstreamModel::record).toList();
        String nextLink = end < all.size() ? "W|" + from + "|" + to + "|" + end : null;
        return new SourcePage(records, List.of(), Map.of(), nextLink, clock, false);
    }

    @Override
    public String name() {
        return name;
    }

    /** The few settings a scan reads from its source's configuration, at their documented defaults. */
    @Override
    public SourcesConfig.Source config() {
        SourcesConfig.Window window = (SourcesConfig.Window) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { SourcesConfig.Window.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "maxRemovals" -> 5;
                    case "maxRemovalShare" -> 0.1;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (SourcesConfig.Source) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { SourcesConfig.Source.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "window" -> window;
                    case "requestTimeout" -> Duration.ofSeconds(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Override
    public String url() {
        return "model:" + name;
    }

    @Override
    public Mode mode() {
        return windowMode ? Mode.WINDOW : Mode.CURSOR;
    }

    @Override
    public boolean readsHistory() {
        return !noDeletes;
    }

    @Override
    public boolean readsById() {
        return readsById;
    }

    @Override
    public List<WindowScope> scopes() {
        return List.of(WindowScope.NONE);
    }

    @Override
    public Duration slice() {
        return slice;
    }

    @Override
    public boolean scansWindows() {
        return true;
    }

    @Override
    public String absenceReason() {
        return readsById ? "deleted" : "removed";
    }

    @Override
    public Instant pausedUntil() {
        return null;
    }
}
