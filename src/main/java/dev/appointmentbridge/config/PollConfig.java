package dev.appointmentbridge.config;

import io.smallrye.config.WithDefault;

public interface PollConfig {

    /** Scheduled polling; off in tests that drive cycles by hand. */
    @WithDefault("true")
    boolean enabled();

    /** Wait before each source's first poll (the demo polls its own simulated server, not yet listening at start). */
    @WithDefault("0s")
    java.time.Duration initialDelay();

    /**
     * How long a replica's claim on a source lasts after its last page commit (at least 4 × the source's
     * request-timeout). Another replica takes the source over only after it ran out, e.g. after a crash.
     */
    @WithDefault("2m")
    java.time.Duration lease();

    /**
     * Polls running at once in this replica at most; a source whose turn comes while all are busy waits for its next
     * interval. Without a bound, a slow database or a busy CPU lets a thousand sources' polls pile up on worker
     * threads and take every connection, and receiving and delivery stall behind them (bench/scale.sh).
     */
    @io.smallrye.config.WithDefault("8")
    int maxConcurrent();
}
