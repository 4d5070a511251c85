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

        Auth auth();
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
