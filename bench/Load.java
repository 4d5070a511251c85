// Rate-limited load generator for the bench scripts, run as a single-file program:
//   java bench/Load.java <base-url> <events-per-second> <count> <prefix>
// POSTs <count> unique events to <base-url>/webhook/appointment at a fixed rate; prints how many got 201.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

public class Load {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/webhook/appointment");
        double rate = Double.parseDouble(args[1]);
        int count = Integer.parseInt(args[2]);
        String prefix = args[3];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger created = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            String body = "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"" + prefix + "-" + i
                    + "\",\"patient_id\":\"p-" + i + "\",\"timestamp\":\"" + Instant.now() + "\"}";
            all[i] = http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .thenAccept(r -> { if (r.statusCode() == 201) created.incrementAndGet(); });
        }
        CompletableFuture.allOf(all).join();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %d events in %.1f s (%.0f/s), %d created%n", count, secs, count / secs, created.get());
    }
}
