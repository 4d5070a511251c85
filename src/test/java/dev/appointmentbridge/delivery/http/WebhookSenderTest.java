package dev.appointmentbridge.delivery.http;

import dev.appointmentbridge.delivery.target.OutboundUrlGuard;
import dev.appointmentbridge.delivery.target.TargetAddressCache;
import dev.appointmentbridge.config.Format;
import dev.appointmentbridge.config.TargetsConfig;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.support.TestReceiver;
import io.vertx.core.Vertx;

/**
 * The address check at send time: every attempt resolves the target's host once and connects to that address.
 * Issue 12: no test sends a packet outside 127.0.0.0/8 and ::1; refusals are proven against loopback.
 */
class WebhookSenderTest {

    private static Vertx vertx;
    private static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLoopbackTargetIsRefusedAtSendTimeWithoutAConnection() throws Exception {
        WebhookSender.Response r = send(target("loop", receiver.url("/refused"), false), false);
        assertTrue(r.refused(), String.valueOf(r.error()));
        assertTrue(r.error().startsWith("refused: resolves to 127.0.0.1, a loopback address"), r.error());
        assertEquals(0, receiver.receivedFor("/refused", "marker-1").size(), "nothing reached the receiver");
    }

    @Test
    void allowPrivateOnTheTargetOrGloballyLetsItThrough() throws Exception {
        assertEquals(200, send(target("loop", receiver.url("/allowed"), true), false).statusCode());
        assertEquals(200, send(target("loop", receiver.url("/allowed"), false), true).statusCode());
    }

    /**
     * Issue 13: a target that answers at once and then trickles one byte every 100 ms never goes idle, so an
     * idle timeout never fires; the attempt's hard deadline (2 s here) ends it anyway.
     */
    @Test
    void aTricklingTargetIsCutOffAtTheDeadline() throws Exception {
        io.vertx.core.http.HttpServer trickle = vertx.createHttpServer().requestHandler(req -> {
            req.response().setChunked(true).setStatusCode(200).write("x");
            long timer = vertx.setPeriodic(100, id -> req.response().write("x"));
            req.connection().closeHandler(v -> vertx.cancelTimer(timer));
        });
        int port = trickle.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
                .actualPort();
        try {
            long started = System.nanoTime();
            WebhookSender.Response r = send(target("trickle", "http://127.0.0.1:" + port + "/hook", true), false);
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue(r.error() != null && r.error().startsWith("timeout"), String.valueOf(r));
            assertTrue(ms >= 1900 && ms < 4000, "ended at the 2 s deadline, took " + ms + " ms");
        } finally {
            trickle.close();
        }
    }

