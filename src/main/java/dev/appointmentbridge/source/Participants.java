package dev.appointmentbridge.source;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Provider, location and patient of an Appointment, independent of the order of its participants (docs/polling.md, "Events from changes": reordering participants is not a change). The provider is the Practitioner (or
 * PractitionerRole) participant typed PPRF (primary performer), else ATND (attender), else the smallest
 * reference; location and patient are the smallest reference of their type.
 */
public record Participants(String provider, String location, String patient) {

    /** v3 ParticipationType codes, ranked: lower wins. */
    private static int rank(JsonNode participant) {
        int best = 2;
        for (JsonNode type : participant.path("type")) {
            for (JsonNode coding : type.path("coding")) {
                switch (coding.path("code").asText()) {
                    case "PPRF" -> best = 0;
                    case "ATND" -> best = Math.min(best, 1);
                    default -> {
                        // other roles (SPRF, CON, ...) rank with untyped participants
                    }
                }
            }
        }
        return best;
    }

    public static Participants of(JsonNode participants) {
        String provider = null;
        int providerRank = Integer.MAX_VALUE;
        String location = null;
        String patient = null;
        for (JsonNode participant : participants) {
            String reference = participant.path("actor").path("reference").asText("");
            String id = referenceId(reference);
            if (id == null) {
                continue;
            }
            switch (referenceType(reference)) {
                case "Practitioner", "PractitionerRole" -> {
                    int rank = rank(participant);
                    if (rank < providerRank || rank == providerRank && id.compareTo(provider) < 0) {
                        provider = id;
                        providerRank = rank;
                    }
                }
                case "Location" -> location = smaller(location, id);
                case "Patient" -> patient = smaller(patient, id);
                default -> {
                    // devices, related persons: not part of the event
                }
            }
        }
        return new Participants(provider, location, patient);
    }

    /** The smaller of two ids (null is larger), so the choice does not depend on the order of a list. */
    public static String smaller(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }

    /** "Practitioner" of a FHIR reference such as "Practitioner/7" or an absolute one with /_history/. */
    public static String referenceType(String reference) {
        String[] parts = stripHistory(reference).split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    public static String referenceId(String reference) {
        String[] parts = stripHistory(reference).split("/");
        return parts.length >= 2 && !parts[parts.length - 1].isBlank() ? parts[parts.length - 1] : null;
    }

    private static String stripHistory(String reference) {
        int history = reference.indexOf("/_history/");
        return history >= 0 ? reference.substring(0, history) : reference;
    }
}
