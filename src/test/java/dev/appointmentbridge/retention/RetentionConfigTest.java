package dev.appointmentbridge.retention;

import dev.appointmentbridge.config.RetentionConfig;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * Review of issue 12: retention values that would delete what was just received (zero or negative ages), never
 * finish (a batch of zero) or overflow dates stop the start, naming the setting.
 */
class RetentionConfigTest {

    private static RetentionConfig config(String events, String deliveries, String interval, int batch) {
        return new RetentionConfig() {
            public Duration events() { return Duration.parse(events); }
            public Duration deliveries() { return Duration.parse(deliveries); }
            public Duration interval() { return Duration.parse(interval); }
            public int batchSize() { return batch; }
            public boolean enabled() { return true; }
        };
    }

    @Test
    void theDefaultsPass() {
        assertDoesNotThrow(() -> RetentionJob.validate(config("P90D", "P30D", "PT10M", 2000)));
    }

    @Test
    void harmfulValuesStopTheStartNamingTheSetting() {
        String[][] bad = { { "-P3650D", "P30D", "PT10M", "2000", "bridge.retention.events" },
                { "PT0S", "P30D", "PT10M", "2000", "bridge.retention.events" },
                { "P90D", "-PT1S", "PT10M", "2000", "bridge.retention.deliveries" },
                { "P90D", "P99999999D", "PT10M", "2000", "bridge.retention.deliveries" },
                { "P90D", "P30D", "-PT1M", "2000", "bridge.retention.interval" },
                { "P90D", "P30D", "PT0S", "2000", "bridge.retention.interval" },
                { "P90D", "P30D", "PT10M", "0", "bridge.retention.batch-size" },
                { "P90D", "P30D", "PT10M", "-1", "bridge.retention.batch-size" } };
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RetentionJob.validate(config(b[0], b[1], b[2], Integer.parseInt(b[3]))), String.join(" ", b));
            assertTrue(e.getMessage().startsWith(b[4]), e.getMessage());
        }
    }
}
