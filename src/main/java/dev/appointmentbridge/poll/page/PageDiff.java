package dev.appointmentbridge.poll.page;

import dev.appointmentbridge.poll.store.PageCommit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.appointmentbridge.diff.Change;
import dev.appointmentbridge.diff.DiffRules;
import dev.appointmentbridge.diff.StatusClass;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.SourcePage;

/**
 * One page against the stored snapshots: which snapshots to write, which events to append or hold, what to
 * quarantine. No I/O; {@code known} and {@code held} are the page transaction's view and are updated as
 * records are applied, so two versions of one appointment on one page diff against each other.
 */
public final class PageDiff {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PageDiff.class);

    private final String source;
    private java.time.Duration versionReset = DiffRules.DEFAULT_VERSION_RESET;
    private final boolean baseline;
    private final Instant now;
    private final PollEventFactory events;
    private final String reason;
    private final Instant trustedThrough;
    /** Window scans: each id listed so far in this scan, with its content hash (null: not tracked). */
    private java.util.Map<String, String> listedInScan;
    private boolean quietNew;
    private Instant quietNewBefore;
    private boolean announceBaselined;

    public PageDiff(String source, boolean baseline, Instant now, PollEventFactory events) {
        this(source, baseline, now, events, null, null);
    }

    /**
     * A reconciliation sweep's diff: its events carry {@code reason} ({@code reconciled}), and records
     * updated after {@code trustedThrough} (the cursor) are left alone: the cursor path reads them next cycle, so
     * they are not something it missed.
     */
    public PageDiff(String source, boolean baseline, Instant now, PollEventFactory events, String reason,
            Instant trustedThrough) {
        this.source = source;
        this.baseline = baseline;
        this.now = now;
        this.events = events;
        this.reason = reason;
        this.trustedThrough = trustedThrough;
    }

    /** The cursor overlap: a lower versionId dated later than the snapshot by more is a reset (DiffRules). */
    public PageDiff versionReset(java.time.Duration overlap) {
        versionReset = overlap;
        return this;
    }

    /**
     * A push that arrived while the source's first sync ran: that sync stored what it listed without events, so
     * when the appointment is as that sync stored it, it is announced as first seen (the push named a change the
     * silent baseline took in).
     */
    public PageDiff announceBaselined() {
        announceBaselined = true;
        return this;
    }

    /**
     * Window scans: an id that two searches of one scan list with different values (a server
     * contradicting itself across scopes) is quarantined instead of being rescheduled back and forth every cycle.
     */
    public PageDiff trackListings() {
        listedInScan = new java.util.HashMap<>();
        return this;
    }

    /**
     * While on, an appointment first seen is stored without an event unless its meta.lastUpdated is at or after
     * {@code announceFrom} (null: never announced): the first scan of a slice that has just entered the window,
     * or of a newly added scope, is that slice's baseline, as a source's first sync is. Bookings made after the
     * source's tracking began are still announced (every midnight's new slice announced its
     * whole day as scheduled).
     */
    void quietNew(boolean on, Instant announceFrom) {
        quietNew = on;
        quietNewBefore = announceFrom;
    }

    /**
     * @param serverTime the search's own time: a record dated later (a client-supplied or skewed
     *                   meta.lastUpdated) is stored as if dated then, so a later real update is not "older"
     * @param listing    the page lists a window scan's search (see {@link #trackListings()}), not a read by id
     */
    PageCommit apply(SourcePage page, Instant serverTime, Map<String, Snapshot> known, Set<String> held,
            boolean listing) {
        PageCommit commit = new PageCommit();
        Set<String> stored = Set.copyOf(known.keySet());
        List<AppointmentRecord> ordered = new ArrayList<>(page.appointments().size());
        // A new slice's quiet baseline compares meta.lastUpdated as the server wrote it: capped at the HTTP Date's
        // whole seconds, a booking made in the first sync's first second would pass for an older one.
        Map<String, Instant> serverDated = quietNew ? new java.util.HashMap<>() : Map.of();
        for (AppointmentRecord r : page.appointments()) {
            if (trustedThrough == null || r.lastUpdated() == null || !r.lastUpdated().isAfter(trustedThrough)) {
                if (quietNew && r.lastUpdated() != null) {
                    serverDated.put(r.id(), r.lastUpdated());
                }
                ordered.add(capped(r, serverTime));
            }
        }
        // Rebookings last, so a cancellation of the appointment they replace on the same page is seen first.
        ordered.sort(Comparator.comparing((AppointmentRecord r) -> r.replacesId() != null));
        Map<String, Snapshot> written = new LinkedHashMap<>();
        for (AppointmentRecord r : ordered) {
            if (listing && listedInScan != null && contradicts(r)) {
                commit.quarantine.add(new PoisonRecord(r.id(), "listed with different values by two searches of one "
                        + "window scan (the server contradicts itself across scopes or slices)", r.lastUpdated()));
                continue;
            }
            commit.unquarantine.add(r.id());
            Snapshot previous = known.get(r.id());
            if (announceBaselined && previous != null && previous.contentHash().equals(DiffRules.contentHash(r))) {
                previous = null;
            }
            Snapshot replaced = previous == null && r.replacesId() != null ? foldable(known.get(r.replacesId())) : null;
            Change change = DiffRules.derive(previous, r, replaced, versionReset);
            if (DiffRules.versionWentBack(previous, r)) {
                boolean reset = DiffRules.isVersionReset(r, previous, versionReset);
                io.micrometer.core.instrument.Metrics.counter("bridge.poll.version.back", "source", source, "taken",
                        reset ? "newer" : "older").increment();
                LOG.warnf("Source %s appointment %s: versionId %d after %d, %s", source, r.id(), r.versionId(),
                        previous.versionId(), reset ? "dated later by more than " + versionReset
                                + ": taken as a new version (re-created or renumbered)" : "dropped as an older version");
            }
            if (!change.writesSnapshot()) {
                continue;
            }
            known.put(r.id(), change.next());
            written.put(r.id(), change.next());
            // Only a live replacement takes over the earlier appointment; one first seen already cancelled
            // announces nothing, so the earlier one's cancellation must stand (docs/polling.md, "The invariant").
            if (replaced != null && change.event() == EventType.RESCHEDULED) {
                Snapshot marked = replaced.withReplacedBy(r.id());
                known.put(marked.appointmentId(), marked);
                written.put(marked.appointmentId(), marked);
                if (held.remove(marked.appointmentId())
                        && !commit.hold.removeIf(e -> e.appointmentId().equals(marked.appointmentId()))) {
                    commit.dropHeld.add(marked.appointmentId()); // held by an earlier page or cycle
                }
            }
            Instant updated = serverDated.get(r.id());
            boolean quiet = quietNew && previous == null && (quietNewBefore == null || updated == null
                    || updated.isBefore(quietNewBefore));
            if (change.event() != null && !baseline && !quiet) {
                emit(commit, held, events.create(source, change, page.patients().get(r.patientId()), now, reason));
            }
        }
        for (PoisonRecord p : page.poison()) {
            commit.quarantine.add(p);
        }
        split(commit, written, stored);
        return commit;
    }

    /** Whether an earlier search of this scan listed the same id with other values (remembers this one). */
    private boolean contradicts(AppointmentRecord r) {
        String hash = DiffRules.contentHash(r);
        String earlier = listedInScan.putIfAbsent(r.id(), hash);
        return earlier != null && !earlier.equals(hash);
    }

    /**
     * The appointment a new one replaces, when the rebooking can be announced as its reschedule: its
     * cancellation (or delete) has been seen and it is not already replaced. While it is still active the
     * new one is announced as scheduled and its own cancellation follows when seen; folding it then would
     * tell receivers it is gone while it may stay booked (found by the poll invariant property test).
     */
    private static Snapshot foldable(Snapshot original) {
        return original != null && StatusClass.of(original.status()) == StatusClass.CANCELLED
                && original.replacedById() == null ? original : null;
    }

    /**
     * A delete confirmed by a 404/410 read, or a window source's confirmed absence: a not-yet-ended,
     * not-yet-cancelled appointment is cancelled with {@code reason} (CanonicalEvent.REASON_*).
     */
    PageCommit deleted(Snapshot s, Map<String, Snapshot> known, Set<String> held, String reason) {
        PageCommit commit = new PageCommit();
        if (StatusClass.of(s.status()) == StatusClass.CANCELLED || ended(s)) {
            return commit;
        }
        // No version kept: a server may number an appointment created again under the same id from 1.
        Snapshot gone = new Snapshot(s.appointmentId(), "cancelled", s.start(), s.end(), s.durationMinutes(),
                s.providerId(), s.locationId(), s.patientId(), s.replacesId(), s.replacedById(), "deleted",
                s.lastUpdated(), null);
        known.put(s.appointmentId(), gone);
        commit.updates.add(gone);
        // A rebooked appointment's deletion is part of its rebooking, as its cancellation would be.
        if (s.replacedById() == null && !baseline) {
            emit(commit, held, events.deleted(source, s, now, this.reason != null ? this.reason : reason));
        }
        return commit;
    }

    private static void emit(PageCommit commit, Set<String> held, NewEvent event) {
        // A held cancellation goes out before any later event of its appointment, never after it.
        if (held.remove(event.appointmentId())) {
            commit.emits.add(new PageCommit.Release(event.appointmentId()));
        }
        if (event.type() == EventType.CANCELLED) {
            commit.hold.add(event);
            held.add(event.appointmentId());
        } else {
            commit.emits.add(new PageCommit.New(event));
        }
    }

    private boolean ended(Snapshot s) {
        Instant end = s.end() != null ? s.end()
                : s.start() != null && s.durationMinutes() != null ? s.start().plusSeconds(60L * s.durationMinutes())
                : s.start();
        return end != null && end.isBefore(now);
    }

    private static void split(PageCommit commit, Map<String, Snapshot> written, Set<String> stored) {
        for (Snapshot s : written.values()) {
            (stored.contains(s.appointmentId()) ? commit.updates : commit.inserts).add(s);
        }
    }

    private static AppointmentRecord capped(AppointmentRecord r, Instant serverTime) {
        if (serverTime == null || r.lastUpdated() == null || !r.lastUpdated().isAfter(serverTime)) {
            return r;
        }
        return new AppointmentRecord(r.id(), r.status(), r.start(), r.end(), r.durationMinutes(), r.providerId(),
                r.locationId(), r.patientId(), r.replacesId(), serverTime, r.versionId());
    }
}
