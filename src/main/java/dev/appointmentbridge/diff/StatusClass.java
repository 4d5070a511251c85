package dev.appointmentbridge.diff;

import java.util.Set;

/** FHIR Appointment.status grouped the way the diff rules care about it. */
public enum StatusClass {
    ACTIVE, CANCELLED, NO_SHOW, FULFILLED, OTHER;

    private static final Set<String> ACTIVE_STATUSES = Set.of("proposed", "pending", "booked", "arrived",
            "checked-in", "waitlist");

    public static StatusClass of(String fhirStatus) {
        if (fhirStatus == null) {
            return OTHER;
        }
        if (ACTIVE_STATUSES.contains(fhirStatus)) {
            return ACTIVE;
        }
        return switch (fhirStatus) {
            case "cancelled", "entered-in-error" -> CANCELLED;
            case "noshow" -> NO_SHOW;
            case "fulfilled" -> FULFILLED;
            default -> OTHER;
        };
    }
}
