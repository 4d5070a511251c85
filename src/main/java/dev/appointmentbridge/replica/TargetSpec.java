package dev.appointmentbridge.replica;

import java.util.Set;

import dev.appointmentbridge.config.Format;

/**
 * A target as the outbox needs to know it to write its delivery rows: its name, format and event filter (wire names;
 * empty: every event). Shared between replicas through the {@code replica} table, so an event a replica takes in gets
 * a row for the targets of every live replica, also those it does not deliver to itself. No address, no secret.
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record TargetSpec(String name, Format format, Set<String> events) {

    public TargetSpec {
        events = events == null ? Set.of() : events;
    }

    public boolean wants(String wireType) {
        return events.isEmpty() || events.contains(wireType);
    }
}
