package dev.appointmentbridge.poll.window;

import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.store.CycleStore;
import dev.appointmentbridge.poll.store.Lease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.appointmentbridge.diff.StatusClass;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.ReadResult;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;

/**
 * Reads by id a window search's page needs before its diff, where the order of a scan's searches is
 * not the order of events, as a cursor search's is:
 * <ul>
 * <li>a first-seen rebooking whose original is known, still active and not on this page: the original is read
 * and committed first, so its cancellation folds into the rebooking's {@code appointment.rescheduled} (seen
 * against HAPI FHIR: the rebooking came out as scheduled plus a cancellation);</li>
 * <li>a known appointment listed in another scope or slice than its snapshot's: it is read, and the read, not
 * the listing, is diffed. A genuine move costs one read; a server listing one appointment under two locations
 * with different values cannot make the first listing's version an event (a booked
 * appointment listed as cancelled under a second location was cancelled, then scheduled again).</li>
 * </ul>
 * A failed read changes nothing: the listing is diffed as it is.
 */
final class ListingReads {

    private final PolledSource feed;
    private final CycleStore store;

    ListingReads(PolledSource feed, CycleStore store) {
        this.feed = feed;
        this.store = store;
    }

    /** The page to diff as listed: without the records that were read (and committed) instead. */
    SourcePage settle(Lease lease, PageWriter writer, SourcePage page, WindowPlan.Unit unit, Instant time) {
        if (!feed.readsById() || page.appointments().isEmpty()) {
            return page;
        }
        Set<String> ids = new HashSet<>();
        page.appointments().forEach(r -> {
            ids.add(r.id());
            if (r.replacesId() != null) {
                ids.add(r.replacesId());
            }
        });
        Map<String, Snapshot> known = store.load(lease, ids);
        for (AppointmentRecord r : page.appointments()) {
            Snapshot original = r.replacesId() == null ? null : known.get(r.replacesId());
            if (!known.containsKey(r.id()) && original != null
                    && !listed(page, r.replacesId()) && !"deleted".equals(original.contentHash())
                    && StatusClass.of(original.status()) != StatusClass.CANCELLED) {
                readInstead(lease, writer, r.replacesId(), time);
            }
        }
        List<AppointmentRecord> keep = new ArrayList<>(page.appointments().size());
        for (AppointmentRecord r : page.appointments()) {
            Snapshot s = known.get(r.id());
            if (s != null && !"deleted".equals(s.contentHash()) && elsewhere(s, unit) && readInstead(lease, writer,
                    r.id(), time)) {
                continue;
            }
            keep.add(r);
        }
        return keep.size() == page.appointments().size() ? page
                : new SourcePage(keep, page.poison(), page.patients(), page.next(), page.searchTime(),
                        page.sortedByLastUpdated());
    }

    private static boolean listed(SourcePage page, String id) {
        return page.appointments().stream().anyMatch(r -> r.id().equals(id));
    }

    /** The snapshot places the appointment in another scope or slice than this search's. */
    private static boolean elsewhere(Snapshot s, WindowPlan.Unit unit) {
        boolean otherSlice = s.start() != null && (s.start().isBefore(unit.from()) || !s.start().isBefore(unit.to()));
        return otherSlice || !unit.scope().holds(s.locationId(), s.providerId(), s.patientId());
    }

    /** Reads the appointment and commits what the read says; false when the read failed. */
    private boolean readInstead(Lease lease, PageWriter writer, String id, Instant time) {
        try {
            if (feed.read(id) instanceof ReadResult.Found found) {
                writer.commit(lease, found.asPage(), time, null, null);
            } else {
                writer.gone(lease, id, feed.absenceReason());
            }
            return true;
        } catch (SourceFetchException e) {
            return false;
        }
    }
}
