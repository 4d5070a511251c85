// Paced load generator that records every request, run as a single-file program (JDK only):
//   java bench/PacedLoad.java <targets-file> <requests-per-second> <prefix> <stop-file> <log-file>
// POSTs one event with a unique appointment id (<prefix>-<n>) to /webhook/appointment at a fixed rate, round-robin
// over the base URLs listed in <targets-file> (whitespace separated, re-read every 100 ms, so a script can move
// the load from one replica to another while it runs; an empty file pauses the load). Stops sending once
// <stop-file> exists, waits for the answers still due, and appends one line per request to <log-file>:
//   appointment-id <tab> base-url <tab> start-epoch-ms <tab> latency-ms <tab> status (0: no answer) <tab> error
// A request behind its schedule (the machine stalled) is sent at once, and its latency counts from when it was due,
// so a stall shows in the latencies instead of lowering the rate (no coordinated omission).
import java.io.BufferedWriter;
import java.io.FileWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

public class PacedLoad {
    public static void main(String[] args) throws Exception {
        Path targetsFile = Path.of(args[0]);
        double rate = Double.parseDouble(args[1]);
        String prefix = args[2];
        Path stopFile = Path.of(args[3]);
        String logFile = args[4];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        String[] targets = new String[0];
        long lastRead = 0;
        long start = System.nanoTime();
        long epochAtStart = System.currentTimeMillis();
        long n = 0;
        long slot = 0;
        while (true) {
            long due = start + (long) (slot * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            slot++;
            if (System.nanoTime() - lastRead > 100_000_000L) {
                lastRead = System.nanoTime();
                if (Files.exists(stopFile)) {
                    break;
                }
                String t = Files.exists(targetsFile) ? Files.readString(targetsFile).trim() : "";
                targets = t.isEmpty() ? new String[0] : t.split("\\s+");
            }
            if (targets.length == 0) {
                continue; // paused: the slot passes unused
            }
            String base = targets[(int) (n % targets.length)];
            String id = prefix + "-" + n;
            n++;
            String body = "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"" + id
                    + "\",\"patient_id\":\"p-" + (n % 1000) + "\",\"timestamp\":\"" + Instant.now() + "\"}";
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/webhook/appointment"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long dueEpoch = epochAtStart + (due - start) / 1_000_000;
            all.add(http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                long latency = (System.nanoTime() - due) / 1_000_000;
                String error = e == null ? "" : e.getClass().getSimpleName();
                lines.add(id + "\t" + base + "\t" + dueEpoch + "\t" + latency + "\t" + (r == null ? 0 : r.statusCode())
                        + "\t" + error);
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        try (BufferedWriter out = new BufferedWriter(new FileWriter(logFile, true))) {
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        System.out.printf("sent %d requests in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
    }
}
