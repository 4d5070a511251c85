package dev.appointmentbridge.delivery;

import java.util.Map;

import dev.appointmentbridge.event.EventType;

/** Each format's names for event types; a type a format has no name for is skipped for that target. */
final class FormatSupport {

    static final Map<EventType, String> CANVAS_TYPES = Map.of(EventType.SCHEDULED, "appointment_created",
            EventType.RESCHEDULED, "appointment_rescheduled", EventType.CANCELLED, "appointment_canceled",
            EventType.NO_SHOW, "appointment_no_showed");
    static final Map<EventType, String> CLOCKWISE_TYPES = Map.of(EventType.SCHEDULED, "create",
            EventType.RESCHEDULED, "reschedule", EventType.CANCELLED, "remove", EventType.COMPLETED, "discharge");

    private FormatSupport() {
    }

    static boolean canExpress(Format format, EventType type) {
        return switch (format) {
            case CANVAS -> CANVAS_TYPES.containsKey(type);
            case CLOCKWISE -> CLOCKWISE_TYPES.containsKey(type);
            default -> true;
        };
    }
}
