package dev.appointmentbridge.config;

import io.smallrye.config.WithDefault;

/** Tuning of the group-commit writer that stores received events. */
public interface EventLogConfig {

    /**
     * Writer threads, each committing one batch at a time. Few writers make large batches (one fsync for
     * many events); measured best at 2 on a 2-core host (bench/inbound.sh).
     */
    @WithDefault("2")
    int writers();

    /** Most events committed in one transaction. */
    @WithDefault("500")
    int maxBatch();

    /** Events waiting for a writer before new ones are refused with 503 (back-pressure, not a lost event). */
    @WithDefault("20000")
    int queueCapacity();
}
