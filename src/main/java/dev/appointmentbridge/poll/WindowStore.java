package dev.appointmentbridge.poll;

import java.time.Instant;
import java.util.List;

/** What a window cycle keeps beyond the cursor cycle's state: the known appointments in range, scan sizes. */
public interface WindowStore {

    /** Ids of open (not cancelled, not removed) appointments of the source starting in [from, to). */
    List<String> openStartingIn(Lease lease, Instant from, Instant to);

    /** Items in the source's last complete scan, or null before the first. */
    Integer lastCompleteScan(Lease lease);

    /** What a scan concluded ({@code note}, for /admin/sources); {@code completeItems} null keeps the last count. */
    void recordScan(Lease lease, Integer completeItems, String note);
}
