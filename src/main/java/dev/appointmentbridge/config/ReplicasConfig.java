package dev.appointmentbridge.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** {@code bridge.replicas.*}: how replicas on one database see each other. */
public interface ReplicasConfig {

    /** How often a replica records that it is alive. */
    @WithDefault("15s")
    Duration heartbeat();

    /**
     * How long a replica not seen still counts as running: its targets keep their pending deliveries that long (a
     * rolling restart, a pod rescheduled), and only then are a removed target's deliveries retired.
     */
    @WithDefault("10m")
    Duration grace();
}
