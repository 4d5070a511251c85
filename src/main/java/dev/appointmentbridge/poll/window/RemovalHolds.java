package dev.appointmentbridge.poll.window;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.appointmentbridge.poll.page.PageWriter;
import dev.appointmentbridge.poll.store.Lease;
import dev.appointmentbridge.poll.store.WindowStore;
import dev.appointmentbridge.source.PolledSource;

/**
 * What one scan of a source without reads by id does with the absences it finds: holds them for an operator's
 * confirmation, or concludes them, within the scan's removal limit, and cancels them when the scan ends.
 */
final class RemovalHolds {

    private final PolledSource feed;
    private final WindowStore windows;
    private final WindowPlan plan;
    private final Duration edge;
    private Integer limit;
    private Set<String> pending;
    /**
     * Sources without reads by id: absences concluded by a unit, cancelled by {@link #finish} unless a later search
     * of the scan lists them (an appointment moved from a slice not yet scanned to one scanned after it).
     */
    private final java.util.Map<String, String> concluded = new java.util.LinkedHashMap<>();

    RemovalHolds(PolledSource feed, WindowStore windows, WindowPlan plan, Duration edge) {
        this.feed = feed;
        this.windows = windows;
        this.plan = plan;
        this.edge = edge;
    }

    void conclude(List<String> ids, String reason) {
        ids.forEach(id -> concluded.put(id, reason));
    }

    int hold(Lease lease, List<String> ids, String reason, String why) {
        if (!ids.isEmpty()) {
            windows.holdRemovals(lease, ids, reason, why);
            pending(lease).addAll(ids);
        }
        return ids.size();
    }

    Set<String> pending(Lease lease) {
        if (pending == null) {
            pending = windows.pendingRemovals(lease);
        }
        return pending;
    }

    /** How many absences one scan may cancel: max(window.max-removals, share x known open in the window). */
    int limit(Lease lease) {
        if (limit == null) {
            var w = feed.config().window();
            int known = windows.openStartingIn(lease, dev.appointmentbridge.source.WindowScope.NONE,
                    plan.from().plus(edge), plan.to().minus(edge)).size();
            limit = Math.max(w.maxRemovals(), (int) Math.floor(w.maxRemovalShare() * known));
        }
        return limit;
    }

    /**
     * Ends a scan whose every search answered: cancels the absences its units concluded that no search of the scan
     * listed. A scan that stopped early concludes none of them (the rest of the window may list them).
     */
    void finish(Lease lease, PageWriter writer, Set<String> listedInScan) {
        for (java.util.Map.Entry<String, String> e : concluded.entrySet()) {
            if (!listedInScan.contains(e.getKey())) {
                writer.gone(lease, e.getKey(), e.getValue());
            }
        }
        concluded.clear();
    }
}
