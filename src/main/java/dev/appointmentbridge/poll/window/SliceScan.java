package dev.appointmentbridge.poll.window;

import dev.appointmentbridge.poll.cursor.CursorRules;
import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.store.CycleStore;
import dev.appointmentbridge.poll.store.WindowStore;
import dev.appointmentbridge.poll.store.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;

/**
 * One search of a window scan or sweep (one scope, one slice), paged and committed page by page, and what it lets
 * the bridge conclude about the known appointments of that scope and slice it did not list (docs/polling.md, "Absence
 * is confirmed, never assumed"):
 * <ul>
 * <li>a failed page concludes nothing (pages before it stay committed);</li>
 * <li>a scan with fewer items than {@code window.min-ratio} × the slice's last complete one concludes nothing
 * (an API answering half-empty is more likely failing than half the appointments gone). Where the source can
 * read by id, two consecutive short answers that agree are taken as the slice's new size (each absence is still
 * read before anything is cancelled). Where it cannot, a short answer never becomes the slice's size however often
 * it repeats (an API answering {@code 200 []} for a while would otherwise cancel the whole window): its absences
 * wait as pending removals for an operator's confirmation;</li>
 * <li>otherwise each known appointment not listed is read by id where the source can: found → diffed as it is
 * (moved in time, scope or status → the usual event), 404/410 → cancelled with the source's absence reason. A
 * source without reads by id cancels it as removed when the scan ends and no later search of it listed the
 * appointment (it may have moved to a slice scanned after its own), but one scan cancels no more than
 * {@code window.max-removals} or {@code window.max-removal-share} of the window's known appointments: beyond
 * that, its absences wait for an operator's confirmation too.</li>
 * </ul>
 * Known appointments starting within {@link #EDGE} of the window's outer ends are not looked into: APIs differ on
 * inclusive bounds, and the ends move while a scan runs.
 */
public final class SliceScan {

    static final Duration EDGE = Duration.ofMinutes(1);

    /**
     * What one search concluded; {@code failure} set when it or a read by id failed. {@code missed} counts
     * appointments it did not list that a read by id found still in its scope and slice: such a search was not
     * complete, whatever it said, and does not move the watermark.
     */
    public record Outcome(int items, boolean concluded, int absent, int missed, String note, SourceFetchException failure) {

        /** Concluded, and nothing in its scope and slice was missing from it. */
        boolean complete() {
            return concluded && missed == 0;
        }
    }

    private final PolledSource feed;
    private final CycleStore store;
    private final WindowStore windows;
    private final double minRatio;
    private final int maxPages;
    private final WindowPlan plan;
    private final boolean quietFreshSlices;
    private final Instant trackedSince;
    private final boolean sweep;
    private final ListingReads reads;
    /** Every id a search of this scan listed so far. */
    private final Set<String> listedInScan = new HashSet<>();
    /** Sources without reads by id: absences cancelled by this scan so far, against the scan's limit. */
    private int removedInScan;
    private final RemovalHolds removals;
    public int pages;
    public int records;

    /**
     * @param quietFreshSlices window mode: a slice never scanned completely before (it just entered the window,
     *                         or its scope was just added) is a baseline for appointments booked before
     *                         {@code trackedSince} (the source's first sync); sweeps announce all they find
     * @param sweep            a cursor source's reconciliation sweep: without reads by id it cannot tell an
     *                         appointment moved since the cursor's last cycle from a removed one, so every absence
     *                         it finds waits for an operator's confirmation
     */
    public SliceScan(PolledSource feed, CycleStore store, WindowStore windows, double minRatio, int maxPages,
            WindowPlan plan, boolean quietFreshSlices, Instant trackedSince, boolean sweep) {
        this.feed = feed;
        this.store = store;
        this.windows = windows;
        this.minRatio = minRatio;
        this.maxPages = maxPages;
        this.plan = plan;
        this.removals = new RemovalHolds(feed, windows, plan, EDGE);
        this.quietFreshSlices = quietFreshSlices;
        this.trackedSince = trackedSince;
        this.sweep = sweep;
        this.reads = new ListingReads(feed, store);
    }

