package dev.appointmentbridge.replica;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.appointmentbridge.common.SafeUrl;
import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.config.TargetsConfig;

/**
 * What a replica serves, as a short hash: each source's name, type and address, each target's name, format, address
 * and event filter, and whether it signs. Addresses without credentials or query, and
 * no key, secret or token: two replicas with equal fingerprints poll and deliver alike, and the fingerprint tells
 * nothing an attacker could use.
 */
final class ReplicaFingerprint {

    private ReplicaFingerprint() {
    }

    static String of(SourcesConfig sources, TargetsConfig targets) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, SourcesConfig.Source> e : new TreeMap<>(sources.sources()).entrySet()) {
            SourcesConfig.Source s = e.getValue();
            text.append("source ").append(e.getKey()).append(' ').append(s.type()).append(' ')
                    .append(s.baseUrl().or(s::url).map(SafeUrl::of).orElse("")).append('\n');
        }
        for (Map.Entry<String, TargetsConfig.Target> e : new TreeMap<>(targets.targets()).entrySet()) {
            TargetsConfig.Target t = e.getValue();
            text.append("target ").append(e.getKey()).append(' ').append(t.format()).append(' ')
                    .append(t.url().map(SafeUrl::of).orElseGet(() -> t.kafka().map(k -> "kafka:" + k.topic() + "@"
                            + k.bootstrapServers()).orElse("")))
                    .append(' ').append(t.events().map(l -> l.stream().map(String::trim).sorted().toList())
                            .orElse(List.of()))
                    .append(t.secret().isPresent() || t.signingKey().isPresent() ? " signed" : "").append('\n');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
