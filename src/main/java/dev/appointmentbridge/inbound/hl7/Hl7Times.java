package dev.appointmentbridge.inbound.hl7;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HL7 v2 DTM/TS values ({@code YYYYMMDDHHMM[SS[.S+]][+/-ZZZZ]}) as instants. A value with an offset keeps it; one
 * without is read in the feed's zone ({@code bridge.inbound.hl7v2.zone}), never guessed, and a local time that does
 * not exist there (a DST gap) or exists twice (an overlap) is refused.
 */
final class Hl7Times {

    static final String ZONE_SETTING = "bridge.inbound.hl7v2.zone";

    private static final Pattern TS = Pattern.compile(
            "(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,4}))?)?([+-]\\d{4})?");

    private Hl7Times() {
    }

    /**
     * @param field the field's name for the refusal, e.g. {@code SCH-11.4}
     * @throws SiuException naming the field (and the setting when the zone is missing)
     */
    static OffsetDateTime parse(String value, String field, ZoneId zone) {
        Matcher m = TS.matcher(value.trim());
        if (!m.matches()) {
            throw new SiuException(field + " '" + value + "' is not a time to the minute (YYYYMMDDHHMM[SS][+ZZZZ])");
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
        } catch (java.time.DateTimeException e) {
            throw new SiuException(field + " '" + value + "' is not a valid date and time");
        }
        if (m.group(8) != null) {
            try {
                return local.atOffset(ZoneOffset.of(m.group(8).substring(0, 3) + ":" + m.group(8).substring(3)));
            } catch (java.time.DateTimeException e) {
                throw new SiuException(field + " '" + value + "' has an offset out of range");
            }
        }
        if (zone == null) {
            throw new SiuException(field + " '" + value + "' has no offset and " + ZONE_SETTING + " is not set: set it"
                    + " to the zone the sender's times are in");
        }
        var offsets = zone.getRules().getValidOffsets(local);
        if (offsets.size() != 1) {
            throw new SiuException(field + " '" + value + "' " + (offsets.isEmpty() ? "does not exist" : "exists twice")
                    + " in " + zone + " (a daylight-saving change); send it with an offset");
        }
        return local.atOffset(offsets.get(0));
    }

    static ZoneId zone(java.util.Optional<String> setting) {
        try {
            return setting.map(ZoneId::of).orElse(null);
        } catch (DateTimeParseException | java.time.zone.ZoneRulesException e) {
            throw new IllegalArgumentException(ZONE_SETTING + ": '" + setting.get() + "' is not a zone (e.g."
                    + " Europe/Berlin)");
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(ZONE_SETTING + ": '" + setting.get() + "' is not a zone");
        }
    }
}
