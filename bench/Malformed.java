// Sends generated malformed requests to the receiving endpoint and fails on any answer that is not a
// 4xx with the error shape. Single-file program, JDK only:
//   java bench/Malformed.java <base-url> <count> [seed]
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

public class Malformed {
    static final String[] FIELDS = { "event_type", "appointment_id", "patient_id", "timestamp", "notes" };
    static final String[] VALUES = { "null", "42", "-1.5e309", "true", "[]", "{}", "\"\"", "\"x\"",
            "\"" + "a".repeat(51) + "\"", "\"" + "n".repeat(1001) + "\"", "\"2025-01-10 12:30:00\"",
            "\"01/10/2025 12:30 PM\"", "1704888600", "\"2025-01-10T12:30:00\"", "\"appointment.deleted\"",
            "\"\\u0000\"", "\"\\ud800\"", "\"2025-13-45T99:99:99Z\"", "\"appointment.scheduled\"",
            "\"2025-01-10T12:30:00Z\"", "\"p-1\"", "{\"$ne\":1}", "\"'; DROP TABLE event; --\"" };

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/webhook/appointment");
        int count = Integer.parseInt(args[1]);
        Random random = new Random(args.length > 2 ? Long.parseLong(args[2]) : 42);
        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int bad = 0;
        for (int i = 0; i < count; i++) {
            String contentType = random.nextInt(20) == 0 ? "text/plain" : "application/json";
            byte[] body = body(random, i);
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            boolean ok = status == 201 || status == 200
                    || (status >= 400 && status < 500 && response.body().contains("\"status\":\"error\"")
                            && response.body().contains("\"errors\""));
            if (!ok && bad++ < 10) {
                System.out.println("BAD " + status + " for body " + new String(body, 0, Math.min(body.length, 200),
                        StandardCharsets.UTF_8) + " -> " + response.body());
            }
        }
        System.out.println("statuses: " + statuses);
        if (bad > 0 || statuses.keySet().stream().anyMatch(s -> s >= 500)) {
            System.out.println("FAIL: " + bad + " answers were not a 4xx in the error shape");
            System.exit(1);
        }
        System.out.println("PASS: " + count + " requests, no 5xx, every refusal a 4xx in the error shape");
    }

    static byte[] body(Random r, int i) {
        switch (r.nextInt(8)) {
            case 0: { // random bytes, often invalid UTF-8
                byte[] b = new byte[r.nextInt(200)];
                r.nextBytes(b);
                return b;
            }
            case 1: // truncated valid JSON
                String full = object(r);
                return full.substring(0, r.nextInt(full.length())).getBytes(StandardCharsets.UTF_8);
            case 2: // deep nesting
                int depth = 500 + r.nextInt(3000);
                return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
            case 3: // wrong JSON types at top level
                return VALUES[r.nextInt(VALUES.length)].getBytes(StandardCharsets.UTF_8);
            case 4: // big but under 64 KiB, or over it
                return ("{\"notes\":\"" + "x".repeat(r.nextBoolean() ? 60_000 : 70_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            case 5: // duplicate keys and trailing garbage
                return ("{\"event_type\":\"x\",\"event_type\":1} trailing").getBytes(StandardCharsets.UTF_8);
            default: // objects with random field values (some valid by chance)
                return object(r).getBytes(StandardCharsets.UTF_8);
        }
    }

    static String object(Random r) {
        StringBuilder s = new StringBuilder("{");
        for (String f : FIELDS) {
            if (r.nextInt(5) == 0) continue;
            if (s.length() > 1) s.append(',');
            s.append('"').append(f).append("\":").append(VALUES[r.nextInt(VALUES.length)]);
        }
        return s.append('}').toString();
    }
}
