package dev.appointmentbridge.health;

import java.util.Set;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.appointmentbridge.delivery.TargetHealth;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code /q/health/group/targets}: DOWN while a target is disabled or failing (under 50% of last hour's
 * attempts succeeded). For alerting only, like the sources group: a dead target is not the bridge's fault.
 */
@HealthGroup("targets")
@ApplicationScoped
public class TargetsHealth implements HealthCheck {

    private static final Set<String> DOWN = Set.of("disabled", "failing");

    @Inject
    TargetHealth targets;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Targets").up();
        try {
            for (TargetHealth.Status t : targets.all()) {
                b.withData(t.target().name(), t.health() + ", " + t.queueDepth() + " pending");
                if (DOWN.contains(t.health())) {
                    b.down();
                }
            }
        } catch (RuntimeException e) {
            b.down().withData("error", "database unavailable: " + e.getClass().getSimpleName());
        }
        return b.build();
    }
}
