package dev.appointmentbridge.delivery.target;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Checked target addresses (OutboundUrlGuard), each kept for a short time-to-live. A lookup that is not cached
 * runs on the given executor, never on the caller's thread: a slow or dead DNS server delays only the attempts
 * to that host, not the delivery dispatcher and with it every other target. Concurrent lookups of
 * one host share a single resolution.
 */
public final class TargetAddressCache {

    private record Entry(Future<OutboundUrlGuard.Checked> checked, long expiresAtNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final BiFunction<String, Boolean, OutboundUrlGuard.Checked> resolver;
    private final Executor executor;
    private final long ttlNanos;
    private final LongSupplier nanoClock;

    /**
     * @param resolver  a blocking resolution and check of (host, allowPrivate); OutboundUrlGuard::check in service
     * @param executor  where lookups run (a worker pool)
     * @param ttlNanos  how long an answer, or a failure to resolve, is reused, in nanoseconds
     * @param nanoClock System::nanoTime, or a test's clock
     */
    public TargetAddressCache(BiFunction<String, Boolean, OutboundUrlGuard.Checked> resolver, Executor executor,
            long ttlNanos, LongSupplier nanoClock) {
        this.resolver = resolver;
        this.executor = executor;
        this.ttlNanos = ttlNanos;
        this.nanoClock = nanoClock;
    }

    /** The checked address of host; completes at once when cached, else when the executor has resolved it. */
    public Future<OutboundUrlGuard.Checked> lookup(String host, boolean allowPrivate) {
        String key = (allowPrivate ? "+" : "-") + host;
        long now = nanoClock.getAsLong();
        Entry entry = entries.compute(key, (k, old) -> old != null && (!old.checked().isComplete()
                || now - old.expiresAtNanos() < 0) ? old : resolve(host, allowPrivate, now));
        return entry.checked();
    }

    private Entry resolve(String host, boolean allowPrivate, long now) {
        Promise<OutboundUrlGuard.Checked> promise = Promise.promise();
        try {
            executor.execute(() -> {
                try {
                    promise.complete(resolver.apply(host, allowPrivate));
                } catch (RuntimeException e) {
                    promise.complete(new OutboundUrlGuard.Checked(null, null, true));
                }
            });
        } catch (RuntimeException rejected) { // executor shut down: the attempt fails and is retried later
            promise.complete(new OutboundUrlGuard.Checked(null, null, true));
        }
        return new Entry(promise.future(), now + ttlNanos);
    }
}
