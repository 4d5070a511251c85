package dev.appointmentbridge.source;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a FHIR R4 searchset Bundle of Appointments (and included Patients). Strict on purpose: a page
 * that is not a Bundle, or an Appointment without id or status, fails the whole cycle, because guessing
 * could turn a broken page into false events.
 */
public final class FhirBundleParser {

    private final ObjectReader reader;

    public FhirBundleParser(ObjectReader reader) {
        this.reader = reader;
    }

    public SourcePage parse(byte[] body) throws SourceFetchException {
        JsonNode bundle;
        try {
            bundle = reader.readTree(body);
        } catch (IOException e) {
            throw malformed("body is not valid JSON");
        }
        if (bundle == null || !"Bundle".equals(bundle.path("resourceType").asText())) {
            throw malformed("body is not a FHIR Bundle");
        }
        List<AppointmentRecord> appointments = new ArrayList<>();
        Map<String, PatientName> patients = new HashMap<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            switch (resource.path("resourceType").asText()) {
                case "Appointment" -> appointments.add(appointment(resource));
                case "Patient" -> {
                    PatientName name = patient(resource);
                    patients.put(name.id(), name);
                }
                default -> {
                    // OperationOutcome notes and other included resources carry nothing we use
                }
            }
        }
        return new SourcePage(appointments, patients, nextLink(bundle));
    }

    private static String nextLink(JsonNode bundle) {
        for (JsonNode link : bundle.path("link")) {
            if ("next".equals(link.path("relation").asText()) && link.hasNonNull("url")) {
                return link.get("url").asText();
            }
        }
        return null;
    }

    private static AppointmentRecord appointment(JsonNode r) throws SourceFetchException {
        String id = text(r, "id");
        String status = text(r, "status");
        if (id == null || status == null) {
            throw malformed("Appointment without id or status");
        }
        String provider = null;
        String location = null;
        String patient = null;
        for (JsonNode participant : r.path("participant")) {
            String reference = participant.path("actor").path("reference").asText("");
            String type = referenceType(reference);
            String target = referenceId(reference);
            if (target == null) {
                continue;
            }
            switch (type) {
                case "Practitioner", "PractitionerRole" -> provider = provider == null ? target : provider;
                case "Location" -> location = location == null ? target : location;
                case "Patient" -> patient = patient == null ? target : patient;
                default -> {
                    // devices, related persons: not part of the event
                }
            }
        }
        Integer duration = r.hasNonNull("minutesDuration") ? r.get("minutesDuration").asInt() : null;
        return new AppointmentRecord(id, status, instant(r, "start"), instant(r, "end"), duration, provider, location,
                patient, replaces(r), instant(r.path("meta"), "lastUpdated"));
    }

    /**
     * The appointment this one was rebooked from: R5's {@code previousAppointment}, an R4 extension carrying
     * the same reference, or a {@code basedOn} pointing at an Appointment.
     */
    private static String replaces(JsonNode r) {
        String previous = referenceId(r.path("previousAppointment").path("reference").asText(""));
        if (previous != null) {
            return previous;
        }
        for (JsonNode extension : r.path("extension")) {
            String url = extension.path("url").asText("");
            if (url.endsWith("previousAppointment") || url.endsWith("previous-appointment")
                    || url.endsWith("rescheduled-from")) {
                String ref = referenceId(extension.path("valueReference").path("reference").asText(""));
                if (ref != null) {
                    return ref;
                }
            }
        }
        for (JsonNode basedOn : r.path("basedOn")) {
            String reference = basedOn.path("reference").asText("");
            if ("Appointment".equals(referenceType(reference))) {
                return referenceId(reference);
            }
        }
        return null;
    }

    private static PatientName patient(JsonNode r) throws SourceFetchException {
        String id = text(r, "id");
        if (id == null) {
            throw malformed("Patient without id");
        }
        JsonNode chosen = null;
        for (JsonNode name : r.path("name")) {
            if (chosen == null || "official".equals(name.path("use").asText())) {
                chosen = name;
            }
        }
        if (chosen == null) {
            return new PatientName(id, null, null);
        }
        String given = chosen.path("given").isArray() && chosen.path("given").size() > 0
                ? chosen.path("given").get(0).asText()
                : null;
        return new PatientName(id, given, text(chosen, "family"));
    }

    /** "Practitioner/123", "https://x/fhir/Practitioner/123" or ".../Practitioner/123/_history/2" → type. */
    private static String referenceType(String reference) {
        String[] parts = stripHistory(reference).split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    private static String referenceId(String reference) {
        String[] parts = stripHistory(reference).split("/");
        return parts.length >= 2 && !parts[parts.length - 1].isBlank() ? parts[parts.length - 1] : null;
    }

    private static String stripHistory(String reference) {
        int history = reference.indexOf("/_history/");
        return history >= 0 ? reference.substring(0, history) : reference;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static Instant instant(JsonNode node, String field) throws SourceFetchException {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw malformed(field + " is not a FHIR instant");
        }
    }

    private static SourceFetchException malformed(String reason) {
        return new SourceFetchException("malformed page: " + reason, 0, null);
    }
}
