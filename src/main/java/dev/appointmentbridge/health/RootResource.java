package dev.appointmentbridge.health;

import java.sql.Connection;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /}: a one-glance health check for people and simple uptime probes. */
@Path("/")
@Tag(name = "Health")
public class RootResource {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Health summary", description = "200 when the database answers, 503 otherwise.")
    public Response summary() {
        boolean databaseUp = databaseUp();
        HealthSummary body = new HealthSummary(databaseUp ? "ok" : "degraded", "appointment-bridge", version,
                databaseUp ? "up" : "down");
        return Response.status(databaseUp ? 200 : 503).entity(body).build();
    }

    private boolean databaseUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
