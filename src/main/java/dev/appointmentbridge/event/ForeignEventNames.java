package dev.appointmentbridge.event;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The event names other systems use for the canonical types (docs/delivery.md, "Payload formats" and "Inbound
 * adapters"): one table per system, read both ways, so what the bridge sends in a system's format and what it
 * takes from that system's pushes cannot drift apart.
 */
public final class ForeignEventNames {

    /** The Canvas appointment-sync plugin's four names; it has none for completed. */
    public static final Map<EventType, String> CANVAS = Map.of(EventType.SCHEDULED, "appointment_created",
            EventType.RESCHEDULED, "appointment_rescheduled", EventType.CANCELLED, "appointment_canceled",
            EventType.NO_SHOW, "appointment_no_showed");

    /** Clockwise.MD's names for the changes the bridge models; its other event names map to none. */
    public static final Map<EventType, String> CLOCKWISE = Map.of(EventType.SCHEDULED, "create",
            EventType.RESCHEDULED, "reschedule", EventType.CANCELLED, "remove", EventType.COMPLETED, "discharge");

    private static final Map<String, EventType> FROM_CANVAS = invert(CANVAS);
    private static final Map<String, EventType> FROM_CLOCKWISE = invert(CLOCKWISE);

    private ForeignEventNames() {
    }

    public static Optional<EventType> fromCanvas(String name) {
        return Optional.ofNullable(FROM_CANVAS.get(name));
    }

    public static Optional<EventType> fromClockwise(String name) {
        return Optional.ofNullable(FROM_CLOCKWISE.get(name));
    }

    private static Map<String, EventType> invert(Map<EventType, String> names) {
        return names.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));
    }
}
