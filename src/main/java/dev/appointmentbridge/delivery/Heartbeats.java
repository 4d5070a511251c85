package dev.appointmentbridge.delivery;

import dev.appointmentbridge.common.NativeColumn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hibernate.StatelessSession;
import org.jboss.logging.Logger;

import dev.appointmentbridge.config.DeliveryConfig;
import dev.appointmentbridge.delivery.http.WebhookSender;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code bridge.targets.<name>.heartbeat}: when nothing was sent to a target for that long, one signed POST
 * {@code {"type":"bridge.heartbeat","timestamp":…,"sequence":<last number assigned>}} with {@code bridge-sequence}
 * equal to that number, so a receiver that has fewer deliveries than the number knows to read the feed. Heartbeats
 * take no number and are not retried: the next one comes one idle period later. Replicas share the decision through
 * {@code target_sequence.heartbeat_at}, so one heartbeat goes out per period whatever the number of replicas.
 */
@ApplicationScoped
public class Heartbeats {

    private static final Logger LOG = Logger.getLogger(Heartbeats.class);

    /**
     * Claims this period's heartbeat: due when the last heartbeat, the newest sent delivery and the newest pending one
     * (stored or in flight; each one step down delivery_target_idx) are all older than the idle time. A delivery
     * backing off for long does not stop heartbeats: the receiver learns its number from them. Returns the last number
     * assigned, as committed. Not while the target asked for a pause (a paced delivery waits, on any replica: the
     * receiver asked that nothing be sent until then).
     */
    private static final String CLAIM = """
            UPDATE target_sequence s SET heartbeat_at = now()
             WHERE s.target = :target
               AND COALESCE(s.heartbeat_at, '-infinity') <= now() - make_interval(secs => :idle)
               AND GREATEST(COALESCE((SELECT d.sent_at FROM delivery d WHERE d.target = :target AND d.status = 'sent'
                                       ORDER BY d.id DESC LIMIT 1), '-infinity'),
                            COALESCE((SELECT d.created_at FROM delivery d
                                       WHERE d.target = :target AND d.status = 'pending'
                                       ORDER BY d.id DESC LIMIT 1), '-infinity'))
                   <= now() - make_interval(secs => :idle)
               AND NOT EXISTS (SELECT 1 FROM delivery p
                                WHERE p.target = :target AND p.status = 'pending' AND p.head
                                  AND p.next_attempt_at > now() AND p.last_error LIKE :paced)
            RETURNING s.last
            """;

    @Inject
    TargetRegistry targets;

    @Inject
    StatelessSession session;

    @Inject
    DeliveryConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @Inject
    Scheduler scheduler;

    @Inject
    DeliveryWorker worker;

    private List<TargetRegistry.Target> beating = List.of();
    private WebhookSender sender;

    void start(@Observes StartupEvent ignored) {
        beating = targets.all().stream().filter(t -> t.config().heartbeat().isPresent()).toList();
        if (beating.isEmpty()) {
            return;
        }
        sender = new WebhookSender(vertx, beating, config.allowPrivateTargets());
        QuarkusTransaction.requiringNew().run(() -> beating.forEach(t -> session.createNativeMutationQuery(
                "INSERT INTO target_sequence (target) VALUES (:target) ON CONFLICT DO NOTHING")
                .setParameter("target", t.name()).executeUpdate()));
        scheduler.newJob("heartbeats").setInterval("1s").setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> tick()).schedule();
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (sender != null) {
            sender.close();
        }
    }

    void tick() {
        for (TargetRegistry.Target t : beating) {
            if (targets.isDisabled(t.name()) || worker.pausedUntil(t.name()) != null) {
                continue; // disabled, or the receiver asked this replica to wait
            }
            try {
                due(t).ifPresent(last -> send(t, last));
            } catch (RuntimeException e) { // the database is away: the next tick tries again
                LOG.warnf("Heartbeat of target %s not decided: %s", t.name(), e.getClass().getSimpleName());
            }
        }
    }

    private java.util.Optional<Long> due(TargetRegistry.Target t) {
        double idle = t.config().heartbeat().orElseThrow().toMillis() / 1000.0;
        return QuarkusTransaction.requiringNew().call(() -> NativeColumn.values(NativeColumn.select(session, CLAIM, "last", Long.class)
                .setParameter("target", t.name()).setParameter("idle", idle)
                .setParameter("paced", "%" + DeliveryWorker.PACED + "%").getResultList(), Long.class).stream().findFirst());
    }

    private void send(TargetRegistry.Target t, long last) {
        byte[] body = ("{\"type\":\"bridge.heartbeat\",\"timestamp\":\"" + Instant.now().truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS) + "\",\"sequence\":" + last
                + "}").getBytes(StandardCharsets.UTF_8);
        sender.send(t, "heartbeat_" + UUID.randomUUID(), last, "bridge.heartbeat", body).onComplete(result -> {
            Integer code = result.succeeded() ? result.result().statusCode() : null;
            boolean ok = code != null && code / 100 == 2;
            if (code != null) {
                worker.heartbeatAnswered(t.name(), code, result.result().retryAfter());
            }
            registry.counter("bridge.heartbeats", "target", t.name(), "outcome", ok ? "sent" : "failed").increment();
            if (!ok) {
                LOG.infof("Heartbeat to target %s not taken (%s)", t.name(), code != null ? "status " + code
                        : result.succeeded() ? result.result().error() : result.cause().getClass().getSimpleName());
            }
        });
    }
}
