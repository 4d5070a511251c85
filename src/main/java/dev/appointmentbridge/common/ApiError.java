package dev.appointmentbridge.common;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The one error body every 4xx/5xx of the bridge answers with. */
@RegisterForReflection
public record ApiError(String status, String message, List<ErrorItem> errors) {

    public static ApiError of(String message, List<ErrorItem> errors) {
        return new ApiError("error", message, errors);
    }
}
