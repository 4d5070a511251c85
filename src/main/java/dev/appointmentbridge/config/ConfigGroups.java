package dev.appointmentbridge.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Each part of the bridge injects the group it reads, not the whole root. */
@ApplicationScoped
public class ConfigGroups {

    @Inject
    BridgeConfig bridge;

    @Produces
    InboundConfig inbound() {
        return bridge.inbound();
    }

    @Produces
    AdminConfig admin() {
        return bridge.admin();
    }

    @Produces
    SourcesConfig sources() {
        return bridge.sources();
    }

    @Produces
    PollConfig poll() {
        return bridge.poll();
    }

    @Produces
    EventLogConfig eventLog() {
        return bridge.eventLog();
    }

    @Produces
    TargetsConfig targets() {
        return bridge.targets();
    }

    @Produces
    DeliveryConfig delivery() {
        return bridge.delivery();
    }

    @Produces
    RetentionConfig retention() {
        return bridge.retention();
    }

    @Produces
    ReplicasConfig replicas() {
        return bridge.replicas();
    }
}
