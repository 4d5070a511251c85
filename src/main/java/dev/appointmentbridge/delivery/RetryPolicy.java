package dev.appointmentbridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import dev.appointmentbridge.common.RetryAfter;

/**
 * When to try a failed delivery again: the configured schedule with ±jitter, or the receiver's
 * Retry-After (seconds or HTTP date) when it gives one; empty once the schedule is exhausted. A Retry-After of 0 or
 * a date already past (a receiver whose clock is behind) waits {@link #MIN_RETRY_AFTER}: never a burst. A negative
 * number is not a Retry-After (RFC 9110: delay-seconds is digits) and, like an unreadable one, is ignored.
 */
public final class RetryPolicy {

    /** The shortest wait a Retry-After can ask for. */
    static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * The first wait after a slow-down that says not for how long (a 429 without a usable Retry-After): doubled for
     * each one in a row, never beyond the schedule's step for that many. A receiver that limits to a few requests a
     * second is back in reach within a second or two, not after the schedule's minutes.
     */
    static final Duration PACING_BASE = Duration.ofSeconds(1);

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
        if (asked.isPresent()) {
            return now.plus(asked.get());
        }
        Duration step = schedule.get(Math.min(Math.max(1, streak), schedule.size()) - 1);
        long doubled = PACING_BASE.toMillis() << Math.min(Math.max(0, streak - 1), 20);
        return jittered(Math.min(doubled, step.toMillis()), now);
    }

    /** Whether the receiver said how long to wait, in a form the bridge follows. */
    public boolean asked(String retryAfter, Instant now) {
        return parseRetryAfter(retryAfter, now).isPresent();
    }

    /**
     * Whether an answer asks to slow down rather than failing: a 429, or a 503 that says until when (with a
     * Retry-After absent, negative or unreadable a 503 is a failure like any other, the same every time).
     */
    public boolean slowsDown(Integer code, String retryAfter, Instant now) {
        return code != null && (code == 429 || code == 503 && asked(retryAfter, now));
    }

    private Instant scheduled(int attempt, Instant now) {
        return jittered(schedule.get(Math.max(1, attempt) - 1).toMillis(), now);
    }

    private Instant jittered(long millis, Instant now) {
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return now.plusMillis(Math.round(millis * factor));
    }

    Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value != null && value.trim().startsWith("-")) {
            return Optional.empty();
        }
        return RetryAfter.parse(value, now).map(wait -> wait.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER
                : wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait);
    }
}
