package dev.appointmentbridge.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.appointmentbridge.delivery.DeliveryWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Live only while the delivery dispatcher runs (when delivery is on): a dead worker needs a restart. */
@Liveness
@ApplicationScoped
public class DeliveryWorkerHealth implements HealthCheck {

    @Inject
    DeliveryWorker worker;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Delivery worker").status(worker.isHealthy())
                .withData("in_flight", worker.inFlight()).build();
    }
}
