package dev.appointmentbridge.admin;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.appointmentbridge.quarantine.QuarantinedRecord;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/quarantine")
@Tag(name = "Admin")
public class QuarantineAdminResource {

    /** One quarantined upstream record: ids and the reason, never its content. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record QuarantineView(String source, String appointmentId, String reason, String lastUpdated,
            String firstSeenAt, String lastSeenAt) {

        static QuarantineView of(QuarantinedRecord q) {
            return new QuarantineView(q.source, q.appointmentId, q.reason,
                    q.lastUpdated == null ? null : q.lastUpdated.toString(), q.firstSeenAt.toString(),
                    q.lastSeenAt.toString());
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Quarantined upstream records", description = "Appointments a poll could not read (no "
            + "status, an unknown status code, a date that is not an instant), newest first, with the reason. They "
            + "never block their source and leave the list when a readable version is polled.")
    public List<QuarantineView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        return QuarantinedRecord.newestFirst(Math.max(1, Math.min(limit, 1000))).stream().map(QuarantineView::of)
                .toList();
    }
}
