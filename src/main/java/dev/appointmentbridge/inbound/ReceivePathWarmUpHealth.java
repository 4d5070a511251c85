package dev.appointmentbridge.inbound;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Not ready until the receiving path's warm-up pushes were answered (or it stopped): see {@link ReceivePathWarmUp}. */
@Readiness
@ApplicationScoped
public class ReceivePathWarmUpHealth implements HealthCheck {

    @Inject
    ReceivePathWarmUp warmUp;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Receiving path warm-up").status(warmUp.finished())
                .withData("pushes", warmUp.pushes()).withData("of", warmUp.wanted())
                .withData("stopped_by", warmUp.stoppedBy()).build();
    }
}
