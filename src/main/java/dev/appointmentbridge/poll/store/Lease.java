package dev.appointmentbridge.poll.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A replica's claim on one source for one cycle, and the source's position when it was taken. {@code fence}
 * is the fencing token: it grows with every claim, and every commit of the cycle carries it, so a replica
 * that lost its lease (paused past {@code bridge.poll.lease}) can no longer write.
 *
 * @param cursor        next search reads {@code _lastUpdated=ge{cursor}}; null before the first page of the first sync
 * @param historyCursor next {@code _history?_since=}; null until the first cycle ends
 * @param deletesOff    why delete detection is off for this source (a 4xx to {@code _history}), or null
 * @param duration      how long the claim lasts after its last commit
 */
public record Lease(String source, long fence, Instant cursor, Instant historyCursor, boolean baselineDone,
        String deletesOff, Duration duration) {
}
