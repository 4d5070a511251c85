package dev.appointmentbridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on loopback for delivery tests: records every request and answers 200 unless a
 * scripted answer is queued for requests whose body contains a marker (an appointment id).
 */
public class TestReceiver implements AutoCloseable {

    public record Received(String path, Map<String, List<String>> headers, String body, Instant at) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    public record Answer(int status, long delayMillis, String retryAfter) {
        public static Answer status(int status) {
            return new Answer(status, 0, null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Duration> limits = new ConcurrentHashMap<>();
    private final java.util.Set<String> bareLimits = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> nextAllowed = new ConcurrentHashMap<>();
    private final List<Received> accepted = new CopyOnWriteArrayList<>();

    public TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void script(String path, String marker, Answer... answers) {
        scripts.computeIfAbsent(path + "|" + marker, k -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /**
     * Answers requests to {@code path} as a rate limiter does (Slack: about one message a second): one per
     * {@code per} is accepted (200), every other one gets 429 with {@code Retry-After: 1}.
     */
    public void rateLimit(String path, Duration per) {
        limits.put(path, per);
    }

    /** As {@link #rateLimit(String, Duration)}, but its 429s carry no Retry-After: the bridge must pace on its own. */
    public void rateLimitWithoutRetryAfter(String path, Duration per) {
        limits.put(path, per);
        bareLimits.add(path);
    }

    /** The requests a rate-limited path accepted, in order. */
    public List<Received> accepted(String path) {
        return accepted.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> receivedFor(String path, String marker) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) {
            if (r.path().equals(path) && r.body().contains(marker)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Waits until {@code count} requests for the path and marker arrived; returns what arrived. */
    public List<Received> await(String path, String marker, int count, Duration timeout) throws InterruptedException {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> receivedFor(path, marker).size() >= count);
        } catch (org.awaitility.core.ConditionTimeoutException notAll) {
            // the caller asserts on what arrived, with its own message
        }
        return receivedFor(path, marker);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        Received request = new Received(path, new HashMap<>(ex.getRequestHeaders()), body, Instant.now());
        received.add(request);
        Answer answer = Answer.status(200);
        Duration limit = limits.get(path);
        if (limit != null) {
            synchronized (limits) {
                Instant allowed = nextAllowed.getOrDefault(path, Instant.MIN);
                if (request.at().isBefore(allowed)) {
                    answer = new Answer(429, 0, bareLimits.contains(path) ? null : "1");
                } else {
                    nextAllowed.put(path, request.at().plus(limit));
                    accepted.add(request);
                }
            }
        }
        for (Map.Entry<String, Deque<Answer>> s : scripts.entrySet()) {
            String[] key = s.getKey().split("\\|", 2);
            if (key[0].equals(path) && body.contains(key[1])) {
                synchronized (s.getValue()) {
                    Answer next = s.getValue().poll();
                    if (next != null) {
                        answer = next;
                    }
                }
                break;
            }
        }
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (answer.retryAfter() != null) {
            ex.getResponseHeaders().set("Retry-After", answer.retryAfter());
        }
        byte[] reply = ("{\"status\":" + answer.status() + "}").getBytes(StandardCharsets.UTF_8);
        try {
            ex.sendResponseHeaders(answer.status(), reply.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply);
            }
        } catch (IOException clientGone) {
            // the bridge timed out and closed the connection: expected in timeout tests
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
