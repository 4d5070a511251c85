package dev.appointmentbridge.poll.page;

import java.time.Instant;
import java.util.Map;

import dev.appointmentbridge.event.EventType;

/**
 * What one poll cycle did; {@code skipped} when another replica held the source's lease. {@code quarantined}
 * counts records set aside as unreadable, {@code deletes} appointments found deleted upstream.
 */
public record CycleResult(boolean skipped, boolean baseline, int pages, int records, Map<EventType, Integer> events,
        Instant cursor, int quarantined, int deletes) {

    public int eventCount() {
        return events.values().stream().mapToInt(Integer::intValue).sum();
    }

    public static CycleResult skippedCycle() {
        return new CycleResult(true, false, 0, 0, Map.of(), null, 0, 0);
    }
}
