package dev.appointmentbridge.delivery.format;

import dev.appointmentbridge.config.Format;
import java.util.Map;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.ForeignEventNames;

/** Each format's names for event types; a type a format has no name for is skipped for that target. */
public final class FormatSupport {

    static final Map<EventType, String> CANVAS_TYPES = ForeignEventNames.CANVAS;
    static final Map<EventType, String> CLOCKWISE_TYPES = ForeignEventNames.CLOCKWISE;

    private FormatSupport() {
    }

    /**
     * Whether a target of this format is sent the event, decided when its delivery row is written, so that a row the
     * target will never be sent takes no number of its sequence ('skipped'): the flat format is the receiving
     * contract, which requires a patient id.
     */
    public static boolean canDeliver(Format format, EventType type, String patientId) {
        if (format == Format.FLAT && (patientId == null || patientId.isBlank())) {
            return false;
        }
        return canExpress(format, type);
    }

    public static boolean canExpress(Format format, EventType type) {
        return switch (format) {
            case CANVAS -> CANVAS_TYPES.containsKey(type);
            case CLOCKWISE -> CLOCKWISE_TYPES.containsKey(type);
            default -> true;
        };
    }
}
