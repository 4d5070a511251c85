package dev.appointmentbridge.delivery.http;

import java.time.Instant;

/** Opens KafkaBreaker (package-private) to the breaker's test. */
public final class KafkaBreakerProbe {

    private final KafkaBreaker breaker = new KafkaBreaker();

    public Instant tryPass(Instant now) {
        return breaker.tryPass(now);
    }

    public Instant blockedUntil(Instant now) {
        return breaker.blockedUntil(now);
    }

    public int room(int room) {
        return breaker.room(room);
    }

    public void failed(Instant now) {
        breaker.failed(now);
    }

    public void succeeded() {
        breaker.succeeded();
    }
}
