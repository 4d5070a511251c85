package dev.appointmentbridge.event;

import java.util.Arrays;
import java.util.Optional;

/** The one event vocabulary shared by received and poll-derived events. */
public enum EventType {
    SCHEDULED("appointment.scheduled"),
    CANCELLED("appointment.cancelled"),
    RESCHEDULED("appointment.rescheduled"),
    COMPLETED("appointment.completed"),
    NO_SHOW("appointment.no_show");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** "'a', 'b' or 'c'", as the validation message lists the allowed values. */
    public static String allowedList() {
        String[] quoted = Arrays.stream(values()).map(t -> "'" + t.wireName + "'").toArray(String[]::new);
        return String.join(", ", Arrays.copyOf(quoted, quoted.length - 1)) + " or " + quoted[quoted.length - 1];
    }
}
