package dev.appointmentbridge.poll.page;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.diff.Change;
import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PatientName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a derived change into a canonical event with its exact JSON payload. */
@ApplicationScoped
public class PollEventFactory {

    private final ObjectMapper mapper;

    @Inject
    public PollEventFactory(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @param reason null, or {@code reconciled} for a difference a reconciliation sweep found */
    public NewEvent create(String source, Change change, PatientName patient, Instant now, String reason) {
        AppointmentRecord r = change.current();
        CanonicalEvent.Appointment appointment = new CanonicalEvent.Appointment(r.id(), r.status(), text(r.start()),
                text(r.end()), duration(r.durationMinutes(), r.start(), r.end()), r.providerId(), r.locationId(),
                r.patientId());
        CanonicalEvent.Appointment previous = change.previous() == null ? null : appointment(change.previous(), null);
        CanonicalEvent.Patient who = r.patientId() == null ? null
                : new CanonicalEvent.Patient(r.patientId(), patient == null ? null : patient.firstName(),
                        patient == null ? null : patient.lastName());
        return event(source, change.event(), r.id(), r.patientId(), r.lastUpdated() != null ? r.lastUpdated() : now,
                appointment, previous, who, reason);
    }

    /**
     * {@code appointment.cancelled} for an appointment gone upstream, with {@code reason} {@code "deleted"} (FHIR:
     * a 404/410 read) or {@code "removed"} (a window source: absent from a complete scan).
     */
    public NewEvent deleted(String source, Snapshot s, Instant now, String reason) {
        CanonicalEvent.Patient who = s.patientId() == null ? null : new CanonicalEvent.Patient(s.patientId(), null, null);
        return event(source, EventType.CANCELLED, s.appointmentId(), s.patientId(), now, appointment(s, "cancelled"),
                null, who, reason);
    }

    private NewEvent event(String source, EventType type, String appointmentId, String patientId, Instant at,
            CanonicalEvent.Appointment appointment, CanonicalEvent.Appointment previous, CanonicalEvent.Patient who,
            String reason) {
        UUID uuid = UUID.randomUUID();
        // Microseconds, as PostgreSQL stores them, so the payload and the event row agree to the digit.
        Instant occurredAt = at.truncatedTo(ChronoUnit.MICROS);
        CanonicalEvent event = new CanonicalEvent(uuid.toString(), type.wireName(), source, occurredAt.toString(),
                appointment, previous, who, null, reason);
        try {
            return new NewEvent(uuid, type, source, appointmentId, patientId, occurredAt.atOffset(ZoneOffset.UTC), null,
                    null, null, mapper.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical event could not be serialized", e);
        }
    }

    private static CanonicalEvent.Appointment appointment(Snapshot s, String status) {
        return new CanonicalEvent.Appointment(s.appointmentId(), status != null ? status : s.status(), text(s.start()),
                text(s.end()), duration(s.durationMinutes(), s.start(), s.end()), s.providerId(), s.locationId(),
                s.patientId());
    }

    private static Integer duration(Integer minutes, Instant start, Instant end) {
        if (minutes != null) {
            return minutes;
        }
        return start != null && end != null ? (int) Duration.between(start, end).toMinutes() : null;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
