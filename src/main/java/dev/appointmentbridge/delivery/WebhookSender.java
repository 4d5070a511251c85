package dev.appointmentbridge.delivery;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Sends one signed POST with Vert.x's pooled, non-blocking HTTP client (one pool per target). A fresh
 * webhook-timestamp and signature are made for every attempt; the webhook-id stays the event's.
 */
public class WebhookSender {

    /** What came back: a status code, or an error when there was no HTTP answer. */
    /** {@code refused}: the target's address is not allowed (see OutboundUrlGuard); sending again cannot help. */
    public record Response(Integer statusCode, String retryAfter, String body, String error, boolean refused) {

        Response(Integer statusCode, String retryAfter, String body, String error) {
            this(statusCode, retryAfter, body, error, false);
        }
    }

    private static final int BODY_KEEP = 1024;

    private final Map<String, HttpClient> clients = new HashMap<>();
    private final Map<String, URI> urls = new HashMap<>();
    /** bridge.delivery.allow-private-targets: private addresses allowed for every target. */
    private final boolean allowPrivateTargets;
    /** Requests start on these contexts in turn, so connections spread over the event loops. */
    private final Context[] contexts;
    private final AtomicInteger next = new AtomicInteger();

    public WebhookSender(Vertx vertx, Iterable<TargetRegistry.Target> targets, int maxConnectionsPerTarget,
            boolean allowPrivateTargets) {
        this.allowPrivateTargets = allowPrivateTargets;
        contexts = new Context[Math.max(1, Runtime.getRuntime().availableProcessors())];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = vertx.getOrCreateContext(); // off a Vert.x thread: a new context, next event loop
        }
        for (TargetRegistry.Target t : targets) {
            urls.put(t.name(), URI.create(t.config().url()));
            clients.put(t.name(), vertx.createHttpClient(new HttpClientOptions()
                    .setConnectTimeout((int) t.config().connectTimeout().toMillis())
                    .setMaxPoolSize(maxConnectionsPerTarget).setMaxWaitQueueSize(-1)
                    .setKeepAlive(true).setTryUseCompression(false)));
        }
    }

    /**
     * Called on the dispatcher thread, which may block on a DNS lookup; the request itself runs on Vert.x. The
     * host is resolved once here and the connection goes to that address (Host header and TLS name stay the
     * URL's), so the address checked is the address connected to: no second lookup, no DNS rebinding.
     */
    public Future<Response> send(TargetRegistry.Target target, String webhookId, byte[] body) {
        URI url = urls.get(target.name());
        OutboundUrlGuard.Checked checked = OutboundUrlGuard.check(url.getHost(),
                allowPrivateTargets || target.config().allowPrivate());
        if (checked.refusal() != null) {
            return Future.succeededFuture(new Response(null, null, null, "refused: " + checked.refusal()
                    + " (set bridge.targets." + target.name() + ".allow-private=true to allow it)", true));
        }
        if (checked.unresolvable()) {
            return Future.succeededFuture(new Response(null, null, null, "dns: the host did not resolve"));
        }
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        SocketAddress pinned = SocketAddress.inetSocketAddress(new InetSocketAddress(checked.address(), port));
        Promise<Response> result = Promise.promise();
        contexts[Math.floorMod(next.getAndIncrement(), contexts.length)]
                .runOnContext(v -> sendOnContext(target, webhookId, body, pinned).onComplete(result));
        return result.future();
    }

    private Future<Response> sendOnContext(TargetRegistry.Target target, String webhookId, byte[] body,
            SocketAddress server) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set("Content-Type", "application/json");
        headers.set("User-Agent", "appointment-bridge");
        long timestamp = Instant.now().getEpochSecond();
        headers.set("webhook-id", webhookId);
        headers.set("webhook-timestamp", Long.toString(timestamp));
        if (target.signer() != null) {
            headers.set("webhook-signature", target.signer().sign(webhookId, timestamp, body));
        }
        target.config().bearerToken().ifPresent(token -> headers.set("Authorization", "Bearer " + token));
        target.config().headers().forEach(headers::set);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.config().url()).setHeaders(headers)
                .setTimeout(target.config().requestTimeout().toMillis());
        options.setServer(server); // connect to the address that was checked; Host and TLS name stay the URL's
        return clients.get(target.name()).request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Response(response.statusCode(),
                        response.getHeader("Retry-After"), truncate(b), null)))
                .recover(failure -> Future.succeededFuture(new Response(null, null, null, describe(failure))));
    }

    public void close() {
        clients.values().forEach(HttpClient::close);
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
