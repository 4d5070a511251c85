package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.delivery.http.KafkaBreakerProbe;

/** A Kafka target's breaker: closed, open after a failure (doubling), one probe when the wait ends. */
class KafkaBreakerTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void opensAfterAFailureLetsOneProbeThroughAndDoubles() {
        KafkaBreakerProbe b = new KafkaBreakerProbe();
        assertNull(b.tryPass(T0), "closed");
        assertEquals(256, b.room(256));
        b.failed(T0);
        assertEquals(T0.plusSeconds(1), b.tryPass(T0.plusMillis(500)), "open for a second");
        b.failed(T0.plusMillis(600));
        assertEquals(T0.plusSeconds(1), b.blockedUntil(T0.plusMillis(700)), "failures while open do not lengthen it");
        assertEquals(1, b.room(256), "one probe at a time until it closes");
        assertNull(b.tryPass(T0.plusSeconds(1)), "the probe goes");
        assertEquals(T0.plusSeconds(2), b.tryPass(T0.plusSeconds(1)), "only one probe");
        b.failed(T0.plusSeconds(2));
        assertEquals(T0.plusSeconds(4), b.blockedUntil(T0.plusSeconds(3)), "the next wait doubles");
        assertNull(b.tryPass(T0.plusSeconds(4)));
        b.succeeded();
        assertNull(b.tryPass(T0.plusSeconds(4)));
        assertEquals(256, b.room(256), "closed again");
    }
}
