package dev.appointmentbridge.inbound.hl7;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/** HL7 v2 SIU messages over HTTP, behind the inbound key: the same intake as the MLLP listener. */
@Path("/webhook/hl7v2")
@Tag(name = "Receiving")
public class Hl7v2Resource {

    static final String ER7 = "x-application/hl7-v2+er7";

    @Inject
    Hl7v2Intake intake;

    @POST
    @Blocking
    @Consumes({ ER7, "application/hl7-v2" })
    @Produces(ER7)
    @Operation(summary = "Receive an HL7 v2 SIU message (ER7)", description = "S12 scheduled, S13 rescheduled, S14"
            + " rescheduled when its time or resources changed, S15 cancelled, S17 cancelled (deleted), S26 no-show;"
            + " the answer is the HL7 acknowledgement, sent only once the message is stored.")
    @APIResponse(responseCode = "200", description = "MSA|AA: stored (or a resend of a stored message)")
    @APIResponse(responseCode = "400", description = "MSA|AE: not a readable SIU message; nothing stored")
    @APIResponse(responseCode = "401", description = "bridge.inbound.api-key is set and was not sent")
    @APIResponse(responseCode = "503", description = "MSA|AR: could not be stored now; send it again")
    public CompletionStage<Response> receive(byte[] body) {
        return intake.receive(Er7Text.decode(body)).thenApply(ack -> Response.status(ack.accepted() ? 200
                : ack.retry() ? 503 : 400).entity(ack.er7()).type(ER7).build());
    }
}
