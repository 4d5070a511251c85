package dev.appointmentbridge.source.fhir;

import dev.appointmentbridge.source.Participants;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PatientName;
import dev.appointmentbridge.source.HistoryPage;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.StorableValues;
import dev.appointmentbridge.source.SourcePage;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads FHIR R4 Bundles of Appointments (searchset, history) and single Appointments. A body that is not a
 * Bundle fails the whole page, because guessing could turn a broken page into false events; one Appointment
 * that cannot be read (no status, an unknown status code, a date that is not an instant) becomes a
 * {@link PoisonRecord} and the rest of the page goes on.
 */
public final class FhirBundleParser {

    /** Appointment.status, R4 value set http://hl7.org/fhir/ValueSet/appointmentstatus (required binding). */
    public static final Set<String> STATUSES = Set.of("proposed", "pending", "booked", "arrived", "fulfilled", "cancelled",
            "noshow", "entered-in-error", "checked-in", "waitlist");

    /** R4 carries R5's Appointment.replaces as this cross-version extension (FHIR R5, "Extensions for Using Data Elements from R5 in R4"). */
    static final String REPLACES_EXTENSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces";

    private final ObjectReader reader;

    public FhirBundleParser(ObjectReader reader) {
        this.reader = reader;
    }

    /** A searchset page; {@code dateHeader} is the HTTP Date, used when the Bundle has no meta.lastUpdated. */
    public SourcePage parse(byte[] body, Instant dateHeader) throws SourceFetchException {
        JsonNode bundle = bundle(body);
        List<AppointmentRecord> appointments = new ArrayList<>();
        List<PoisonRecord> poison = new ArrayList<>();
        Map<String, PatientName> patients = new HashMap<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            switch (resource.path("resourceType").asText()) {
                case "Appointment" -> appointment(resource, appointments, poison);
                case "Patient" -> {
                    PatientName name = patient(resource);
                    if (name != null) {
                        patients.put(name.id(), name);
                    }
                }
                default -> {
                    // OperationOutcome notes and other included resources carry nothing we use
                }
            }
        }
        return new SourcePage(appointments, poison, patients, nextLink(bundle), searchTime(bundle, dateHeader),
                sortedByLastUpdated(bundle));
    }

    /** A history page: ids of DELETE entries only (their {@code request.url} is Appointment/{id}/_history/{v}). */
    public HistoryPage parseHistory(byte[] body, Instant dateHeader) throws SourceFetchException {
        JsonNode bundle = bundle(body);
        List<String> deleted = new ArrayList<>();
        for (JsonNode entry : bundle.path("entry")) {
            if ("DELETE".equals(entry.path("request").path("method").asText())) {
                String id = Participants.referenceId(entry.path("request").path("url").asText(""));
                if (id != null && StorableValues.idProblem(id) == null) {
                    deleted.add(id);
                }
            }
        }
        return new HistoryPage(deleted, nextLink(bundle), searchTime(bundle, dateHeader));
    }

    /** One Appointment resource, as a page of one (or of one poison record). */
    public SourcePage parseAppointment(byte[] body) throws SourceFetchException {
        List<AppointmentRecord> appointments = new ArrayList<>(1);
        List<PoisonRecord> poison = new ArrayList<>(1);
        appointment(resource(body, "Appointment"), appointments, poison);
        return new SourcePage(appointments, poison, Map.of(), null, null, true);
    }

    private JsonNode bundle(byte[] body) throws SourceFetchException {
        return resource(body, "Bundle");
    }

    /** The body as a FHIR resource of {@code resourceType}; anything else fails the page. */
    private JsonNode resource(byte[] body, String resourceType) throws SourceFetchException {
        JsonNode resource;
        try {
            resource = reader.readTree(body);
        } catch (IOException e) {
            throw malformed("body is not valid JSON");
        }
        if (resource == null || !resourceType.equals(resource.path("resourceType").asText())) {
            throw malformed("body is not a FHIR " + resourceType);
        }
        return resource;
    }

    /**
     * The earlier of Bundle.meta.lastUpdated and the HTTP Date: either alone can be wrong (a Bundle dated in
     * the future would carry the cursor there for good), and the earlier only makes the cursor re-read more.
     */
    private static Instant searchTime(JsonNode bundle, Instant dateHeader) throws SourceFetchException {
        Instant own = instant(bundle.path("meta"), "lastUpdated", "Bundle.meta.lastUpdated");
        if (own == null || dateHeader == null) {
            return own != null ? own : dateHeader;
        }
        return own.isBefore(dateHeader) ? own : dateHeader;
    }

    /** The self link carries {@code _sort=_lastUpdated}, i.e. the server sorted by it. */
    private static boolean sortedByLastUpdated(JsonNode bundle) {
        for (JsonNode link : bundle.path("link")) {
            if ("self".equals(link.path("relation").asText())) {
                String url = java.net.URLDecoder.decode(link.path("url").asText(""), java.nio.charset.StandardCharsets.UTF_8);
                return url.contains("_sort=_lastUpdated");
            }
        }
        return false;
    }

    private static String nextLink(JsonNode bundle) {
        for (JsonNode link : bundle.path("link")) {
            if ("next".equals(link.path("relation").asText()) && link.hasNonNull("url")) {
                return link.get("url").asText();
            }
        }
        return null;
    }

    private static void appointment(JsonNode r, List<AppointmentRecord> records, List<PoisonRecord> poison)
            throws SourceFetchException {
        String id = text(r, "id");
        if (id == null) {
            // Without an id nothing can be diffed, re-read or even named in the quarantine: the page is broken.
            throw malformed("Appointment without id");
        }
        String idProblem = StorableValues.idProblem(id);
        if (idProblem != null) {
            // Stored as is, it would fail this page on every poll (NUL, lone surrogate) or forge log lines.
            poison.add(new PoisonRecord(StorableValues.escaped(id), "id " + idProblem, null));
            return;
        }
        Instant lastUpdated;
        try {
            lastUpdated = instant(r.path("meta"), "lastUpdated", "meta.lastUpdated");
        } catch (SourceFetchException e) {
            poison.add(new PoisonRecord(id, "meta.lastUpdated is not a FHIR instant", null));
            return;
        }
        String status = text(r, "status");
        if (status == null) {
            poison.add(new PoisonRecord(id, "no status", lastUpdated));
            return;
        }
        if (!STATUSES.contains(status)) {
            poison.add(new PoisonRecord(id, "unknown status code", lastUpdated));
            return;
        }
        Instant start;
        Instant end;
        try {
            start = instant(r, "start", "start");
            end = instant(r, "end", "end");
        } catch (SourceFetchException e) {
            poison.add(new PoisonRecord(id, e.getMessage().replace("malformed page: ", ""), lastUpdated));
            return;
        }
        Participants p = Participants.of(r.path("participant"));
        String replaces = replaces(r);
        for (String reference : new String[] { p.provider(), p.location(), p.patient(), replaces }) {
            String problem = StorableValues.idProblem(reference);
            if (problem != null) {
                poison.add(new PoisonRecord(id, "a reference " + problem, lastUpdated));
                return;
            }
        }
        if (!StorableValues.storable(start) || !StorableValues.storable(end) || !StorableValues.storable(lastUpdated)) {
            poison.add(new PoisonRecord(id, "a date is outside the years 1 to 9999", lastUpdated));
            return;
        }
        Integer duration = r.path("minutesDuration").canConvertToInt() ? r.get("minutesDuration").asInt() : null;
        records.add(new AppointmentRecord(id, status, start, end, duration, p.provider(), p.location(), p.patient(),
                replaces, lastUpdated, versionId(r.path("meta").path("versionId"))));
    }

    /** meta.versionId when it is a version number (HAPI, Firely, Microsoft: 1, 2, ...); else null (not ordered). */
    private static Long versionId(JsonNode node) {
        String text = node.isTextual() || node.isIntegralNumber() ? node.asText() : "";
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(text);
    }

    /**
     * The appointment this one was rebooked from: R5 {@code replaces}, or in R4 the cross-version extension.
     * Not {@code previousAppointment} (R5: the previous one of a series) and not {@code basedOn}.
     */
    private static String replaces(JsonNode r) {
        String smallest = null;
        for (JsonNode ref : r.path("replaces")) {
            smallest = Participants.smaller(smallest, appointmentId(ref.path("reference").asText("")));
        }
        for (JsonNode extension : r.path("extension")) {
            if (REPLACES_EXTENSION.equals(extension.path("url").asText())) {
                smallest = Participants.smaller(smallest, appointmentId(extension.path("valueReference").path("reference").asText("")));
            }
        }
        return smallest;
    }

    private static String appointmentId(String reference) {
        return "Appointment".equals(Participants.referenceType(reference)) ? Participants.referenceId(reference) : null;
    }


    private static PatientName patient(JsonNode r) {
        String id = text(r, "id");
        if (id == null) {
            return null;
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



    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static Instant instant(JsonNode node, String field, String name) throws SourceFetchException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw malformed(name + " is not a FHIR instant");
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw malformed(name + " is not a FHIR instant");
        }
    }

    private static SourceFetchException malformed(String reason) {
        return new SourceFetchException("malformed page: " + reason, 0, null);
    }
}
