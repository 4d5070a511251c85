package dev.appointmentbridge.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One scope of a window search (docs/polling.md, "FHIR servers without a change filter"): a FHIR Appointment search
 * parameter that takes a reference id ({@code location}, {@code practitioner} or {@code patient}) and its value,
 * or {@link #NONE}, one search without a scope. Oracle Health Millennium's R4 Appointment search takes exactly
 * one of the three; Epic's takes a patient.
 *
 * @param param the search parameter; null for {@link #NONE}
 * @param value the referenced resource's id (without {@code Location/})
 */
public record WindowScope(String param, String value) {

    /** One search over everything: JSON window sources, and FHIR servers that need no scope (HAPI FHIR). */
    public static final WindowScope NONE = new WindowScope(null, null);

    private static final Set<String> PARAMS = Set.of("location", "practitioner", "patient");

    /** Parses {@code bridge.sources.<name>.scopes}; IllegalArgumentException names the setting and the entry. */
    public static List<WindowScope> parse(String setting, List<String> entries) {
        List<WindowScope> scopes = new ArrayList<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            String param = colon < 0 ? "" : entry.substring(0, colon).trim();
            String value = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (!PARAMS.contains(param) || value.isEmpty() || !value.matches("[A-Za-z0-9\\-.]{1,64}")) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is not a scope; location:<id>, "
                        + "practitioner:<id> or patient:<id> (a FHIR id: letters, digits, '-' and '.')");
            }
            WindowScope scope = new WindowScope(param, value);
            if (scopes.contains(scope)) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is listed twice");
            }
            scopes.add(scope);
        }
        return scopes;
    }

    /**
     * Whether an appointment with these references is in this scope ({@link #NONE} holds every one): the
     * reference this scope searches by is the location, the practitioner or the patient.
     */
    public boolean holds(String locationId, String practitionerId, String patientId) {
        if (param == null) {
            return true;
        }
        String reference = switch (param) {
            case "location" -> locationId;
            case "practitioner" -> practitionerId;
            default -> patientId;
        };
        return value.equals(reference);
    }

    /** As configured ({@code location:21304876}), or {@code all} for {@link #NONE}. */
    @Override
    public String toString() {
        return param == null ? "all" : param + ":" + value;
    }
}
