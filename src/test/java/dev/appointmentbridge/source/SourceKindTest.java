package dev.appointmentbridge.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.config.BridgeConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Each kind of source takes its own keys; anything else stops the start with what the kind takes. */
class SourceKindTest {

    private static SourceKind kind(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(BridgeConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 200,
                        new io.quarkus.runtime.configuration.MemorySizeConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
        BridgeConfig bridge = config.getConfigMapping(BridgeConfig.class);
        return SourceKind.of("s", bridge.sources().sources().get("s"), config.getPropertyNames());
    }

    @Test
    void eachTypeAndModeIsAKind() {
        assertEquals(SourceKind.FHIR_CURSOR, kind(Map.of("bridge.sources.s.base-url", "https://ehr/fhir")));
        assertEquals(SourceKind.FHIR_WINDOW, kind(Map.of("bridge.sources.s.base-url", "https://ehr/fhir",
                "bridge.sources.s.mode", "window", "bridge.sources.s.window.slice", "1d")));
        assertEquals(SourceKind.JSON_CHANGED_SINCE, kind(Map.of("bridge.sources.s.type", "json",
                "bridge.sources.s.url", "https://api/v1?since={since}", "bridge.sources.s.fields.id", "/id")));
        assertEquals(SourceKind.JSON_WINDOW, kind(Map.of("bridge.sources.s.type", "json", "bridge.sources.s.mode",
                "window", "bridge.sources.s.url", "https://api/v1?from={from}&to={to}",
                "bridge.sources.s.window.max-removals", "3")));
        assertEquals(SourceKind.JSON_SYNC_TOKEN, kind(Map.of("bridge.sources.s.type", "json", "bridge.sources.s.mode",
                "sync-token", "bridge.sources.s.url", "https://api/v1?syncToken={cursor}", "bridge.sources.s.sync-token",
                "/nextSyncToken")));
    }

    @Test
    void aKeyTheKindDoesNotTakeStopsTheStartListingWhatItTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kind(Map.of(
                "bridge.sources.s.base-url", "https://ehr/fhir", "bridge.sources.s.fields.id", "/id",
                "bridge.sources.s.items", "/data")));
        assertEquals("bridge.sources.s is a FHIR cursor source (type=fhir, mode=cursor), which does not take "
                + "fields.*, items. A FHIR cursor source takes: " + String.join(", ", SourceKind.FHIR_CURSOR.takes()),
                e.getMessage());
        // a key set to its default value is still a key the kind does not take
        e = assertThrows(IllegalArgumentException.class, () -> kind(Map.of("bridge.sources.s.type", "json",
                "bridge.sources.s.url", "https://api/v1", "bridge.sources.s.page-size", "100")));
        assertTrue(e.getMessage().contains("which does not take page-size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kind(Map.of("bridge.sources.s.base-url",
                "https://ehr/fhir", "bridge.sources.s.mode", "window", "bridge.sources.s.detect-deletes", "off")));
        assertTrue(e.getMessage().startsWith("bridge.sources.s is a FHIR window source"), e.getMessage());
    }

    @Test
    void anUnknownTypeOrModeNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kind(Map.of("bridge.sources.s.type", "hl7", "bridge.sources.s.url", "x")));
        assertEquals("bridge.sources.s.type: 'hl7' is not a source type; fhir or json", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kind(Map.of("bridge.sources.s.type", "json",
                "bridge.sources.s.mode", "cursor", "bridge.sources.s.url", "x")));
        assertEquals("bridge.sources.s.mode: 'cursor' is not a mode of type=json; changed-since or window or sync-token",
                e.getMessage());
    }
}
