package dev.appointmentbridge.poll;

import java.time.Instant;
import java.util.Map;

import dev.appointmentbridge.event.EventType;

/** What one committed poll cycle did; {@code skipped} when another replica held the source's lock. */
public record CycleResult(boolean skipped, boolean baseline, int pages, int records, Map<EventType, Integer> events,
        Instant cursor) {

    public int eventCount() {
        return events.values().stream().mapToInt(Integer::intValue).sum();
    }

    static CycleResult skippedCycle() {
        return new CycleResult(true, false, 0, 0, Map.of(), null);
    }
}
