package dev.appointmentbridge.delivery.http;

import dev.appointmentbridge.delivery.target.OutboundUrlGuard;
import dev.appointmentbridge.delivery.target.TargetAddressCache;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Sends one signed POST with Vert.x's pooled, non-blocking HTTP client (one pool per target). A fresh
 * webhook-timestamp and signature are made for every attempt; the webhook-id stays the event's.
 */
public class WebhookSender {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(WebhookSender.class);


    /** What came back: a status code, or an error when there was no HTTP answer. */
    /** {@code refused}: the target's address is not allowed (see OutboundUrlGuard); sending again cannot help. */
    public record Response(Integer statusCode, String retryAfter, String body, String error, boolean refused) {

        Response(Integer statusCode, String retryAfter, String body, String error) {
            this(statusCode, retryAfter, body, error, false);
        }
    }

    /** The delivery's number in its target's sequence (a heartbeat: the last number assigned). */
    public static final String SEQUENCE_HEADER = "bridge-sequence";

    private static final int BODY_KEEP = 1024;
    /** Response bytes read at most; past them the answer is cut off (the status is all that decides). */
    static final int BODY_READ_LIMIT = 64 * 1024;

    private final Vertx vertx;

    private final Map<String, HttpClient> clients = new HashMap<>();
    private final Map<String, URI> urls = new HashMap<>();
    /** bridge.delivery.allow-private-targets: private addresses allowed for every target. */
    private final boolean allowPrivateTargets;
    /** Requests start on these contexts in turn, so connections spread over the event loops. */
    private final Context[] contexts;
    private final AtomicInteger next = new AtomicInteger();

    /** Resolved addresses are reused this long (a short cache, resolution off the dispatcher). */
    static final Duration ADDRESS_TTL = Duration.ofSeconds(30);

    private final TargetAddressCache addresses;

    /** The Kafka targets' producers: a Kafka target's deliveries are records, not POSTs. */
    private final KafkaPublisher kafka;

    /**
     * Each target gets a pool of as many connections as its max-in-flight, so a claimed attempt never waits for
     * a pooled connection: its connect timeout and deadline measure the network, not a queue.
     */
    public WebhookSender(Vertx vertx, Iterable<TargetRegistry.Target> targets, boolean allowPrivateTargets) {
        this(vertx, targets, allowPrivateTargets, new TargetAddressCache(OutboundUrlGuard::check,
                task -> vertx.executeBlocking(() -> {
                    task.run();
                    return null;
                }, false), ADDRESS_TTL.toNanos(), System::nanoTime));
    }

