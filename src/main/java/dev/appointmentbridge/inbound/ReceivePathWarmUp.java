package dev.appointmentbridge.inbound;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.appointmentbridge.config.InboundConfig;
import dev.appointmentbridge.event.EventType;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

/**
 * Sends the replica's own receiving endpoint {@code bridge.inbound.warm-up-rounds} pushes over loopback once its HTTP
 * port is open, and keeps it not ready until they are answered (docs/operations.md#upgrading). A replica that joins a
 * fleet under load gets its share of pushes the moment it is ready; cold, its first pushes loaded classes (the HTTP
 * server's and the REST layer's as much as Jackson's and Hibernate's), opened database connections and ran
 * interpreted while the pushes behind them queued, on a busy node for seconds.
 * <p>
 * Each warm-up push carries {@value #HEADER} with a token drawn at start and held only in memory: the endpoint then
 * takes it through the same parse, checks, group-commit queue, writer and statements as any push, in a transaction that
 * rolls back ({@link InboundEventService#rehearse}), so nothing is stored, delivered, logged or counted. A push with
 * any other value of the header is an ordinary push. Each push waits at most {@link #REQUEST_TIMEOUT}; the first that
 * fails stops the warm-up, and the replica becomes ready cold rather than never; so does {@link #BUDGET} running out
 * (counted from start, so it holds also when the HTTP server never says it started).
 */
@ApplicationScoped
public class ReceivePathWarmUp {

    static final String HEADER = "Bridge-Warm-Up";

    private static final Logger LOG = Logger.getLogger(ReceivePathWarmUp.class);
    /** Pushes in flight at once: enough for the group commit to form batches and open a few connections. */
    private static final int CONCURRENCY = 4;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final Duration BUDGET = Duration.ofMinutes(2);

    @Inject
    InboundConfig config;

    private final String token;
    private final AtomicInteger pushes = new AtomicInteger();
    /** The first failed push's answer or error; null while none failed. */
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicBoolean begun = new AtomicBoolean();
    /** The token is honoured only while the warm-up sends: afterwards it is worth nothing, leaked or not. */
    private volatile boolean admitting;
    private volatile boolean stopping;
    private volatile int wanted;
    private volatile boolean done = true;
    private volatile long readyAnywayAt;

    public ReceivePathWarmUp() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void arm(@Observes StartupEvent ignored) {
        // A native executable was compiled ahead of time and initialised its classes at build time: nothing to warm.
        wanted = ImageMode.current() == ImageMode.NATIVE_RUN ? 0 : checked(config.warmUpRounds());
        String skipped = wanted == 0 ? null
                : config.requireApiKey() && config.apiKey().isEmpty() ? "no push can be taken without bridge.inbound.api-key"
                : !plainHttp() ? "plain HTTP is not served (quarkus.http.host-enabled, quarkus.http.insecure-requests)"
                : null;
        if (skipped != null) {
            LOG.infof("Receiving path warm-up skipped: %s", skipped);
            wanted = 0;
        }
        readyAnywayAt = System.nanoTime() + BUDGET.toNanos();
        done = wanted == 0;
    }

    static int checked(int rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("bridge.inbound.warm-up-rounds must be 0 (off) or more, is " + rounds);
        }
        return rounds;
    }

    private static boolean plainHttp() {
        var cfg = ConfigProvider.getConfig();
        return cfg.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)
                && cfg.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled")
                        .equalsIgnoreCase("enabled");
    }

    void stop(@Observes ShutdownEvent ignored) {
        stopping = true;
    }

    void warmUp(@ObservesAsync HttpServerStart started) {
        if (done || !begun.compareAndSet(false, true)) {
            return;
        }
        try {
            begin(started);
        } catch (RuntimeException e) {
            LOG.warnf("Receiving path warm-up not started: %s", e.getClass().getSimpleName());
            done = true;
        }
    }

    private void begin(HttpServerStart started) {
        String host = started.options().getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = started.options().getPort();
        if (port <= 0) {
            LOG.info("Receiving path warm-up skipped: the HTTP port is chosen at random");
            done = true;
            return;
        }
        String root = ConfigProvider.getConfig().getOptionalValue("quarkus.http.root-path", String.class).orElse("/");
        URI uri = URI.create("http://" + host + ":" + port + (root.endsWith("/") ? root : root + "/")
                + "webhook/appointment");
        Thread runner = new Thread(() -> run(uri), "receive-path-warm-up");
        runner.setDaemon(true);
        runner.start();
    }

    private void run(URI uri) {
        long start = System.nanoTime();
        admitting = true;
        try {
            sendAll(uri);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failure.compareAndSet(null, e.getClass().getSimpleName());
        } finally {
            admitting = false;
            done = true;
        }
        // Logged once every sender has stopped, so the count includes the pushes that were in flight.
        if (stopping) {
            LOG.infof("Receiving path warm-up stopped after %d of %d pushes: the replica is stopping", pushes.get(),
                    wanted);
        } else if (failed()) {
            // The database is down or saturated, say, or a push timed out: the replica starts cold, not never.
            LOG.warnf("Receiving path warm-up stopped after %d of %d pushes: %s", pushes.get(), wanted, failure.get());
        } else if (pushes.get() < wanted) {
            LOG.warnf("Receiving path warm-up stopped after %d of %d pushes: out of its %d s", pushes.get(), wanted,
                    BUDGET.toSeconds());
        } else {
            LOG.infof("Receiving path warmed up: %d pushes in %d ms", pushes.get(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private void sendAll(URI uri) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT).build();
        AtomicInteger next = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            Thread sender = new Thread(() -> {
                for (int n = next.getAndIncrement(); n < wanted && !failed() && !outOfTime() && !stopping;
                        n = next.getAndIncrement()) {
                    if (!send(client, uri, n)) {
                        return;
                    }
                    pushes.incrementAndGet();
                }
            }, "receive-path-warm-up-" + i);
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
    }

    private boolean send(HttpClient client, URI uri, int n) {
        EventType[] types = EventType.values();
        String body = "{\"event_type\":\"" + types[n % types.length].wireName() + "\",\"appointment_id\":\"warm-up-"
                + n + "\",\"patient_id\":\"warm-up\",\"timestamp\":\"" + Instant.now() + "\",\"notes\":\"warm-up\"}";
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header(HEADER, token)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        config.apiKey().ifPresent(key -> request.header("X-API-Key", key));
        String problem;
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 201) {
                return true;
            }
            problem = "HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (java.io.IOException | RuntimeException e) {
            problem = e.getClass().getSimpleName();
        }
        failure.compareAndSet(null, problem);
        return false;
    }

    /** Whether a push's {@value #HEADER} header is this replica's own warm-up token. */
    boolean admits(String header) {
        return admitting && header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** Done, failed or skipped; or out of time, so a warm-up that never began cannot keep the replica unready. */
    boolean finished() {
        return done || outOfTime();
    }

    private boolean outOfTime() {
        return System.nanoTime() - readyAnywayAt > 0;
    }

    /** Warm-up pushes answered. */
    int pushes() {
        return pushes.get();
    }

    int wanted() {
        return wanted;
    }

    /** The token, for the warm-up test. */
    String token() {
        return token;
    }

    /** Whether a warm-up push failed, which stopped the warm-up. */
    boolean failed() {
        return failure.get() != null;
    }

    /** Why the warm-up stopped short: the failed push's answer or error, or its time running out; else empty. */
    String stoppedBy() {
        String why = failure.get();
        return why != null ? why : pushes.get() < wanted && outOfTime() ? "out of time" : "";
    }
}
