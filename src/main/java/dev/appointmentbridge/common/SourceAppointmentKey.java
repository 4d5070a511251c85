package dev.appointmentbridge.common;

import java.io.Serializable;
import java.util.Objects;

/**
 * The composite key (source, appointment_id) of the per-appointment tables (snapshots, held cancellations,
 * quarantine): the {@code @IdClass} of their entities, whose {@code @Id} fields carry these two names.
 */
public class SourceAppointmentKey implements Serializable {

    private static final long serialVersionUID = 1L;

    public String source;
    public String appointmentId;

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceAppointmentKey k && Objects.equals(source, k.source)
                && Objects.equals(appointmentId, k.appointmentId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, appointmentId);
    }
}