    /**
     * Issue 13: an answer is read up to 64 KiB, then cut off; the status still decides. The target here sends
     * 70 KiB and then stalls without ending: the attempt is done at 64 KiB, long before the deadline.
     */
    @Test
    void anAnswerIsReadOnlyUpToItsLimit() throws Exception {
        io.vertx.core.http.HttpServer huge = vertx.createHttpServer().requestHandler(req -> req.response()
                .setChunked(true).setStatusCode(200).write(io.vertx.core.buffer.Buffer.buffer(new byte[70 * 1024])));
        int port = huge.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
                .actualPort();
        try {
            long started = System.nanoTime();
            WebhookSender.Response r = send(target("huge", "http://127.0.0.1:" + port + "/hook", true), false);
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, r.statusCode(), String.valueOf(r));
            assertTrue(ms < 1500, "done once 64 KiB were read, not at the 2 s deadline: " + ms + " ms");
            assertTrue(r.body().length() <= 1024, "kept for the attempt log: the first 1 KiB");
        } finally {
            huge.close();
        }
    }

    @Test
    void aNamedHostIsCalledAtTheAddressItResolvedToWithItsOwnHostHeader() throws Exception {
        String url = receiver.url("/pinned").replace("127.0.0.1", "localhost");
        WebhookSender.Response r = send(target("named", url, true), false);
        assertEquals(200, r.statusCode());
        TestReceiver.Received got = receiver.receivedFor("/pinned", "marker-1").get(0);
        assertEquals(url.substring("http://".length(), url.indexOf("/pinned")), got.header("Host"));
    }

    /**
     * Issue 13: DNS resolution off the dispatcher. A lookup that hangs (a dead DNS server) must not hold the
     * caller: send() returns at once, another target is served meanwhile, and the stuck attempt still ends.
     */
    @Test
    void aHangingDnsLookupHoldsOnlyItsOwnAttempt() throws Exception {
        java.util.concurrent.CountDownLatch dnsAnswers = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService lookups = java.util.concurrent.Executors.newCachedThreadPool();
        TargetAddressCache addresses = new TargetAddressCache((host, allow) -> {
            if (host.equals("slow-dns.test")) {
                try {
                    dnsAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new OutboundUrlGuard.Checked(java.net.InetAddress.getLoopbackAddress(), null, false);
            }
            return OutboundUrlGuard.check(host, allow);
        }, lookups, WebhookSender.ADDRESS_TTL.toNanos(), System::nanoTime);
        TargetRegistry.Target slow = target("slow", receiver.url("/slow-dns").replace("127.0.0.1", "slow-dns.test"),
                true);
        TargetRegistry.Target fast = target("fast", receiver.url("/fast-dns"), true);
        WebhookSender sender = new WebhookSender(vertx, List.of(slow, fast), false, addresses);
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                var stuck = sender.send(slow, "msg_slow", null, null, "{\"marker\":\"slow\"}".getBytes(StandardCharsets.UTF_8));
                assertTrue(!stuck.isComplete(), "waits for its lookup");
                var served = sender.send(fast, "msg_fast", null, null, "{\"marker\":\"fast\"}".getBytes(StandardCharsets.UTF_8))
                        .toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
                assertEquals(200, served.statusCode(), "the other target is served while one lookup hangs");
                assertTrue(!stuck.isComplete());
                dnsAnswers.countDown();
                assertEquals(200, stuck.toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS)
                        .statusCode(), "sent once its lookup answers");
            }, "send() blocked its caller on a DNS lookup");
        } finally {
            dnsAnswers.countDown();
            sender.close();
            lookups.shutdownNow();
        }
    }

    /** Issue 13: a lookup slower than the attempt's deadline ends the attempt at the deadline. */
    @Test
    void aLookupSlowerThanTheDeadlineEndsTheAttemptAtTheDeadline() throws Exception {
        java.util.concurrent.ExecutorService lookups = java.util.concurrent.Executors.newCachedThreadPool();
        TargetAddressCache addresses = new TargetAddressCache((host, allow) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new OutboundUrlGuard.Checked(null, null, true);
        }, lookups, WebhookSender.ADDRESS_TTL.toNanos(), System::nanoTime);
        TargetRegistry.Target t = target("dns", "http://never-answers.test/hook", true);
        WebhookSender sender = new WebhookSender(vertx, List.of(t), false, addresses);
        try {
            WebhookSender.Response r = sender.send(t, "msg_1", null, null, "{}".getBytes(StandardCharsets.UTF_8))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(r.error() != null && r.error().startsWith("timeout"), String.valueOf(r));
        } finally {
            sender.close();
            lookups.shutdownNow();
        }
    }

    /**
     * Issue 13: the connect timeout and the deadline measure the network, not a wait for a pooled connection.
     * Eight attempts at once to a target with eight slots, each answered after 1.2 s, a 2 s deadline and a
     * 300 ms connect timeout: all eight are sent at once and succeed. With a pool smaller than the slots (four,
     * as a fixed bridge.delivery.max-connections-per-target allowed), the second four waited 1.2 s for a
     * connection and hit the deadline.
     */
    @Test
    void noAttemptWaitsForAPooledConnection() throws Exception {
        io.vertx.core.http.HttpServer slowAnswers = vertx.createHttpServer().requestHandler(req -> req.body()
                .onSuccess(b -> vertx.setTimer(1200, id -> req.response().setStatusCode(204).end())));
        int port = slowAnswers.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS).actualPort();
        TargetRegistry.Target t = target("pool", "http://127.0.0.1:" + port + "/hook", true, 8);
        WebhookSender sender = new WebhookSender(vertx, List.of(t), false);
        try {
            List<java.util.concurrent.CompletableFuture<WebhookSender.Response>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(sender.send(t, "msg_" + i, null, null, "{}".getBytes(StandardCharsets.UTF_8)).toCompletionStage()
                        .toCompletableFuture());
            }
            for (var f : all) {
                WebhookSender.Response r = f.get(5, TimeUnit.SECONDS);
                assertEquals(204, r.statusCode(), String.valueOf(r));
            }
        } finally {
            sender.close();
            slowAnswers.close();
        }
    }

    /**
     * Issue 25: a {@code 204} carrying a body on a kept-alive connection; its bytes were read as the answer to the
     * next request on that pooled connection, recorded failed though the receiver answered it.
     */
    @Test
    void aBodyOnA204DoesNotSpoilTheNextAnswer() throws Exception {
        try (RawHttpServer server = new RawHttpServer("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
                "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")) {
            List<WebhookSender.Response> got = sendTwice(server);
            assertEquals(204, got.get(0).statusCode(), String.valueOf(got.get(0)));
            assertEquals(201, got.get(1).statusCode(), "the second request got its own answer: " + got.get(1));
        }
        try (RawHttpServer server = new RawHttpServer(
                "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\nhello\r\n",
                "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")) {
            List<WebhookSender.Response> got = sendTwice(server);
            assertEquals(304, got.get(0).statusCode(), String.valueOf(got.get(0)));
            assertEquals(201, got.get(1).statusCode(), "after a 304 with a body: " + got.get(1));
        }
    }

    /**
     * Issue 25: a {@code 102 Processing} before the final answer. Vert.x takes it for the final answer and leaves the
     * real one on the pooled connection, where the next request read it as its own.
     */
    @Test
    void interimAnswersAreReadPastToTheFinalOne() throws Exception {
        try (RawHttpServer server = new RawHttpServer(
                "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 102 Processing\r\nX-Progress: 50\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 104 Upload Resumption Supported\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok")) {
            List<WebhookSender.Response> got = send(server, 3);
            assertEquals(200, got.get(0).statusCode(), "the final answer after two 102s: " + got.get(0));
            assertEquals(201, got.get(1).statusCode(), "the final answer after a 104: " + got.get(1));
            assertEquals(202, got.get(2).statusCode(), "the third request got its own answer: " + got.get(2));
        }
    }

    /** Two attempts one after the other over one pooled connection (max-in-flight 1). */
    private static List<WebhookSender.Response> sendTwice(RawHttpServer server) throws Exception {
        return send(server, 2);
    }

    /** Attempts one after the other over one pooled connection (max-in-flight 1). */
    private static List<WebhookSender.Response> send(RawHttpServer server, int attempts) throws Exception {
        TargetRegistry.Target t = target("raw", "http://127.0.0.1:" + server.port() + "/hook", true, 1);
        WebhookSender sender = new WebhookSender(vertx, List.of(t), false);
        try {
            List<WebhookSender.Response> got = new java.util.ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                got.add(sender.send(t, "msg_" + i, null, null, "{}".getBytes(StandardCharsets.UTF_8)).toCompletionStage()
                        .toCompletableFuture().get(10, TimeUnit.SECONDS));
            }
            return got;
        } finally {
            sender.close();
        }
    }

    /**
     * An HTTP/1.1 server that writes exactly the bytes it is given, one scripted answer per request in order,
     * keeping each connection open: it can break framing as real receivers do.
     */
    private static final class RawHttpServer implements AutoCloseable {

        private final java.net.ServerSocket socket;
        private final java.util.Deque<String> answers;
        private final List<java.net.Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();

        RawHttpServer(String... answers) throws java.io.IOException {
            this.answers = new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(answers));
            socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        java.net.Socket s = socket.accept();
                        open.add(s);
                        Thread serve = new Thread(() -> serve(s));
                        serve.setDaemon(true);
                        serve.start();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(java.net.Socket s) {
            try (s) {
                java.io.InputStream in = s.getInputStream();
                while (true) {
                    int length = 0;
                    String line;
                    while (!(line = readLine(in)).isEmpty()) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    in.readNBytes(length);
                    String answer = answers.poll();
                    s.getOutputStream().write((answer != null ? answer
                            : "HTTP/1.1 500 Unscripted\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // the client closed the connection
            }
        }

        private static String readLine(java.io.InputStream in) throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c == -1) {
                    throw new java.io.EOFException();
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
            for (java.net.Socket s : open) {
                s.close();
            }
        }
    }

    private static WebhookSender.Response send(TargetRegistry.Target t, boolean allowPrivateTargets)
            throws Exception {
        WebhookSender sender = new WebhookSender(vertx, List.of(t), allowPrivateTargets);
        try {
            return sender.send(t, "msg_1", null, null, "{\"marker\":\"marker-1\"}".getBytes(StandardCharsets.UTF_8))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            sender.close();
        }
    }

    private static TargetRegistry.Target target(String name, String url, boolean allowPrivate) {
        return target(name, url, allowPrivate, 32);
    }

    private static TargetRegistry.Target target(String name, String url, boolean allowPrivate, int maxInFlight) {
        TargetsConfig.Target config = new TargetsConfig.Target() {
            public Optional<String> url() { return Optional.of(url); }
            public Optional<TargetsConfig.Kafka> kafka() { return Optional.empty(); }
            public Format format() { return Format.STANDARD; }
            public Optional<List<String>> events() { return Optional.empty(); }
            public Optional<String> secret() { return Optional.empty(); }
            public Optional<List<String>> previousSecrets() { return Optional.empty(); }
            public Optional<String> signingKey() { return Optional.empty(); }
            public Optional<Duration> heartbeat() { return Optional.empty(); }
            public Optional<String> feedKey() { return Optional.empty(); }
            public Optional<String> bearerToken() { return Optional.empty(); }
            public Map<String, String> headers() { return Map.of(); }
            public boolean includePatientName() { return false; }
            public Duration connectTimeout() { return Duration.ofMillis(300); }
            public Duration timeout() { return Duration.ofSeconds(2); }
            public boolean allowPrivate() { return allowPrivate; }
            public int maxInFlight() { return maxInFlight; }
        };
        return new TargetRegistry.Target(name, config, Set.of(EventType.values()), null);
    }
}
