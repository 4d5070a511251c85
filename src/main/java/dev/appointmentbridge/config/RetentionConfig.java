package dev.appointmentbridge.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** {@code bridge.retention.*}: how long the event log and finished deliveries are kept. */
public interface RetentionConfig {

    /** Events received longer ago than this are deleted, unless a delivery still refers to them. */
    @WithDefault("90d")
    Duration events();

    /** Finished deliveries (sent, dead, skipped) created longer ago than this go, with their attempts. */
    @WithDefault("30d")
    Duration deliveries();

    /** How often the job runs; a run that is still going is not overlapped. */
    @WithDefault("10m")
    Duration interval();

    /** Rows per delete transaction: small, so no lock is held for long and replication keeps up. */
    @WithDefault("2000")
    int batchSize();

    @WithDefault("true")
    boolean enabled();
}
