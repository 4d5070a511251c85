package dev.appointmentbridge.delivery;

import java.util.Set;

import org.jboss.logging.Logger;

import dev.appointmentbridge.common.SqlStates;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import dev.appointmentbridge.replica.ReplicaRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Pending deliveries of targets that no replica serves any more: given up (marked dead, replayable), with one WARN
 * saying how many. Only when no replica seen within {@code bridge.replicas.grace} has the target, and only rows older
 * than that: a replica started with a narrower configuration (a canary) must not retire what another still delivers,
 * and a replica restarting is still counted. At start and every minute, so the deliveries of a target the last
 * replica dropped are retired once the grace period has passed.
 */
@ApplicationScoped
public class RemovedTargets {

    private static final Logger LOG = Logger.getLogger(RemovedTargets.class);

    @Inject
    DeliveryStore store;

    @Inject
    TargetRegistry targets;

    @Inject
    ReplicaRegistry replicas;

    @Inject
    Scheduler scheduler;

    void start(@Observes StartupEvent ignored) {
        scheduler.newJob("removed-targets").setInterval("60s").setDelayed("60s")
                .setConcurrentExecution(ConcurrentExecution.SKIP).setTask(execution -> retire()).schedule();
    }

    public void retire() {
        try {
            Set<String> served = replicas.liveTargets(targets.names());
            java.util.Map<String, Long> retired = store.retireRemovedTargets(served, replicas.grace(), 5000);
            if (!retired.isEmpty()) {
                LOG.warnf("%d pending deliveries belong to targets that no replica seen within %s has (%s): marked"
                        + " dead (\"%s\"). Configure the target again and replay it (POST"
                        + " /admin/targets/<name>/replay) to send them",
                        retired.values().stream().mapToLong(Long::longValue).sum(), replicas.grace(), retired,
                        DeliveryStore.TARGET_REMOVED);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not retire the deliveries of removed targets now: %s", SqlStates.of(e));
        }
    }
}
