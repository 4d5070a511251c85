package dev.appointmentbridge.common;

import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response json(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }

    public static Response of(int status, String message, ErrorItem item) {
        return json(status, ApiError.of(message, List.of(item)));
    }
}
