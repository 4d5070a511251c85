package dev.appointmentbridge.common;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110 section 10.2.3: delay-seconds or an HTTP-date), read the same way for the
 * systems the bridge polls and the targets it delivers to; each caller applies its own floor and ceiling.
 */
public final class RetryAfter {

    /** What a number of seconds too large for a long stands for: the longest wait any caller allows. */
    public static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    private RetryAfter() {
    }

    /**
     * The wait asked for, from {@code now} (for a date); negative when the date is past or the number negative; empty
     * when the header is absent or neither a number nor an HTTP-date.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.matches("-?\\d+")) {
            return Optional.of(v.matches("-?\\d{19,}") ? (v.startsWith("-") ? FOREVER.negated() : FOREVER)
                    : Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            return Optional.of(Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
