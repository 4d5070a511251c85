package dev.appointmentbridge.config;

import io.smallrye.config.ConfigMapping;

/**
 * Every {@code bridge.*} setting, one root validated as a whole at start: a missing or malformed value stops the
 * start naming its key. Each group is what one part of the bridge reads; {@link ConfigGroups} hands them out.
 * The keys, grouped by what an operator does, are in docs/configuration.md.
 */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

    /** {@code bridge.inbound.*}: pushes in. */
    InboundConfig inbound();

    /** {@code bridge.admin.*}: the operator API's key. */
    AdminConfig admin();

    /** {@code bridge.sources.<name>.*}: the systems polled. */
    SourcesConfig sources();

    /** {@code bridge.poll.*}: how every source is polled. */
    PollConfig poll();

    /** {@code bridge.event-log.*}: how events are written. */
    EventLogConfig eventLog();

    /** {@code bridge.targets.<name>.*}: where events go. */
    TargetsConfig targets();

    /** {@code bridge.delivery.*}: how they get there. */
    DeliveryConfig delivery();

    /** {@code bridge.retention.*}: how long they are kept. */
    RetentionConfig retention();

    /** {@code bridge.replicas.*}: replicas on one database. */
    ReplicasConfig replicas();
}
