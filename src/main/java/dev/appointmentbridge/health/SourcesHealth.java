package dev.appointmentbridge.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.appointmentbridge.poll.store.SourceStateEntity;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.registry.SourceRegistry;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * {@code /q/health/group/sources}: DOWN while a source's last poll failed. For alerting, not for probes:
 * an upstream outage is no reason to restart or unroute the bridge, so it is in neither live nor ready.
 */
@HealthGroup("sources")
@ApplicationScoped
public class SourcesHealth implements HealthCheck {

    @Inject
    SourceRegistry sources;

    @Override
    @ActivateRequestContext
    @Transactional(Transactional.TxType.SUPPORTS)
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Sources").up();
        for (PolledSource source : sources.all()) {
            SourceStateEntity s = SourceStateEntity.findById(source.name());
            String result = s == null ? null : s.lastResult;
            boolean failed = "failed".equals(result);
            b.withData(source.name(), result == null ? "not polled yet"
                    : failed ? "failed: " + s.lastError
                    : "ok at " + (s.lastSuccessAt == null ? null : s.lastSuccessAt.toInstant()));
            if (failed) {
                b.down();
            }
        }
        return b.build();
    }
}
