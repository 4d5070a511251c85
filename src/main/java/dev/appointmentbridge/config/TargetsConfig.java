package dev.appointmentbridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/** {@code bridge.targets.<name>.*}: where events are pushed, exactly as the design's contract. */
public interface TargetsConfig {

    @WithParentName
    Map<String, Target> targets();

    interface Target {

        /** Where events are POSTed; a target has a {@code url} or a {@link #kafka()} topic, not both. */
        Optional<String> url();

        /** Publish to a Kafka topic instead of POSTing ({@code bridge.targets.<name>.kafka.*}). */
        Optional<Kafka> kafka();

        @WithDefault("standard")
        Format format();

        /** Event types to send; all when unset. */
        Optional<List<String>> events();

        /** {@code whsec_...}: Standard Webhooks signing key. */
        Optional<String> secret();

        /**
         * {@code whsec_} secrets being rotated out: each attempt is signed with {@link #secret()} and each of these,
         * so receivers that still hold an old secret keep verifying until they deploy the new one.
         */
        Optional<List<String>> previousSecrets();

        /** {@code whsk_...}: an Ed25519 private key; attempts then also carry a {@code v1a} signature. */
        Optional<String> signingKey();

        /**
         * When nothing was delivered to this target for this long, a signed {@code bridge.heartbeat} carrying the
         * last sequence number assigned; off when unset.
         */
        Optional<Duration> heartbeat();

        /** The bearer key that reads this target's feed ({@code GET /feed/<name>}); no feed when unset. */
        Optional<String> feedKey();

        Optional<String> bearerToken();

        /** Extra headers, e.g. {@code bridge.targets.x.headers."Authtoken"=...}. */
        Map<String, String> headers();

        /** Slack messages name the patient only when a target opts in. */
        @WithDefault("false")
        boolean includePatientName();

        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * The attempt's one hard deadline: connect, send and the whole response, enforced by a timer that cancels
         * the request (a target trickling a byte at a time cannot hold an attempt open).
         */
        @WithDefault("15s")
        Duration timeout();

        /**
         * Requests in flight to this target at most, within the global bridge.delivery.max-in-flight: a target
         * that hangs holds only its own slots, never the other targets'. 256, not 32: one
         * target's throughput follows its slots (bench/delivery.sh: 32 → 1,048–1,186/s,
         * 128 → 3,004/s, 256 → 4,514/s).
         */
        @WithDefault("256")
        int maxInFlight();

        /** This target may resolve to a private or loopback address (OutboundUrlGuard); off by default. */
        @WithDefault("false")
        boolean allowPrivate();
    }

    /**
     * A Kafka target: each delivery is one record on {@code topic}, keyed by source and appointment id, its value the
     * target's format, its headers the webhook headers. Sent means the broker acknowledged it ({@code acks=all},
     * idempotent producer).
     */
    interface Kafka {

        String bootstrapServers();

        String topic();

        /**
         * Producer settings passed through as they are, e.g. {@code kafka.properties."security.protocol"=SASL_SSL},
         * SASL and TLS settings; {@code acks}, idempotence and the serializers are the bridge's.
         */
        Map<String, String> properties();
    }
}
