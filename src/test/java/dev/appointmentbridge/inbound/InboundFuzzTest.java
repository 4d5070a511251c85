package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Issue 12: 10,000 bodies built from the receiving contract's fields with hostile values (seeded, so a
 * failure replays): never a 5xx, never a stack trace in a body, and every 201 readable back from the log.
 */
@QuarkusTest
class InboundFuzzTest {

    private static final long SEED = 20261130L;
    private static final int BODIES = 10_000;

    private static final List<String> TEXT = List.of("a", "apt-1", "", " ", "x".repeat(50), "x".repeat(51),
            "x".repeat(1001), "nul\u0000", "\u0000", "lone \ud800 high", "lone \udc00 low", "pair \ud83d\ude00 ok",
            "\ud83d\ude00".repeat(50), "é", "\u202e rtl", "\ufeffbom", "tab\tnew\nline", "\u2028", "' OR 1=1 --",
            "<script>alert(1)</script>", "%00", "\\u0000", "日本語", "\u0007bell", "null", "{}", "\ud800\ud800");
    private static final List<String> TIMES = List.of("2025-01-10T12:30:00Z", "2025-01-10T12:30:00+15:59",
            "2025-01-10T12:30:00-15:59", "2025-01-10T12:30:00+16:00", "2025-01-10T12:30:00-18:00",
            "2025-01-10T12:30:00+18:00", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-01:00", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
            "2025-02-30T00:00:00Z", "2025-01-10T24:00:00Z", "2025-12-31T23:59:60Z", "2025-01-10T12:30:00.123456789Z",
            "2025-01-10T12:30:00z", "2025-01-10T12:30:00", "2025-01-10", "1736512200", "", "2025-01-10T12:30:00+05:30");
    private static final List<String> TYPES = List.of("appointment.scheduled", "appointment.cancelled",
            "appointment.rescheduled", "appointment.completed", "appointment.no_show", "appointment.deleted",
            "APPOINTMENT.SCHEDULED", "", "appointment.scheduled\u0000");

    private final Random random = new Random(SEED);

    private String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || random.nextInt(8) == 0) {
                b.append(String.format("\\u%04x", (int) c)); // surrogates only survive as JSON escapes
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private String value(List<String> pool) {
        return switch (random.nextInt(12)) {
            case 0 -> "null";
            case 1 -> Integer.toString(random.nextInt());
            case 2 -> "[" + json(pick(pool)) + "]";
            case 3 -> "{\"v\":" + json(pick(pool)) + "}";
            case 4 -> "true";
            default -> json(pick(pool));
        };
    }

    private String pick(List<String> pool) {
        return pool.get(random.nextInt(pool.size()));
    }

    private String body(int i) {
        StringBuilder b = new StringBuilder("{");
        String sep = "";
        String[][] fields = { { "event_type", null }, { "appointment_id", null }, { "patient_id", null },
                { "timestamp", null }, { "notes", null } };
        for (String[] f : fields) {
            if (random.nextInt(10) == 0) {
                continue; // field missing
            }
            String v = switch (f[0]) {
                case "event_type" -> random.nextInt(4) == 0 ? value(TYPES) : json(pick(TYPES.subList(0, 5)));
                case "timestamp" -> random.nextInt(4) == 0 ? value(TIMES) : json(pick(TIMES));
                case "appointment_id" -> random.nextInt(3) == 0 ? value(TEXT) : json("fz-" + i + "-" + pick(TEXT));
                default -> random.nextInt(3) == 0 ? value(TEXT) : json(pick(TEXT));
            };
            b.append(sep).append('"').append(f[0]).append("\":").append(v);
            sep = ",";
        }
        if (random.nextInt(20) == 0) {
            b.append(sep).append("\"extra\":").append(value(TEXT));
        }
        b.append('}');
        return switch (random.nextInt(40)) {
            case 0 -> "[" + b + "]";
            case 1 -> b + "garbage";
            case 2 -> b.substring(0, Math.max(1, b.length() / 2));
            default -> b.toString();
        };
    }

    @Test
    void hostileBodiesNeverGetA5xxAndEvery201IsReadableBack() {
        Set<Long> created = new HashSet<>();
        int[] byClass = new int[6];
        for (int i = 0; i < BODIES; i++) {
            String body = body(i);
            Response r = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                    .post("/webhook/appointment");
            int status = r.statusCode();
            byClass[status / 100]++;
            String answer = r.asString();
            assertTrue(status < 500, "body #" + i + " got " + status + ": " + body);
            assertFalse(answer.contains("Exception") || answer.contains("\tat ") || answer.contains(".java:"),
                    "body #" + i + " answer shows internals: " + answer);
            if (status == 201) {
                created.add(r.jsonPath().getLong("event_id"));
            }
        }
        assertTrue(byClass[2] > 100 && byClass[4] > 3000, "the generator produces both kinds: 2xx=" + byClass[2]
                + ", 4xx=" + byClass[4]);

        Set<Long> readBack = new HashSet<>();
        String cursor = null;
        do { // the whole log, newest first: every stored hostile value must also serialise
            var request = given().queryParam("limit", 500);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/webhook/events").then().statusCode(200).extract().jsonPath();
            List<Number> ids = page.getList("events.event_id");
            ids.forEach(n -> readBack.add(n.longValue()));
            cursor = page.getString("next_cursor");
        } while (cursor != null && !readBack.containsAll(created));
        Set<Long> missing = new HashSet<>(created);
        missing.removeAll(readBack);
        assertEquals(Set.of(), missing, created.size() + " stored, these not readable back");
    }
}
