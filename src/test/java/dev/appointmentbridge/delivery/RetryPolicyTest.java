package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2025-01-10T12:00:00Z");
    private static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30));

    private static RetryPolicy withRandom(double r) {
        return new RetryPolicy(SCHEDULE, 0.2, Duration.ofHours(24), () -> r);
    }

    @Test
    void followsTheScheduleWithinPlusMinusTwentyPercent() {
        assertEquals(NOW.plusSeconds(4), withRandom(0.0).nextAttempt(1, NOW, null).orElseThrow());
        assertEquals(NOW.plusSeconds(5), withRandom(0.5).nextAttempt(1, NOW, null).orElseThrow());
        assertEquals(NOW.plusSeconds(6), withRandom(1.0).nextAttempt(1, NOW, null).orElseThrow());
        assertEquals(NOW.plus(Duration.ofMinutes(30)), withRandom(0.5).nextAttempt(3, NOW, null).orElseThrow());
    }

    @Test
    void isExhaustedAfterTheLastDelay() {
        assertTrue(withRandom(0.5).nextAttempt(4, NOW, null).isEmpty());
    }

    @Test
    void honoursRetryAfterInSecondsOrAsADateCapped() {
        assertEquals(NOW.plusSeconds(120), withRandom(0.5).nextAttempt(1, NOW, "120").orElseThrow());
        assertEquals(NOW.plusSeconds(30),
                withRandom(0.5).nextAttempt(1, NOW, "Fri, 10 Jan 2025 12:00:30 GMT").orElseThrow());
        assertEquals(NOW.plus(Duration.ofHours(24)), withRandom(0.5).nextAttempt(1, NOW, "999999").orElseThrow());
        assertEquals(NOW.plusSeconds(5), withRandom(0.5).nextAttempt(1, NOW, "soon").orElseThrow(), "ignored if bad");
    }

    /** Issue 25: 0, negative, or a date already past is a short wait, never an immediate burst. */
    @Test
    void aRetryAfterOfZeroNegativeOrPastWaitsASecond() {
        assertEquals(NOW.plusSeconds(1), withRandom(0.5).nextAttempt(1, NOW, "0").orElseThrow());
        assertEquals(NOW.plusSeconds(1), withRandom(0.5).nextAttempt(1, NOW, "-30").orElseThrow());
        assertEquals(NOW.plusSeconds(1),
                withRandom(0.5).nextAttempt(1, NOW, "Thu, 01 Jan 2015 00:00:00 GMT").orElseThrow());
    }

    /** Issue 25: a paced attempt always has a time, past the schedule's end too. */
    @Test
    void aPacedAttemptWaitsAsAskedElseTheSchedulesDelay() {
        assertEquals(NOW.plusSeconds(7), withRandom(0.5).pacedAttempt(9, NOW, "7"));
        assertEquals(NOW.plusSeconds(1), withRandom(0.5).pacedAttempt(9, NOW, "0"));
        assertEquals(NOW.plusSeconds(5), withRandom(0.5).pacedAttempt(1, NOW, null));
        assertEquals(NOW.plus(Duration.ofMinutes(30)), withRandom(0.5).pacedAttempt(9, NOW, "soon"));
    }

    @Test
    void aRetryAfterTooLargeForALongIsTheLongestWaitNotNone() {
        RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(1)), 0, Duration.ofHours(24), () -> 0.5);
        assertEquals(java.util.Optional.of(Duration.ofHours(24)),
                policy.parseRetryAfter("99999999999999999999", java.time.Instant.now()));
    }
}
