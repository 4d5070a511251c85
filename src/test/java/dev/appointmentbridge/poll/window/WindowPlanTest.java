package dev.appointmentbridge.poll.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.source.WindowScope;

/** Scopes × slices of a window (issue 18): slices aligned to whole multiples, the same from one cycle to the next. */
class WindowPlanTest {

    private static final List<WindowScope> TWO = List.of(new WindowScope("location", "a"),
            new WindowScope("location", "b"));

    @Test
    void daySlicesCoverTheWindowWidenedToWholeDays() {
        WindowPlan plan = WindowPlan.of(TWO, Duration.ofDays(1), Instant.parse("2026-11-30T13:20:00Z"),
                Duration.ofDays(1), Duration.ofDays(7));
        assertEquals(Instant.parse("2026-11-29T00:00:00Z"), plan.from());
        assertEquals(Instant.parse("2026-12-08T00:00:00Z"), plan.to());
        assertEquals(18, plan.size());
        WindowPlan.Unit first = plan.unit(0);
        WindowPlan.Unit second = plan.unit(1);
        WindowPlan.Unit last = plan.unit(17);
        assertEquals("location:a 2026-11-29T00:00:00Z", first.label());
        assertEquals("location:b 2026-11-29T00:00:00Z", second.label(), "every scope of a slice, then the next slice");
        assertEquals(Instant.parse("2026-12-07T00:00:00Z"), last.from());
        assertEquals(Instant.parse("2026-12-08T00:00:00Z"), last.to());
        assertEquals(first.from(), first.key(), "a slice's floor is kept under its start");
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i, plan.indexOf(plan.unit(i)));
        }
        assertEquals(3, plan.indexOf("b", null, null, Instant.parse("2026-11-30T09:00:00Z")));
        assertEquals(-1, plan.indexOf("c", null, null, Instant.parse("2026-11-30T09:00:00Z")), "an unwatched scope");
        assertEquals(-1, plan.indexOf("a", null, null, Instant.parse("2026-12-08T00:00:00Z")), "after the window");
    }

    @Test
    void aSliceIsTheSameSliceLaterTheSameDay() {
        WindowPlan morning = WindowPlan.of(TWO, Duration.ofDays(1), Instant.parse("2026-11-30T01:00:00Z"),
                Duration.ofDays(1), Duration.ofDays(7));
        WindowPlan evening = WindowPlan.of(TWO, Duration.ofDays(1), Instant.parse("2026-11-30T23:00:00Z"),
                Duration.ofDays(1), Duration.ofDays(7));
        assertEquals(morning.unit(5), evening.unit(5));
    }

    @Test
    void withoutASliceTheWindowIsOneSearchPerScope() {
        Instant now = Instant.parse("2026-11-30T13:20:00Z");
        WindowPlan plan = WindowPlan.of(List.of(WindowScope.NONE), null, now, Duration.ofHours(2), Duration.ofDays(1));
        assertEquals(1, plan.size());
        assertEquals(new WindowPlan.Unit(WindowScope.NONE, now.minus(Duration.ofHours(2)), now.plus(Duration.ofDays(1)),
                WindowPlan.WHOLE_WINDOW), plan.unit(0));
        assertEquals("all", plan.unit(0).label());
    }
}
