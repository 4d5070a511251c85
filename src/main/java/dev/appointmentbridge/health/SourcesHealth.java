package dev.appointmentbridge.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.appointmentbridge.admin.SourceAdminService;
import dev.appointmentbridge.admin.SourceView;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

/**
 * {@code /q/health/group/sources}: DOWN while a source's last poll failed. For alerting, not for probes:
 * an upstream outage is no reason to restart or unroute the bridge, so it is in neither live nor ready.
 */
@HealthGroup("sources")
@ApplicationScoped
public class SourcesHealth implements HealthCheck {

    @Inject
    SourceAdminService sources;

    @Override
    @ActivateRequestContext
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Sources").up();
        for (SourceView s : sources.list()) {
            boolean failed = "failed".equals(s.lastResult());
            b.withData(s.name(), s.lastResult() == null ? "not polled yet"
                    : failed ? "failed: " + s.lastError() : "ok at " + s.lastSuccessAt());
            if (failed) {
                b.down();
            }
        }
        return b.build();
    }
}
