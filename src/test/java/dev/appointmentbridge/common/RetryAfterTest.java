package dev.appointmentbridge.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void secondsDatesAndWhatIsNeither() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(-5)), RetryAfter.parse("-5", NOW));
        assertEquals(Optional.of(RetryAfter.FOREVER), RetryAfter.parse("99999999999999999999", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Thu, 03 Dec 2026 12:00:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(-60)), RetryAfter.parse("Thu, 03 Dec 2026 11:59:00 GMT", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("1.5", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse(" ", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
    }
}
