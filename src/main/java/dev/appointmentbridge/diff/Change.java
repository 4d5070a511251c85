package dev.appointmentbridge.diff;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentRecord;

/**
 * What one record means against its snapshot. {@code event} is null when nothing event-worthy happened;
 * {@code next} is the snapshot to store, null when the record is stale or unchanged and nothing is written.
 * {@code previous} is the earlier state a reschedule moved from (another appointment when rebooked).
 */
public record Change(EventType event, AppointmentRecord current, Snapshot previous, Snapshot next) {

    public boolean writesSnapshot() {
        return next != null;
    }
}
