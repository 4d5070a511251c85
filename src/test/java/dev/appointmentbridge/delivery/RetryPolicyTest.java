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

    /**
     * 0 or a date already past is a short wait, never an immediate burst; a negative number is no Retry-After at all
     * (delay-seconds is digits) and is ignored like an unreadable one: the schedule, not a request a second.
     */
    @Test
    void aRetryAfterOfZeroOrPastWaitsASecondANegativeOneIsIgnored() {
        assertEquals(NOW.plusSeconds(1), withRandom(0.5).nextAttempt(1, NOW, "0").orElseThrow());
        assertEquals(NOW.plusSeconds(5), withRandom(0.5).nextAttempt(1, NOW, "-30").orElseThrow());
        assertEquals(NOW.plusSeconds(5), withRandom(0.5).nextAttempt(1, NOW, "-5").orElseThrow());
        assertTrue(!withRandom(0.5).asked("-5", NOW) && !withRandom(0.5).asked("soon", NOW)
                && !withRandom(0.5).asked(null, NOW) && withRandom(0.5).asked("0", NOW));
        assertEquals(NOW.plusSeconds(1),
                withRandom(0.5).nextAttempt(1, NOW, "Thu, 01 Jan 2015 00:00:00 GMT").orElseThrow());
    }

    /**
     * A paced attempt always has a time, past the schedule's end too: as asked, else from one second, doubling for
     * each slow-down in a row, never longer than the schedule's step for that many (the second 429 in a row without
     * Retry-After waited the schedule's 5 minutes before).
     */
    @Test
    void aPacedAttemptWaitsAsAskedElseASmallDoublingBaseCappedByTheSchedule() {
        assertEquals(NOW.plusSeconds(7), withRandom(0.5).pacedAttempt(9, NOW, "7"));
        assertEquals(NOW.plusSeconds(1), withRandom(0.5).pacedAttempt(9, NOW, "0"));
        assertEquals(NOW.plusSeconds(1), withRandom(0.5).pacedAttempt(1, NOW, null));
        assertEquals(NOW.plusSeconds(2), withRandom(0.5).pacedAttempt(2, NOW, null));
        assertEquals(NOW.plusSeconds(4), withRandom(0.5).pacedAttempt(3, NOW, "-5"));
        assertEquals(NOW.plusSeconds(256), withRandom(0.5).pacedAttempt(9, NOW, "soon"));
        assertEquals(NOW.plus(Duration.ofMinutes(30)), withRandom(0.5).pacedAttempt(30, NOW, null));
        assertEquals(NOW.plusMillis(800), withRandom(0.0).pacedAttempt(1, NOW, null), "with jitter");
        RetryPolicy fast = new RetryPolicy(List.of(Duration.ofMillis(300)), 0.2, Duration.ofHours(24), () -> 0.5);
        assertEquals(NOW.plusMillis(300), fast.pacedAttempt(1, NOW, null), "never longer than the schedule's step");
    }

    @Test
    void aRetryAfterTooLargeForALongIsTheLongestWaitNotNone() {
        RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(1)), 0, Duration.ofHours(24), () -> 0.5);
        assertEquals(java.util.Optional.of(Duration.ofHours(24)),
                policy.parseRetryAfter("99999999999999999999", java.time.Instant.now()));
    }
}
