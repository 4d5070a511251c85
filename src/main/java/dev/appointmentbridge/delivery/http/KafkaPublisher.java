package dev.appointmentbridge.delivery.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.appointmentbridge.config.TargetsConfig;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Kafka targets: one idempotent producer ({@code acks=all}) per target, each delivery one record on the target's
 * topic, keyed by source and appointment id (a consumer reads one appointment's events in order from one
 * partition), valued by the target's format, with the webhook headers ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature} where the target signs, {@code bridge-sequence}). A delivery is sent once the broker
 * acknowledged it; any failure (the broker away, a timeout) is an unanswered attempt, retried like an HTTP one, and
 * the claim's head-of-line order means an appointment's next event is not published before this one is acknowledged.
 * A retry after a lost acknowledgement can publish a record twice: consumers drop duplicates by {@code webhook-id}.
 * <p>
 * A broker that is away must not slow anything else: each target publishes on its own thread with a bounded queue
 * (a producer waiting for metadata parks that thread, never a shared worker), and a circuit breaker stops attempts
 * after a failure until a probe gets through (KafkaBreaker). The producer is made on first use, so a bootstrap name
 * that does not resolve yet fails that target's attempts, not the bridge's start.
 */
public final class KafkaPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);

    private final Vertx vertx;
    private final Map<String, Lane> lanes = new HashMap<>();

    KafkaPublisher(Vertx vertx, Iterable<TargetRegistry.Target> targets) {
        this.vertx = vertx;
        for (TargetRegistry.Target t : targets) {
            t.config().kafka().ifPresent(kafka -> lanes.put(t.name(), new Lane(t, properties(t, kafka))));
        }
    }

    /** The target's pass-through settings, then the bridge's own, which win. */
    static Properties properties(TargetRegistry.Target t, TargetsConfig.Kafka kafka) {
        Properties p = new Properties();
        p.putAll(kafka.properties());
        long timeout = t.config().timeout().toMillis();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "appointment-bridge-" + t.name());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // One attempt's deadline is the target's timeout, as for HTTP (and the delivery lease exceeds it): at most a
        // quarter waiting in the target's queue, then the attempt's timer, three quarters from the send's start.
        // Waiting for metadata (max.block, a quarter) and for the acknowledgement (delivery.timeout, counted from
        // send's return) end by 70 %, so the producer has given up before that timer fires: nothing is published
        // after the attempt was recorded as failed, or after another replica may claim the row.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout / 4));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout / 5));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout * 45 / 100));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    /** Until when the target's breaker holds its attempts back, or null when one may go now. */
    Instant blockedUntil(String target) {
        Lane lane = lanes.get(target);
        return lane == null ? null : lane.breaker.blockedUntil(Instant.now());
    }

    /** How many of {@code room} attempts the dispatcher may claim for the target now (one probe while not closed). */
    int room(String target, int room) {
        Lane lane = lanes.get(target);
        return lane == null ? room : lane.breaker.room(room);
    }

    /**
     * Publishes on the target's own thread; completes when the broker answered, the attempt's time ran out, or at
     * once when the breaker is open or the target's queue is full (not sent).
     */
    Future<WebhookSender.Response> send(TargetRegistry.Target target, String webhookId, Long sequence, String key,
            byte[] body) {
        Lane lane = lanes.get(target.name());
        Promise<WebhookSender.Response> done = Promise.promise();
        Instant blocked = lane.breaker.tryPass(Instant.now());
        if (blocked != null) {
            return Future.succeededFuture(failed("broker unavailable, circuit open until " + blocked + " (not sent)"));
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(target.config().kafka().orElseThrow().topic(),
                key, body);
        long timestamp = Instant.now().getEpochSecond();
        record.headers().add("webhook-id", bytes(webhookId));
        record.headers().add("webhook-timestamp", bytes(Long.toString(timestamp)));
        if (target.signer() != null) {
            record.headers().add("webhook-signature", bytes(target.signer().header(webhookId, timestamp, body)));
        }
        if (sequence != null) {
            record.headers().add(WebhookSender.SEQUENCE_HEADER, bytes(Long.toString(sequence)));
        }
        long timeout = target.config().timeout().toMillis();
        // QUEUED -> SENDING (the lane's thread took it) or QUEUED -> EXPIRED (it waited too long): exactly one wins,
        // so a record the attempt has given up on is never handed to the producer.
        AtomicInteger state = new AtomicInteger(QUEUED);
        long queueTimer = vertx.setTimer(Math.max(1, timeout / 4), id -> {
            if (state.compareAndSet(QUEUED, EXPIRED)) {
                lane.breaker.failed(Instant.now());
                done.tryComplete(failed("waited " + timeout / 4 + " ms for the target's publisher (not sent)"));
            }
        });
        try {
            lane.executor.execute(() -> {
                if (!state.compareAndSet(QUEUED, SENDING)) {
                    return;
                }
                vertx.cancelTimer(queueTimer);
                // the attempt's own timer starts with the send: metadata wait plus acknowledgement end before it
                long sendTimeout = Math.max(1, timeout * 3 / 4);
                long timer = vertx.setTimer(sendTimeout, id -> {
                    if (done.tryComplete(failed("no acknowledgement within " + sendTimeout + " ms"))) {
                        lane.breaker.failed(Instant.now());
                    }
                });
                done.future().onComplete(r -> vertx.cancelTimer(timer));
                publish(lane, record, done);
            });
        } catch (RejectedExecutionException full) {
            vertx.cancelTimer(queueTimer);
            return Future.succeededFuture(failed("the target's publisher queue is full (not sent)"));
        }
        return done.future();
    }

    private void publish(Lane lane, ProducerRecord<String, byte[]> record, Promise<WebhookSender.Response> done) {
        KafkaProducer<String, byte[]> producer;
        try {
            producer = lane.producer();
        } catch (RuntimeException e) { // e.g. no bootstrap address resolves yet: this target waits, nothing else
            lane.breaker.failed(Instant.now());
            done.tryComplete(failed("no producer: " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")"));
            return;
        }
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    lane.breaker.succeeded();
                    done.tryComplete(new WebhookSender.Response(200, null, null, null));
                } else {
                    lane.breaker.failed(Instant.now());
                    done.tryComplete(failed(failure.getClass().getSimpleName()));
                }
            });
        } catch (RuntimeException e) { // metadata not there within max.block, or the producer closed
            lane.breaker.failed(Instant.now());
            done.tryComplete(failed(e.getClass().getSimpleName()));
        }
    }

    void close() {
        lanes.values().forEach(Lane::close);
    }

    private static WebhookSender.Response failed(String why) {
        return new WebhookSender.Response(null, null, null, "kafka: " + why);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static final int QUEUED = 0;
    private static final int SENDING = 1;
    private static final int EXPIRED = 2;

    /** One Kafka target: its producer (made on first use), its thread and queue, its breaker. */
    private static final class Lane {

        final TargetRegistry.Target target;
        final Properties properties;
        final ThreadPoolExecutor executor;
        final KafkaBreaker breaker = new KafkaBreaker();
        private volatile KafkaProducer<String, byte[]> producer;
        private final AtomicBoolean closed = new AtomicBoolean();

        Lane(TargetRegistry.Target target, Properties properties) {
            this.target = target;
            this.properties = properties;
            // one thread: the producer batches and pipelines by itself; send() blocks only for metadata
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(Math.max(1, target.config().maxInFlight())), runnable -> {
                        Thread thread = new Thread(runnable, "kafka-" + target.name());
                        thread.setDaemon(true);
                        return thread;
                    });
        }

        /** On the lane's thread only. */
        KafkaProducer<String, byte[]> producer() {
            KafkaProducer<String, byte[]> p = producer;
            if (p == null) {
                p = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
                producer = p;
                LOG.infof("Kafka target %s: producer created (it connects to the broker when it first sends)",
                        target.name());
            }
            return p;
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                executor.shutdown();
                try {
                    executor.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                KafkaProducer<String, byte[]> p = producer;
                if (p != null) {
                    p.close(java.time.Duration.ofSeconds(5));
                }
            }
        }
    }
}
