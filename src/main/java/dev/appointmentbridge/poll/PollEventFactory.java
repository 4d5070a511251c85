package dev.appointmentbridge.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.diff.Change;
import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PatientName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a derived change into a canonical event with its exact JSON payload. */
@ApplicationScoped
public class PollEventFactory {

    @Inject
    ObjectMapper mapper;

    public NewEvent create(String source, Change change, PatientName patient, Instant now) {
        AppointmentRecord r = change.current();
        UUID uuid = UUID.randomUUID();
        // Microseconds, as PostgreSQL stores them, so the payload and the event row agree to the digit.
        Instant occurredAt = (r.lastUpdated() != null ? r.lastUpdated() : now)
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        CanonicalEvent.Appointment appointment = new CanonicalEvent.Appointment(r.id(), r.status(), text(r.start()),
                text(r.end()), duration(r.durationMinutes(), r.start(), r.end()), r.providerId(), r.locationId(),
                r.patientId());
        CanonicalEvent.Appointment previous = change.previous() == null ? null : previous(change.previous());
        CanonicalEvent.Patient who = r.patientId() == null ? null
                : new CanonicalEvent.Patient(r.patientId(), patient == null ? null : patient.firstName(),
                        patient == null ? null : patient.lastName());
        CanonicalEvent event = new CanonicalEvent(uuid.toString(), change.event().wireName(), source,
                occurredAt.toString(), appointment, previous, who, null);
        try {
            return new NewEvent(uuid, change.event(), source, r.id(), r.patientId(),
                    occurredAt.atOffset(java.time.ZoneOffset.UTC), null, null, null, mapper.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical event could not be serialized", e);
        }
    }

    private static CanonicalEvent.Appointment previous(Snapshot s) {
        return new CanonicalEvent.Appointment(s.appointmentId(), s.status(), text(s.start()), text(s.end()),
                duration(s.durationMinutes(), s.start(), s.end()), s.providerId(), s.locationId(), s.patientId());
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
