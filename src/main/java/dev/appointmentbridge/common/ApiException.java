package dev.appointmentbridge.common;

import java.util.List;

import jakarta.ws.rs.core.Response;

/** Thrown by resources and services for a request the bridge refuses; mapped to {@link ApiError}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<ErrorItem> errors;

    public ApiException(int status, String message, List<ErrorItem> errors) {
        super(message, null, false, false); // no stack trace: this is control flow, not a bug
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiException unprocessable(String message, List<ErrorItem> errors) {
        return new ApiException(422, message, errors);
    }

    public Response toResponse() {
        return ErrorResponses.json(status, error());
    }

    public ApiError error() {
        return ApiError.of(getMessage(), errors);
    }

    public int status() {
        return status;
    }
}
