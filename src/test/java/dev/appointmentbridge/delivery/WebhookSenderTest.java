package dev.appointmentbridge.delivery;

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

    private static WebhookSender.Response send(TargetRegistry.Target t, boolean allowPrivateTargets)
            throws Exception {
        WebhookSender sender = new WebhookSender(vertx, List.of(t), 4, allowPrivateTargets);
        try {
            return sender.send(t, "msg_1", "{\"marker\":\"marker-1\"}".getBytes(StandardCharsets.UTF_8))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            sender.close();
        }
    }

    private static TargetRegistry.Target target(String name, String url, boolean allowPrivate) {
        TargetsConfig.Target config = new TargetsConfig.Target() {
            public String url() { return url; }
            public Format format() { return Format.STANDARD; }
            public Optional<List<String>> events() { return Optional.empty(); }
            public Optional<String> secret() { return Optional.empty(); }
            public Optional<String> bearerToken() { return Optional.empty(); }
            public Map<String, String> headers() { return Map.of(); }
            public boolean includePatientName() { return false; }
            public Duration connectTimeout() { return Duration.ofMillis(300); }
            public Duration timeout() { return Duration.ofSeconds(2); }
            public boolean allowPrivate() { return allowPrivate; }
            public int maxInFlight() { return 32; }
        };
        return new TargetRegistry.Target(name, config, Set.of(EventType.values()), null);
    }
}
