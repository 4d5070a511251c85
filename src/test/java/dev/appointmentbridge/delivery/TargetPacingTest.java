package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TargetPacingTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void aTargetThatAskedToSlowDownGetsNothingUntilThenThenOneAtATimeDoublingOnSuccess() {
        TargetPacing pacing = new TargetPacing();
        assertEquals(64, pacing.room("t", 64, 0), "no pacing until asked");
        pacing.slowDown("t", NOW, NOW.plusSeconds(2));
        assertEquals(NOW.plusSeconds(2), pacing.pausedUntil("t", NOW));
        assertNull(pacing.pausedUntil("t", NOW.plusSeconds(2)), "the wait is over at the time asked");
        assertNull(pacing.pausedUntil("other", NOW), "other targets are not paced");
        assertEquals(1, pacing.room("t", 64, 0));
        assertEquals(0, pacing.room("t", 64, 1), "one in flight at a time");
        Instant later = NOW.plusSeconds(3);
        pacing.succeeded("t", later, 8, later);
        assertEquals(2, pacing.room("t", 64, 0));
        pacing.succeeded("t", later, 8, later);
        assertEquals(4, pacing.room("t", 64, 0));
        pacing.succeeded("t", later, 8, later);
        assertEquals(64, pacing.room("t", 64, 0), "back to its max-in-flight: no pacing of its own");
    }

    @Test
    void answersToRequestsSentBeforeTheSlowDownDoNotEndTheWait() {
        TargetPacing pacing = new TargetPacing();
        pacing.slowDown("t", NOW, NOW.plusSeconds(60));
        for (int i = 0; i < 5; i++) {
            pacing.succeeded("t", NOW.minusMillis(10), 4, NOW.plusSeconds(1)); // in flight when the 429 came
        }
        assertEquals(NOW.plusSeconds(60), pacing.pausedUntil("t", NOW.plusSeconds(1)));
        assertEquals(1, pacing.room("t", 64, 0));
    }

    @Test
    void aShorterWaitAskedLaterDoesNotCutALongerOneShortAndSlowDownsInARowAreCounted() {
        TargetPacing pacing = new TargetPacing();
        pacing.slowDown("t", NOW, NOW.plusSeconds(30));
        pacing.slowDown("t", NOW.plusSeconds(1), NOW.plusSeconds(2));
        assertEquals(NOW.plusSeconds(30), pacing.pausedUntil("t", NOW.plusSeconds(5)));
        assertEquals(2, pacing.streak("t"));
        pacing.succeeded("t", NOW.plusSeconds(31), 8, NOW.plusSeconds(31));
        assertEquals(0, pacing.streak("t"), "a success ends the streak");
    }
}
