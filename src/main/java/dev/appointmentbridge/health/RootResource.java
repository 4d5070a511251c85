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
    @Operation(summary = "Health summary",
            description = "200 when the database takes writes; 503 when it is down or only reads (a failover).")
    public Response summary() {
        String database = database();
        boolean up = "up".equals(database);
        HealthSummary body = new HealthSummary(up ? "ok" : "degraded", "appointment-bridge", version, database);
        return Response.status(up ? 200 : 503).entity(body).build();
    }

    /** "up", "read-only" (a standby, or a database set to read only: writes fail) or "down". */
    private String database() {
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT current_setting('transaction_read_only') = 'on'"
                        + " OR pg_is_in_recovery()")) {
            return rs.next() && rs.getBoolean(1) ? "read-only" : "up";
        } catch (Exception e) {
            return "down";
        }
    }
}
