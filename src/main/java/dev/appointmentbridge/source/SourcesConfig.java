package dev.appointmentbridge.source;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/** {@code bridge.sources.<name>.*}: the scheduling systems to poll, exactly as the design's contract. */
@ConfigMapping(prefix = "bridge.sources")
public interface SourcesConfig {

    @WithParentName
    Map<String, Source> sources();

    interface Source {

        /** Only {@code fhir} (R4 Appointment API) for now. */
        @WithDefault("fhir")
        String type();

        String baseUrl();

        @WithDefault("30s")
        Duration pollInterval();

        @WithDefault("100")
        int pageSize();

        @WithDefault("false")
        boolean emitOnFirstSync();

        /** The cursor is moved back by this much so records written with a skewed clock are re-read. */
        @WithDefault("2s")
        Duration cursorOverlap();

        /** Ask for {@code _include=Appointment:patient} to get patient names for the events. */
        @WithDefault("true")
        boolean includePatient();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("30s")
        Duration requestTimeout();

        /** Most pages one cycle follows; a runaway {@code next} chain fails the cycle instead of looping. */
        @WithDefault("100000")
        int maxPages();

        /**
         * How deletes are noticed (FHIR deletes leave no trace in searches): {@code history} reads
         * {@code Appointment/_history?_since=} every cycle; {@code off} never. A server that answers 4xx to
         * {@code _history} turns it off for that source (one WARN, a flag on {@code /admin/sources}).
         */
        @WithDefault("history")
        DetectDeletes detectDeletes();

        /**
         * Largest response body read from this source (a page, a history page, one appointment); a larger
         * one fails the page instead of filling the heap. Sizes like {@code 32M}.
         */
        @WithDefault("32M")
        io.quarkus.runtime.configuration.MemorySize maxPageBytes();

        /** Name of a {@code quarkus.tls.<name>.*} configuration (trust store, client certificate) for this source. */
        Optional<String> tlsConfigurationName();

        Auth auth();
    }

    enum DetectDeletes {
        history, off
    }

    interface Auth {

        Optional<String> bearerToken();

        Optional<OAuth2> oauth2();
    }

    interface OAuth2 {

        String tokenUrl();

        String clientId();

        String clientSecret();

        Optional<String> scope();
    }
}