    /** Scans {@code unit} and concludes what it can; cancellations carry {@code reason}. */
    public Outcome scan(Lease lease, PageWriter writer, WindowPlan.Unit unit, Instant now, String reason) {
        Set<String> listed = new HashSet<>();
        int firstPage = pages;
        WindowStore.Floor floor = windows.floor(lease, unit.scope(), unit.key());
        Listing first = new Listing();
        writer.quietNew(quietFreshSlices && floor == null, trackedSince);
        try {
            read(lease, writer, unit, now, listed, first);
        } catch (SourceFetchException e) {
            return new Outcome(listed.size(), false, 0, 0, "scan stopped at page " + (pages - firstPage + 1) + " ("
                    + e.getMessage() + "); pages before it are committed, no absence concluded", e);
        } finally {
            writer.quietNew(false, null);
        }
        int items = listed.size();
        Instant from = unit.from().isBefore(plan.from().plus(EDGE)) ? plan.from().plus(EDGE) : unit.from();
        Instant to = unit.to().isAfter(plan.to().minus(EDGE)) ? plan.to().minus(EDGE) : unit.to();
        int complete = floor == null ? 0 : floor.complete();
        boolean shortScan = floor != null && items < minRatio * complete;
        Integer lastShort = floor == null ? null : floor.lastShort();
        if (shortScan && (lastShort == null || lastShort != items || !feed.readsById())) {
            windows.recordFloor(lease, unit.scope(), unit.key(), new WindowStore.Floor(complete, items));
            String why = "scan at " + now + " listed " + items + " items, fewer than window.min-ratio (" + minRatio
                    + ") x the last complete scan's " + complete;
            if (!feed.readsById()) {
                int held = hold(lease, unit, from, to, listed, reason, why);
                return new Outcome(items, false, 0, 0, why + ": no absence concluded however often it repeats; "
                        + held + " absent appointments wait for an operator's confirmation", null);
            }
            return new Outcome(items, false, 0, 0, why + ": no absence concluded (the same answer next time is taken "
                    + "as the new size)", null);
        }
        List<String> knownOpen = windows.openStartingIn(lease, unit.scope(), from, to);
        List<String> absent = knownOpen.stream().filter(id -> !listed.contains(id)).toList();
        int goneBefore = writer.gone();
        int missed = 0;
        int heldBack = 0;
        int heldUntilEnd = 0;
        Outcome relisting;
        if (!feed.readsById()) {
            List<String> fresh = absent.stream().filter(id -> !removals.pending(lease).contains(id)).toList();
            if (sweep && !fresh.isEmpty()) {
                removals.hold(lease, fresh, reason, "sweep at " + now + " did not list them; without item-url a "
                        + "sweep cannot tell a move from a removal");
                heldBack = absent.size();
                absent = List.of();
            } else if (fresh.size() < absent.size()) {
                // Removals of this slice already wait for an operator: the API may be shrinking in steps (losing a
                // page at a time), so nothing more is concluded from it, and its size is not taken as the floor,
                // until the operator has confirmed (20 -> 11 -> 6 -> 3 items cancelled 10).
                removals.hold(lease, fresh, reason, "scan at " + now + " did not list them while earlier removals of "
                        + "the same slice wait for confirmation");
                heldBack = absent.size();
                absent = List.of();
            } else if (!fresh.isEmpty() && (relisting = relist(lease, writer, unit, now, floor, first)) != null) {
                return relisting;
            } else if (removedInScan + fresh.size() > removals.limit(lease)) {
                heldBack = removals.hold(lease, fresh, reason, "scan at " + now + " would cancel " + (removedInScan
                        + fresh.size()) + " appointments, more than window.max-removals / window.max-removal-share "
                        + "allow (" + removals.limit(lease) + ")");
                absent = List.of();
            } else {
                removals.conclude(fresh, reason);
                removedInScan += fresh.size();
                absent = List.of();
                heldUntilEnd = fresh.size();
            }
        }
        try {
            for (String id : absent) {
                if (!feed.readsById()) {
                    writer.gone(lease, id, reason);
                } else if (missed(writer.confirmGone(lease, feed, id, now, reason), unit)) {
                    missed++;
                }
            }
        } catch (SourceFetchException e) {
            // The scan itself was complete; say so, and why its absences are only partly concluded.
            return new Outcome(items, false, absent.size(), missed, "complete scan at " + now + ": " + items
                    + " items, " + absent.size() + " known ones absent; a read by id failed (" + e.getMessage()
                    + "): the rest are looked into next cycle", e);
        }
        if (heldBack > 0) {
            windows.recordFloor(lease, unit.scope(), unit.key(), new WindowStore.Floor(
                    Math.max(items, floor == null ? 0 : floor.complete()), items));
            return new Outcome(items, false, heldBack, 0, "complete scan at " + now + ": " + items + " items, "
                    + heldBack + " known ones absent, waiting for an operator's confirmation (" + (sweep
                            ? "a sweep without item-url cannot tell a move from a removal"
                            : "more than one scan may cancel, or earlier removals still wait") + ")", null);
        }
        windows.recordFloor(lease, unit.scope(), unit.key(), new WindowStore.Floor(items, null));
        if (heldUntilEnd > 0) {
            return new Outcome(items, true, heldUntilEnd, 0, "complete scan at " + now + ": " + items + " items, "
                    + heldUntilEnd + " known ones absent, cancelled as " + reason + " when no later search of the scan"
                    + " lists them", null);
        }
        return new Outcome(items, true, absent.size(), missed, "complete scan at " + now + ": " + items + " items, "
                + absent.size() + " known ones absent, " + (writer.gone() - goneBefore) + " cancelled as " + reason
                + (missed == 0 ? "" : "; " + missed + " of them read back still in this scope and slice: the search "
                        + "missed them, so it does not count as complete"), null);
    }