    WebhookSender(Vertx vertx, Iterable<TargetRegistry.Target> targets, boolean allowPrivateTargets,
            TargetAddressCache addresses) {
        this.allowPrivateTargets = allowPrivateTargets;
        this.vertx = vertx;
        this.addresses = addresses;
        contexts = new Context[Math.max(1, Runtime.getRuntime().availableProcessors())];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = vertx.getOrCreateContext(); // off a Vert.x thread: a new context, next event loop
        }
        this.kafka = new KafkaPublisher(vertx, targets);
        for (TargetRegistry.Target t : targets) {
            if (t.kafka()) {
                continue;
            }
            urls.put(t.name(), URI.create(t.config().url().orElseThrow()));
            clients.put(t.name(), vertx.httpClientBuilder().with(new HttpClientOptions()
                    .setConnectTimeout((int) t.config().connectTimeout().toMillis())
                    .setKeepAlive(true).setTryUseCompression(false))
                    .with(new PoolOptions().setHttp1MaxSize(t.config().maxInFlight()).setMaxWaitQueueSize(-1))
                    .withConnectHandler(connection -> {
                        ResponseFraming.install(connection);
                        // what a receiver sends outside any answer is its fault, not the bridge's: one INFO line
                        // (its kind only; the bytes are the receiver's) instead of Vert.x's ERROR
                        connection.exceptionHandler(e -> LOG.infof("Target %s sent bytes that answer no request"
                                + " (%s)", t.name(), e.getClass().getSimpleName()));
                    }).build());
        }
    }

    /** Until when no attempt should be claimed for the target (a Kafka target whose broker is away), or null. */
    public java.time.Instant blockedUntil(TargetRegistry.Target target) {
        return target.kafka() ? kafka.blockedUntil(target.name()) : null;
    }

    /** How many of {@code room} attempts may be claimed for the target now. */
    public int room(TargetRegistry.Target target, int room) {
        return target.kafka() ? kafka.room(target.name(), room) : room;
    }

    /**
     * A Kafka target's delivery is a record keyed by {@code key} (KafkaPublisher). Called on the dispatcher thread and
     * never blocks it: the host's checked address comes from a short cache
     * or a lookup on a worker thread. The connection goes to that address (Host header and TLS name stay the
     * URL's), so the address checked is the address connected to: no second lookup, no DNS rebinding. The
     * deadline ({@code bridge.targets.<name>.timeout}) runs from here and covers the lookup too, so an attempt
     * cannot outlive it however slow DNS is.
     */
    public Future<Response> send(TargetRegistry.Target target, String webhookId, Long sequence, String key,
            byte[] body) {
        if (target.kafka()) {
            return kafka.send(target, webhookId, sequence, key, body);
        }
        URI url = urls.get(target.name());
        long deadline = target.config().timeout().toMillis();
        Promise<Response> done = Promise.promise();
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        long timer = vertx.setTimer(deadline, id -> {
            if (done.tryComplete(new Response(null, null, null, "timeout: no complete answer within " + deadline
                    + " ms"))) {
                HttpClientRequest request = inFlight.get();
                if (request != null) {
                    request.reset(); // cancels the exchange wherever it is: connecting, sending or reading
                }
            }
        });
        addresses.lookup(url.getHost(), allowPrivateTargets || target.config().allowPrivate()).onSuccess(checked -> {
            if (checked.refusal() != null) {
                done.tryComplete(new Response(null, null, null, "refused: " + checked.refusal()
                        + " (set bridge.targets." + target.name() + ".allow-private=true to allow it)", true));
            } else if (checked.unresolvable()) {
                done.tryComplete(new Response(null, null, null, "dns: the host did not resolve"));
            } else if (!done.future().isComplete()) {
                int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
                SocketAddress pinned = SocketAddress.inetSocketAddress(new InetSocketAddress(checked.address(), port));
                contexts[Math.floorMod(next.getAndIncrement(), contexts.length)]
                        .runOnContext(v -> sendOnContext(target, webhookId, sequence, body, pinned, done, inFlight));
            }
        });
        return done.future().onComplete(result -> vertx.cancelTimer(timer));
    }

    private void sendOnContext(TargetRegistry.Target target, String webhookId, Long sequence, byte[] body,
            SocketAddress server,
            Promise<Response> done, AtomicReference<HttpClientRequest> inFlight) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set("Content-Type", "application/json");
        headers.set("User-Agent", "appointment-bridge");
        long timestamp = Instant.now().getEpochSecond();
        headers.set("webhook-id", webhookId);
        headers.set("webhook-timestamp", Long.toString(timestamp));
        if (sequence != null) {
            headers.set(SEQUENCE_HEADER, Long.toString(sequence));
        }
        if (target.signer() != null) {
            headers.set("webhook-signature", target.signer().header(webhookId, timestamp, body));
        }
        target.config().bearerToken().ifPresent(token -> headers.set("Authorization", "Bearer " + token));
        target.config().headers().forEach(headers::set);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.config().url().orElseThrow()).setHeaders(headers)
                .setServer(server); // connect to the address that was checked; Host and TLS name stay the URL's
        clients.get(target.name()).request(options).onComplete(created -> {
            if (created.failed()) {
                done.tryComplete(new Response(null, null, null, describe(created.cause())));
                return;
            }
            HttpClientRequest request = created.result();
            inFlight.set(request);
            if (done.future().isComplete()) {
                request.reset();
                return;
            }
            request.send(Buffer.buffer(body)).onComplete(sent -> {
                if (sent.failed()) {
                    done.tryComplete(new Response(null, null, null, describe(sent.cause())));
                    return;
                }
                read(sent.result(), request, done);
            });
        });
    }

    /** Reads the answer up to BODY_READ_LIMIT bytes; a longer one is cut off there and its connection reset. */
    private static void read(HttpClientResponse response, HttpClientRequest request, Promise<Response> done) {
        int status = response.statusCode();
        if (status / 100 == 1) {
            // Interim answers are dropped before Vert.x sees them (ResponseFraming); one that still arrives here (a
            // 101, or a connection the filter could not be put on) would leave the real answer to be read by the
            // next request on this pooled connection. No answer is known: the connection is closed and the attempt
            // counts as unanswered (retried, the same webhook-id).
            Response unanswered = new Response(null, null, null, "interim answer " + status + " without its final "
                    + "answer (the connection was closed)");
            // the caller hears of it once the connection is gone from the pool: nothing may be sent on it again
            request.connection().close().onComplete(closed -> done.tryComplete(unanswered));
            return;
        }
        if (ResponseFraming.bodiless(status)) {
            // No body to read (one it declares anyway closes the connection: ResponseFraming).
            done.tryComplete(new Response(status, response.getHeader("Retry-After"), null, null));
            return;
        }
        Buffer kept = Buffer.buffer();
        response.exceptionHandler(e -> done.tryComplete(new Response(null, null, null, describe(e))));
        response.handler(chunk -> {
            int room = BODY_READ_LIMIT - kept.length();
            kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
            if (chunk.length() >= room && done.tryComplete(new Response(response.statusCode(),
                    response.getHeader("Retry-After"), truncate(kept), null))) {
                request.reset();
            }
        });
        response.endHandler(v -> done.tryComplete(new Response(response.statusCode(),
                response.getHeader("Retry-After"), truncate(kept), null)));
    }

    public void close() {
        clients.values().forEach(HttpClient::close);
        kafka.close();
    }

    private static String truncate(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        return body.length() > BODY_KEEP ? body.getString(0, BODY_KEEP) : body.toString();
    }

    /** A failure's kind, never a message that could echo request data. */
    private static String describe(Throwable failure) {
        String type = failure.getClass().getSimpleName();
        if (type.contains("Timeout") || String.valueOf(failure.getMessage()).contains("timeout")) {
            return "timeout";
        }
        if (type.contains("Connect")) {
            return "connection failed";
        }
        return type;
    }

}
