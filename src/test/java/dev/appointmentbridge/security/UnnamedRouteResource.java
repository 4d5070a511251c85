package dev.appointmentbridge.security;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** A route someone adds without naming it in quarkus.http.auth.permission.*: it must not be served. */
@Path("/reports/unnamed")
public class UnnamedRouteResource {

    @GET
    @Operation(hidden = true)
    public String read() {
        return "patient data";
    }

    @POST
    @Operation(hidden = true)
    public String write() {
        return "done";
    }
}
