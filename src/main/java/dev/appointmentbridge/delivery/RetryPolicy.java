package dev.appointmentbridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import dev.appointmentbridge.common.RetryAfter;

/**
 * When to try a failed delivery again: the configured schedule with ±jitter, or the receiver's
 * Retry-After (seconds or HTTP date) when it gives one; empty once the schedule is exhausted. A Retry-After of 0,
 * negative or already past (a receiver whose clock is behind) waits {@link #MIN_RETRY_AFTER}: never a burst.
 */
public final class RetryPolicy {

    /** The shortest wait a Retry-After can ask for. */
    static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration maxRetryAfter;
    private final DoubleSupplier random;

    public RetryPolicy(List<Duration> schedule, double jitter, Duration maxRetryAfter, DoubleSupplier random) {
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    /** @param attempt the attempt that just failed, 1-based */
    public Optional<Instant> nextAttempt(int attempt, Instant now, String retryAfter) {
        if (attempt > schedule.size()) {
            return Optional.empty();
        }
        Optional<Duration> asked = parseRetryAfter(retryAfter, now);
        if (asked.isPresent()) {
            return Optional.of(now.plus(asked.get()));
        }
        return Optional.of(scheduled(attempt, now));
    }

    /**
     * When to try again after the receiver asked to slow down (429, or 503 with Retry-After) for the
     * {@code streak}-th time in a row: as it asked, else the schedule's delay for that many (its last beyond). Such
     * an answer does not use up an attempt, so there is always a time.
     */
    public Instant pacedAttempt(int streak, Instant now, String retryAfter) {
        Optional<Duration> asked = parseRetryAfter(retryAfter, now);
        return asked.isPresent() ? now.plus(asked.get()) : scheduled(Math.min(streak, schedule.size()), now);
    }

    private Instant scheduled(int attempt, Instant now) {
        Duration base = schedule.get(Math.max(1, attempt) - 1);
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return now.plusMillis(Math.round(base.toMillis() * factor));
    }

    Optional<Duration> parseRetryAfter(String value, Instant now) {
        return RetryAfter.parse(value, now).map(wait -> wait.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER
                : wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait);
    }
}
