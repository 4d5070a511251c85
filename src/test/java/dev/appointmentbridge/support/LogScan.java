package dev.appointmentbridge.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the test run's log file (%test.quarkus.log.file.path) to prove what never gets logged. */
public final class LogScan {

    private static final Path LOG = Path.of("target/quarkus-test.log");

    private LogScan() {
    }

    /** Every line of the test run's log so far. */
    public static java.util.List<String> lines() {
        try {
            return Files.readString(LOG).lines().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void assertNeverLogged(String... secrets) throws IOException {
        assertTrue(Files.exists(LOG), "the test log file exists");
        String log = Files.readString(LOG);
        assertTrue(log.contains("Poll source=") || log.contains("Received event id="),
                "the log file holds this service's own lines");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "the log must never contain '" + secret + "'");
        }
    }
}
