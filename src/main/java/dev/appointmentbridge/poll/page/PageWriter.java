package dev.appointmentbridge.poll.page;

import dev.appointmentbridge.poll.store.PageCommit;
import dev.appointmentbridge.poll.store.CycleStore;
import dev.appointmentbridge.poll.store.Lease;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentFeed;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;

/**
 * The writing half of a cycle, shared by cursor and window cycles: commits a page's diff in one transaction,
 * confirms an absence by reading the appointment by id, and counts what it did for the cycle's result.
 */
public final class PageWriter {

    /** Answers to a read by id that will not change by asking again. */
    private static final Set<Integer> READ_INCONCLUSIVE = Set.of(400, 403, 405, 406, 409, 422);

    private final CycleStore store;
    private final PageDiff diff;
    private final Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
    private final Set<String> poisonIds = new HashSet<>();
    private int gone;

    public PageWriter(CycleStore store, PageDiff diff) {
        this.store = store;
        this.diff = diff;
    }

    /**
     * Records committed per transaction at most: a page larger than this (an API that returns its whole list at
     * once) is committed in parts, the cursor with the last one. Far below PostgreSQL's 65,535 bind parameters
     * per statement, which a 32,769-record page exceeded.
     */
    static final int MAX_RECORDS_PER_COMMIT = 1000;

    /**
     * Diffs and commits one page with its cursor (null: leave it) and, on a source's first cycle, where reading
     * {@code _history} starts.
     */
    public void commit(Lease lease, SourcePage page, Instant searchTime, Instant cursor, Instant firstHistoryCursor) {
        commit(lease, page, searchTime, cursor, firstHistoryCursor, false);
    }

    /** A page of a window scan's search: its ids count as listed by the scan (see PageDiff#trackListings). */
    public void commitListed(Lease lease, SourcePage page, Instant searchTime) {
        commit(lease, page, searchTime, null, null, true);
    }

    /** See {@link PageDiff#quietNew}. */
    public void quietNew(boolean on, Instant announceFrom) {
        diff.quietNew(on, announceFrom);
    }

    private void commit(Lease lease, SourcePage page, Instant searchTime, Instant cursor, Instant firstHistoryCursor,
            boolean listing) {
        // A tombstone says the source deleted it: nothing to read back, the last known state is what is cancelled.
        // Before the records, whose commit may carry the cursor past the page. A page names each id once.
        for (String id : page.removed()) {
            gone(lease, id, CanonicalEvent.REASON_DELETED);
        }
        List<AppointmentRecord> all = page.appointments();
        if (all.size() <= MAX_RECORDS_PER_COMMIT) {
            commitPart(lease, page, searchTime, cursor, firstHistoryCursor, listing);
        } else {
            for (int from = 0; from < all.size(); from += MAX_RECORDS_PER_COMMIT) {
                int to = Math.min(all.size(), from + MAX_RECORDS_PER_COMMIT);
                SourcePage part = new SourcePage(all.subList(from, to), from == 0 ? page.poison() : List.of(),
                        page.patients(), page.next(), page.searchTime(), page.sortedByLastUpdated());
                commitPart(lease, part, searchTime, to == all.size() ? cursor : null,
                        from == 0 ? firstHistoryCursor : null, listing);
            }
        }
    }

    private void commitPart(Lease lease, SourcePage page, Instant searchTime, Instant cursor,
            Instant firstHistoryCursor, boolean listing) {
        Set<String> ids = new HashSet<>();
        for (AppointmentRecord r : page.appointments()) {
            ids.add(r.id());
            if (r.replacesId() != null) {
                ids.add(r.replacesId());
            }
        }
        page.poison().forEach(p -> poisonIds.add(p.appointmentId()));
        PageCommit done = store.page(lease, ids, (known, held) -> {
            PageCommit c = diff.apply(page, searchTime, known, held, listing);
            c.cursor = cursor;
            c.firstHistoryCursor = firstHistoryCursor;
            return c;
        });
        done.quarantine.forEach(p -> poisonIds.add(p.appointmentId()));
        count(done);
    }

    /**
     * An appointment the source no longer lists: read by id first. Found → diffed as it is (moved, changed or
     * deleted and created again); 404/410 → cancelled with {@code reason}; an answer that will not change by
     * asking again (403, 400, ...) quarantines it: a cancellation is never guessed. Temporary failures (401,
     * 408, 429, 5xx, timeouts) fail the cycle and are asked again next time.
     *
     * @return the appointment as read when it was found, else null
     */
    public AppointmentRecord confirmGone(Lease lease, AppointmentFeed feed, String id, Instant time, String reason)
            throws SourceFetchException {
        Snapshot known = store.load(lease, List.of(id)).get(id);
        if (known == null || "deleted".equals(known.contentHash())) {
            return null; // never seen, or its removal already handled
        }
        ReadResult read;
        try {
            read = feed.read(id);
        } catch (SourceFetchException e) {
            if (!READ_INCONCLUSIVE.contains(e.status())) {
                throw e;
            }
            PoisonRecord unconfirmed = new PoisonRecord(id, (!CanonicalEvent.REASON_REMOVED.equals(reason)
                    ? "delete not confirmed: GET Appointment/{id}" : "absence not confirmed: GET item-url")
                    + " answered HTTP " + e.status(), null);
            store.page(lease, List.of(), (none, held) -> {
                PageCommit c = new PageCommit();
                c.quarantine.add(unconfirmed);
                return c;
            });
            poisonIds.add(id);
            return null;
        }
        if (read instanceof ReadResult.Found found) {
            SourcePage page = found.asPage();
            commit(lease, page, time, null, null);
            return page.appointments().isEmpty() ? null : page.appointments().get(0);
        }
        gone(lease, id, reason);
        return null;
    }

    /** Cancels a known appointment as gone upstream ({@code reason}), unless it already ended or was cancelled. */
    public void gone(Lease lease, String id, String reason) {
        PageCommit done = store.page(lease, List.of(id), (loaded, held) -> {
            Snapshot current = loaded.get(id);
            return current == null || "deleted".equals(current.contentHash()) ? new PageCommit()
                    : diff.deleted(current, loaded, held, reason);
        });
        if (!done.updates.isEmpty()) {
            gone++;
        }
        count(done);
    }

    public void countReleased(List<EventType> released) {
        released.forEach(type -> counts.merge(type, 1, Integer::sum));
    }

    private void count(PageCommit done) {
        for (PageCommit.Emit e : done.emits) {
            if (e instanceof PageCommit.New n) {
                counts.merge(n.event().type(), 1, Integer::sum);
            } else {
                counts.merge(EventType.CANCELLED, 1, Integer::sum);
            }
        }
    }

    public Map<EventType, Integer> counts() {
        return counts;
    }

    public int eventCount() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int quarantined() {
        return poisonIds.size();
    }

    /** Appointments cancelled as deleted or removed upstream in this cycle. */
    public int gone() {
        return gone;
    }
}
