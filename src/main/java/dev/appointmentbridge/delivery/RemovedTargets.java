package dev.appointmentbridge.delivery;

import org.jboss.logging.Logger;

import dev.appointmentbridge.common.SqlStates;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Pending deliveries of targets removed from the configuration: given up at start, with one WARN saying how many. */
@ApplicationScoped
public class RemovedTargets {

    private static final Logger LOG = Logger.getLogger(RemovedTargets.class);

    @Inject
    DeliveryStore store;

    @Inject
    TargetRegistry targets;

    public void retire() {
        try {
            long retired = store.retireRemovedTargets(targets.names(), 5000);
            if (retired > 0) {
                LOG.warnf("%d pending deliveries belong to targets no longer configured: marked dead (\"%s\"). "
                        + "Configure the target again and replay it (POST /admin/targets/<name>/replay) to send them",
                        retired, DeliveryStore.TARGET_REMOVED);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not retire the deliveries of removed targets now: %s", SqlStates.of(e));
        }
    }
}
