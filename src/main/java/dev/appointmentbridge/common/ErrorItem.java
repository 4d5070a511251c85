package dev.appointmentbridge.common;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One bad field in an error response, in the receiving contract's shape (`loc`, `msg`, `type`). */
@RegisterForReflection
public record ErrorItem(List<String> loc, String msg, String type) {

    public static ErrorItem body(String field, String msg, String type) {
        return new ErrorItem(List.of("body", field), msg, type);
    }

    public static ErrorItem of(String where, String name, String msg, String type) {
        return new ErrorItem(List.of(where, name), msg, type);
    }
}
