package dev.appointmentbridge.source.http;

import dev.appointmentbridge.source.SourceFetchException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One source's request budget (docs/polling.md, "FHIR servers without a change filter"): request starts are
 * spaced at least 1 / {@code max-requests-per-second} apart, polls, sweeps and reads by id alike, and a
 * {@code Retry-After} the source sent (429 or 503) holds every request back until it has passed.
 *
 * <p>Pacing a source is what the bridge exists for (its politeness is part of the poll contract), so this is a
 * few lines here rather than a general rate-limiter library: the pause from {@code Retry-After} must share the
 * same clock and queue as the spacing.
 */
public final class RequestBudget {

    /** A request waits at most this long for a {@code Retry-After} pause; a longer one fails it at once. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** A {@code Retry-After} beyond this is taken as this: a misconfigured server cannot stop polling for days. */
    static final Duration MAX_PAUSE = Duration.ofHours(1);

    private final long spacingNanos;
    private final Clock clock;
    private long nextStartNanos = Long.MIN_VALUE;
    private Instant pausedUntil;

    /** @param perSecond requests per second at most; 0 or less: no spacing */
    public RequestBudget(double perSecond, Clock clock) {
        this.spacingNanos = perSecond > 0 ? (long) (1_000_000_000L / perSecond) : 0;
        this.clock = clock;
    }

    /** Blocks until this request may start; fails without waiting when a Retry-After pause lasts past MAX_WAIT. */
    void acquire(String path) throws SourceFetchException {
        long waitNanos;
        synchronized (this) {
            Instant now = clock.instant();
            long pauseNanos = pausedUntil == null || !pausedUntil.isAfter(now) ? 0
                    : Duration.between(now, pausedUntil).toNanos();
            if (pauseNanos > MAX_WAIT.toNanos()) {
                throw new SourceFetchException("GET " + path + " not sent: the source asked (Retry-After) to be left "
                        + "alone until " + pausedUntil, 429, null);
            }
            long nowNanos = System.nanoTime();
            long start = Math.max(nowNanos + pauseNanos, nextStartNanos == Long.MIN_VALUE ? nowNanos : nextStartNanos);
            nextStartNanos = start + spacingNanos;
            waitNanos = start - nowNanos;
        }
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceFetchException("GET " + path + " not sent: interrupted while paced", 0, e);
            }
        }
    }

    /** Holds every request back for {@code delay} (at most MAX_PAUSE) from now; a later pause is kept. */
    synchronized void pause(Duration delay) {
        Duration capped = delay.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : delay;
        Instant until = clock.instant().plus(capped);
        if (pausedUntil == null || until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    /** Until when the source asked to be left alone, or null when it did not (or that has passed). */
    public synchronized Instant pausedUntil() {
        return pausedUntil != null && pausedUntil.isAfter(clock.instant()) ? pausedUntil : null;
    }
}
