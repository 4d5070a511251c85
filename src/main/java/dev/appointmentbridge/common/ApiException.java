package dev.appointmentbridge.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/** Thrown by resources and services for a request the bridge refuses; mapped to {@link ApiError}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<ErrorItem> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String message, List<ErrorItem> errors) {
        super(message, null, false, false); // no stack trace: this is control flow, not a bug
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiException unprocessable(String message, List<ErrorItem> errors) {
        return new ApiException(422, message, errors);
    }

    /** A response header the refusal needs, e.g. {@code Accept-Encoding} on a 415 (RFC 9110 section 12.5.3). */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Response toResponse() {
        Response response = ErrorResponses.json(status, error());
        if (headers.isEmpty()) {
            return response;
        }
        Response.ResponseBuilder b = Response.fromResponse(response);
        headers.forEach(b::header);
        return b.build();
    }

    public ApiError error() {
        return ApiError.of(getMessage(), errors);
    }

    public int status() {
        return status;
    }
}
