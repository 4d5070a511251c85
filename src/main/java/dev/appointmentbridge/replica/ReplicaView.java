package dev.appointmentbridge.replica;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A replica as the operator API shows it; {@code self} is the one answering. */
@RegisterForReflection
public record ReplicaView(String instance, String version, String fingerprint, List<String> targets,
        List<String> sources, @JsonProperty("started_at") String startedAt, @JsonProperty("last_seen") String lastSeen,
        boolean live, boolean self) {
}
