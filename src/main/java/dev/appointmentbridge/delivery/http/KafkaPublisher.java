package dev.appointmentbridge.delivery.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
 */
public final class KafkaPublisher {

    private final Vertx vertx;
    private final Map<String, KafkaProducer<String, byte[]>> producers = new HashMap<>();

    KafkaPublisher(Vertx vertx, Iterable<TargetRegistry.Target> targets) {
        this.vertx = vertx;
        for (TargetRegistry.Target t : targets) {
            t.config().kafka().ifPresent(kafka -> producers.put(t.name(), new KafkaProducer<>(properties(t, kafka),
                    new StringSerializer(), new ByteArraySerializer())));
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
        // One attempt's deadline is the target's timeout, as for HTTP (and the delivery lease exceeds it): waiting for
        // metadata (max.block) and then for the acknowledgement (delivery.timeout, counted from send's return) add up
        // to less than it, so the producer has given up before another replica may claim the row.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout / 4));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout / 4));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout * 3 / 4));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    /** Publishes on a worker thread (the producer may wait for metadata); completes when the broker answered. */
    Future<WebhookSender.Response> send(TargetRegistry.Target target, String webhookId, Long sequence, String key,
            byte[] body) {
        KafkaProducer<String, byte[]> producer = producers.get(target.name());
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
        Promise<WebhookSender.Response> done = Promise.promise();
        long deadline = target.config().timeout().toMillis();
        long timer = vertx.setTimer(deadline, id -> done.tryComplete(new WebhookSender.Response(null, null, null,
                "timeout: no acknowledgement within " + deadline + " ms")));
        vertx.executeBlocking(() -> producer.send(record, (metadata, failure) -> done.tryComplete(failure == null
                ? new WebhookSender.Response(200, null, null, null)
                : new WebhookSender.Response(null, null, null, "kafka: " + failure.getClass().getSimpleName()))), false)
                .onFailure(failure -> done.tryComplete(new WebhookSender.Response(null, null, null, "kafka: "
                        + failure.getClass().getSimpleName())));
        return done.future().onComplete(result -> vertx.cancelTimer(timer));
    }

    void close() {
        producers.values().forEach(p -> p.close(java.time.Duration.ofSeconds(5)));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
