package dev.appointmentbridge.inbound;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

/** Counts refused requests to the receiving endpoint by HTTP status ({@code bridge_inbound_rejected_total}). */
@Singleton
public class RejectionMetrics {

    @Inject
    MeterRegistry registry;

    public void count(int status) {
        registry.counter("bridge.inbound.rejected", "status", Integer.toString(status)).increment();
    }

    @ServerResponseFilter
    public void onResponse(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && request.getUriInfo().getPath().startsWith("/webhook/appointment")) {
            count(response.getStatus());
        }
    }
}
