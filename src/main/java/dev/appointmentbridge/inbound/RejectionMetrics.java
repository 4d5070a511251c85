package dev.appointmentbridge.inbound;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

/**
 * Counts refused pushes ({@code POST /webhook/...}) by HTTP status ({@code bridge_inbound_rejected_total}), every
 * status the endpoints answer registered at zero at start, so "no refusals" is a series at 0, not a missing one.
 */
@Singleton
public class RejectionMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    ReceivePathWarmUp warmUp;

    /** The statuses the receiving endpoints refuse with (docs/security.md, "Receiving endpoint"). */
    static final int[] STATUSES = { 400, 401, 409, 413, 415, 422, 503 };

    void registerAtZero(@Observes StartupEvent ignored) {
        for (int status : STATUSES) {
            registry.counter("bridge.inbound.rejected", "status", Integer.toString(status));
        }
    }

    public void count(int status) {
        registry.counter("bridge.inbound.rejected", "status", Integer.toString(status)).increment();
    }

    @ServerResponseFilter
    public void onResponse(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && "POST".equals(request.getMethod())
                && request.getUriInfo().getPath().startsWith("/webhook/")
                && !warmUp.admits(request.getHeaderString(ReceivePathWarmUp.HEADER))) { // the replica's own warm-up
            count(response.getStatus());
        }
    }
}
