package dev.appointmentbridge.admin;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.appointmentbridge.replica.ReplicaRegistry;
import dev.appointmentbridge.replica.ReplicaView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/replicas")
@Tag(name = "Admin")
public class ReplicaAdminResource {

    @Inject
    ReplicaRegistry replicas;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replicas on this database", description = "Each replica recorded: release (and the newest"
            + " migration it carries), a fingerprint of its sources and targets (no secrets), the names it serves, when"
            + " it was last seen, whether it is live (seen within bridge.replicas.grace) and which one answered. Live"
            + " replicas with different fingerprints are configured differently.")
    public List<ReplicaView> list() {
        return replicas.replicas();
    }
}
