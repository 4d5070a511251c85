package dev.appointmentbridge.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code bench/window.sh}'s upstream: a {@link FakeFhirServer} under Oracle Health Millennium's search contract,
 * filled with {@code appointments} spread evenly over {@code locations} locations and {@code days} days from
 * today (UTC), on 15-minute slots. Prints its base URL, then serves until killed; {@code GET /stats} counts the
 * requests it answered and those that broke the contract. JDK only, so it runs from {@code target/test-classes}.
 *
 * <p>Usage: {@code java -cp target/test-classes dev.appointmentbridge.support.WindowBenchServer 100000 20 30}
 */
public final class WindowBenchServer {

    private WindowBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int appointments = Integer.parseInt(args[0]);
        int locations = Integer.parseInt(args[1]);
        int days = Integer.parseInt(args[2]);
        FakeFhirServer server = new FakeFhirServer();
        server.millenniumContract(true);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        long slots = days * 24L * 4;
        for (int i = 0; i < appointments; i++) {
            // Spread over days and slots so every location-day holds about the same number.
            Instant start = today.plus(15L * ((i * 7919L) % slots), ChronoUnit.MINUTES);
            server.put("appt-" + i, "booked", start, 30, "dr-" + (i % 50), "loc-" + (i % locations), "pat-" + i, null);
        }
        System.out.println(server.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