    /**
     * A source without reads by id cannot confirm an absence, and an offset-paged listing skips a record when one
     * before it moves or goes while the pages are read. So its absences count only when a second listing of the
     * unit, read right after, holds exactly the same records (ids and content) and neither listing holds a record
     * twice (a record seen twice moved while it was read). Returns null when they agree, else the unit's outcome:
     * nothing concluded, looked into next cycle.
     */
    private Outcome relist(Lease lease, PageWriter writer, WindowPlan.Unit unit, Instant now, WindowStore.Floor floor,
            Listing first) {
        Listing second = new Listing();
        writer.quietNew(quietFreshSlices && floor == null, trackedSince);
        try {
            read(lease, writer, unit, now, new HashSet<>(), second);
        } catch (SourceFetchException e) {
            return new Outcome(first.records.size(), false, 0, 0, "complete scan at " + now + ", but the second "
                    + "listing that confirms its absences failed (" + e.getMessage() + "): no absence concluded", e);
        } finally {
            writer.quietNew(false, null);
        }
        if (!first.twice && !second.twice && first.records.equals(second.records)) {
            return null;
        }
        return new Outcome(first.records.size(), false, 0, 0, "scan at " + now + ": the listing changed while it was "
                + "read (a second listing differed, or a record appeared twice); without item-url an absence counts "
                + "only when two listings agree, so none is concluded until a calmer cycle", null);
    }

    /** What one listing of a unit held: each record as read, and whether one came twice. */
    private static final class Listing {

        public final java.util.Map<String, Object> records = new java.util.HashMap<>();
        boolean twice;

        void add(String id, Object record) {
            if (records.put(id, record) != null) {
                twice = true;
            }
        }
    }

    /** Holds the unit's known absences for an operator's confirmation; returns how many wait now. */
    private int hold(Lease lease, WindowPlan.Unit unit, Instant from, Instant to, Set<String> listed, String reason,
            String why) {
        List<String> absent = windows.openStartingIn(lease, unit.scope(), from, to).stream()
                .filter(id -> !listed.contains(id)).toList();
        return removals.hold(lease, absent, reason, why);
    }

    /**
     * Whether an appointment read by id (null: not found) shows that a search of this scan missed it: it is in
     * this search's scope and slice, or in an earlier search's that did not list it (only
     * this search was checked). A later search may still list it; if not, that search counts it.
     */
    private boolean missed(dev.appointmentbridge.source.AppointmentRecord r, WindowPlan.Unit unit) {
        if (r == null) {
            return false;
        }
        int at = plan.indexOf(r.locationId(), r.providerId(), r.patientId(), r.start());
        int now = plan.indexOf(unit);
        return at >= 0 && (at == now || at < now && !listedInScan.contains(r.id()));
    }

    /**
     * Ends a scan whose every search answered: cancels the absences its units concluded that no search of the scan
     * listed. A scan that stopped early concludes none of them (the rest of the window may list them).
     */
    public void finish(Lease lease, PageWriter writer) {
        removals.finish(lease, writer, listedInScan);
    }

    /** Reads and commits every page of the unit, collecting the ids it lists. */
    private void read(Lease lease, PageWriter writer, WindowPlan.Unit unit, Instant now, Set<String> listed,
            Listing listing) throws SourceFetchException {
        Set<String> followed = new HashSet<>();
        SourcePage page = feed.window(unit.scope(), unit.from(), unit.to());
        while (true) {
            if (pages + 1 > maxPages) {
                throw new SourceFetchException("more than " + maxPages + " pages in one scan", 0, null);
            }
            pages++;
            records += page.size();
            page.appointments().forEach(r -> listed.add(r.id()));
            page.poison().forEach(p -> listed.add(p.appointmentId()));
            page.appointments().forEach(r -> listing.add(r.id(), r));
            page.poison().forEach(p -> listing.add(p.appointmentId(), p));
            listedInScan.addAll(listed);
            Instant searchTime = CursorRules.serverTime(page.searchTime(), now);
            writer.commitListed(lease, reads.settle(lease, writer, page, unit, searchTime), searchTime);
            if (page.next() == null) {
                return;
            }
            if (!followed.add(page.next())) {
                throw new SourceFetchException("next links of the window scan run in a circle", 0, null);
            }
            page = feed.next(page);
        }
    }
}
