package dev.appointmentbridge.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * {@code bridge.inbound.*}: the receiving endpoints, their key and the Clockwise.MD keys.
 */
public interface InboundConfig {

    /** When set, {@code /webhook/*} requires {@code X-API-Key} or {@code Authorization: Bearer} with it. */
    Optional<String> apiKey();

    /**
     * With no {@link #apiKey()}, whether pushes answer 401 (true, the default: a bridge reachable by anyone would
     * sign and deliver whatever anyone posts) or are accepted without a key. The dev, test and demo profiles set false.
     */
    @WithDefault("true")
    boolean requireApiKey();

    /** Largest accepted request body on the receiving endpoint. */
    @WithDefault("65536")
    int maxBodyBytes();

    /**
     * Pushes the replica sends its own receiving endpoint over loopback once its HTTP port is open, each in a
     * transaction that rolls back, before it reports ready: the pushes it gets the moment it is ready do not queue
     * behind a cold JVM. 0 turns the warm-up off.
     */
    @WithDefault("200")
    int warmUpRounds();

    Canvas canvas();

    /**
     * {@code bridge.inbound.clockwise.<name>.*}: each key Clockwise.MD may push with, {@code .key} its value (sent in
     * an {@code Authtoken} header, or in the URL, {@code POST /webhook/clockwise/<key>}). A push with any other key
     * is a 401. An entry without {@code .key} takes its name as the key (the older form, which puts the secret into
     * a property name; the start warns).
     */
    Map<String, ClockwiseKey> clockwise();

    Hl7v2 hl7v2();

    Mllp mllp();

    /** {@code bridge.inbound.hl7v2.*}: HL7 v2 SIU messages, over MLLP or {@code POST /webhook/hl7v2}. */
    interface Hl7v2 {

        /**
         * HL7 v2 times often carry no offset ({@code 202612041030}): they are read in this zone, never guessed. Unset:
         * a message with such a time is refused (an AE naming this setting).
         */
        Optional<String> zone();

        /** Largest message accepted, over MLLP or HTTP. */
        @WithDefault("1048576")
        int maxMessageBytes();
    }

    /**
     * {@code bridge.inbound.mllp.*}: the MLLP listener interface engines send SIU messages to. MLLP has no
     * authentication of its own, so only the addresses listed may connect.
     */
    interface Mllp {

        /** Off when unset. */
        Optional<Integer> port();

        /**
         * The interface listened on: loopback unless set ({@code 0.0.0.0} for every interface, behind the allow-list):
         * MLLP has no authentication, and whatever reaches the port gets its messages signed and delivered.
         */
        @WithDefault("127.0.0.1")
        String host();

        /**
         * The peers that may connect: IP addresses and CIDR ranges ({@code 10.20.0.0/16}); unset: loopback only.
         * {@code *} lets anyone connect, for a listener behind a network policy that already does this.
         */
        Optional<List<String>> allowedAddresses();

        /** A connection sending nothing for this long is closed (a slow or stuck sender holds no slot for ever). */
        @WithDefault("60s")
        java.time.Duration idleTimeout();

        /** Connections at once at most; more are closed on arrival. */
        @WithDefault("32")
        int maxConnections();

        /**
         * A named TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.key-store...}, and a
         * trust store to require client certificates): the listener then speaks MLLP over TLS only. Unset: plain TCP.
         */
        Optional<String> tlsConfigurationName();
    }

    /** {@code bridge.inbound.canvas.*}: the Canvas appointment-sync plugin's pushes. */
    interface Canvas {

        /**
         * The plugin's times carry no zone ({@code 2024-01-15T10:00:00}): they are read in this one, never guessed.
         * Unset: a zone-less time is a 422 naming this setting.
         */
        Optional<String> zone();
    }

    interface ClockwiseKey {

        /** The key's value; unset: the entry's name is the key (older form). */
        Optional<String> key();

        /**
         * The source the pushes of this key come from: a push then fetches that one appointment from it at once
         * and diffs it against its snapshot like a poll. Unset: the push is stored with its mapped type.
         */
        Optional<String> source();

        /** Declares a key without a source ({@code bridge.inbound.clockwise.<key>.enabled=true}). */
        @WithDefault("true")
        boolean enabled();
    }
}
