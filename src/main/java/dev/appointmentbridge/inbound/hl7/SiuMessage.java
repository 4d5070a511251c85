package dev.appointmentbridge.inbound.hl7;

import java.time.OffsetDateTime;

import ca.uhn.hl7v2.ErrorCode;
import dev.appointmentbridge.common.LoggableId;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v25.datatype.TS;
import ca.uhn.hl7v2.model.v25.message.SIU_S12;
import ca.uhn.hl7v2.model.v25.segment.AIL;
import ca.uhn.hl7v2.model.v25.segment.AIP;
import ca.uhn.hl7v2.model.v25.segment.AIS;
import ca.uhn.hl7v2.model.v25.segment.MSH;
import ca.uhn.hl7v2.model.v25.segment.SCH;

/**
 * The fields of one SIU message the bridge reads (docs/hl7v2.md): the trigger (MSH-9.2), who sent it and its control
 * id (MSH-3, MSH-4, MSH-10: a resend is the same message), the appointment's id (SCH-2 filler id, else SCH-1 placer
 * id), the patient (PID-3, first identifier), the provider (AIP-3, first), the location (AIL-3: point of care, else
 * facility), the start (SCH-11.4, else AIS-4) and its end (SCH-11.5) or duration (SCH-9/10, else AIS-7/8, in minutes
 * or hours), and when it happened (MSH-7). SCH-11 empty, the times come from TQ1-7 and TQ1-8 (v2.5 and later). Every SIU trigger of v2.3 to v2.5.1 parses into the v2.5 SIU_S12 structure.
 */
record SiuMessage(String trigger, String sender, String controlId, String appointmentId, String patientId,
        String providerId, String locationId, OffsetDateTime start, OffsetDateTime end, Integer durationMinutes,
        OffsetDateTime occurredAt) {

    /**
     * The event source of a sender: each sending application and facility (MSH-3, MSH-4) is its own id space, so
     * facility B's {@code A200} is never facility A's, and a receiver tells them apart by {@code source}.
     */
    String source() {
        return Hl7v2Intake.SOURCE + ":" + sender;
    }

    /** The message without MSH-7, to tell a resend (stamped again) from another message. */
    SiuMessage withoutTime() {
        return new SiuMessage(trigger, sender, controlId, appointmentId, patientId, providerId, locationId, start, end,
                durationMinutes, null);
    }

    static SiuMessage read(Message message, ZoneId zone) throws HL7Exception {
        if (!(message instanceof SIU_S12 siu)) {
            throw new SiuException("not an SIU message (" + message.getName() + ")", ErrorCode.UNSUPPORTED_MESSAGE_TYPE);
        }
        MSH msh = siu.getMSH();
        String delimiters = text(msh.getFieldSeparator().getValue()) + text(msh.getEncodingCharacters().getValue());
        String delims = delimiters.isEmpty() ? "|^~\\&" : delimiters;
        String trigger = text(msh.getMessageType().getTriggerEvent().getValue()).toUpperCase(Locale.ROOT);
        if (!trigger.matches("[A-Z0-9]{1,7}")) { // stored in the event type and logged: letters and digits only
            throw new SiuException("MSH-9.2 (trigger event) must be letters and digits, at most 7",
                    ErrorCode.DATA_TYPE_ERROR);
        }
        String controlId = id(msh.getMessageControlID().getValue(), "MSH-10", delims);
        if (controlId.isEmpty()) {
            throw new SiuException("MSH-10 (message control id) is empty", ErrorCode.REQUIRED_FIELD_MISSING);
        }
        String sender = id(msh.getSendingApplication().getNamespaceID().getValue(), "MSH-3", delims) + "^"
                + id(msh.getSendingFacility().getNamespaceID().getValue(), "MSH-4", delims);
        SCH sch = siu.getSCH();
        String appointmentId = id(sch.getFillerAppointmentID().getEntityIdentifier().getValue(), "SCH-2", delims);
        if (appointmentId.isEmpty()) {
            appointmentId = id(sch.getPlacerAppointmentID().getEntityIdentifier().getValue(), "SCH-1", delims);
        }
        if (appointmentId.isEmpty()) {
            throw new SiuException("SCH-2 (filler appointment id) and SCH-1 (placer appointment id) are both empty",
                    ErrorCode.REQUIRED_FIELD_MISSING);
        }
        if (appointmentId.length() > 200) {
            throw new SiuException("the appointment id is longer than 200 characters");
        }
        String patientId = siu.getPATIENTReps() == 0 ? "" : id(siu.getPATIENT(0).getPID()
                .getPatientIdentifierList(0).getIDNumber().getValue(), "PID-3", delims);
        String providerId = "";
        String locationId = "";
        AIS ais = null;
        for (int r = 0; r < siu.getRESOURCESReps(); r++) {
            var resources = siu.getRESOURCES(r);
            if (ais == null && resources.getSERVICEReps() > 0) {
                ais = resources.getSERVICE(0).getAIS();
            }
            if (providerId.isEmpty() && resources.getPERSONNEL_RESOURCEReps() > 0) {
                AIP aip = resources.getPERSONNEL_RESOURCE(0).getAIP();
                providerId = id(aip.getPersonnelResourceID(0).getIDNumber().getValue(), "AIP-3", delims);
            }
            if (locationId.isEmpty() && resources.getLOCATION_RESOURCEReps() > 0) {
                AIL ail = resources.getLOCATION_RESOURCE(0).getAIL();
                locationId = id(ail.getLocationResourceID(0).getPointOfCare().getValue(), "AIL-3.1", delims);
                if (locationId.isEmpty()) {
                    locationId = id(ail.getLocationResourceID(0).getFacility().getNamespaceID().getValue(), "AIL-3.4",
                            delims);
                }
            }
        }
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        if (sch.getAppointmentTimingQuantityReps() > 0) {
            start = time(sch.getAppointmentTimingQuantity(0).getStartDateTime(), "SCH-11.4", zone);
            end = time(sch.getAppointmentTimingQuantity(0).getEndDateTime(), "SCH-11.5", zone);
        }
        if (start == null && end == null && siu.getTQ1Reps() > 0) { // v2.5+: timing in TQ1, SCH-11 left empty
            start = time(siu.getTQ1(0).getStartDateTime(), "TQ1-7", zone);
            end = time(siu.getTQ1(0).getEndDateTime(), "TQ1-8", zone);
        }
        if (start == null && ais != null) {
            start = time(ais.getStartDateTime(), "AIS-4", zone);
        }
        Integer duration = minutes(text(sch.getAppointmentDuration().getValue()),
                text(sch.getAppointmentDurationUnits().getIdentifier().getValue()), "SCH-9");
        if (duration == null && ais != null) {
            duration = minutes(text(ais.getDuration().getValue()), text(ais.getDurationUnits().getIdentifier()
                    .getValue()), "AIS-7");
        }
        if (end == null && start != null && duration != null) {
            end = start.plusMinutes(duration);
        }
        if (duration == null && start != null && end != null) {
            duration = (int) ChronoUnit.MINUTES.between(start, end);
        }
        OffsetDateTime occurredAt = time(msh.getDateTimeOfMessage(), "MSH-7", zone);
        return new SiuMessage(trigger, sender, controlId, appointmentId, blankToNull(patientId),
                blankToNull(providerId), blankToNull(locationId), start, end, duration, occurredAt);
    }

    private static OffsetDateTime time(TS ts, String field, ZoneId zone) {
        String value = text(ts.getTime().getValue());
        return value.isEmpty() ? null : Hl7Times.parse(value, field, zone);
    }

    /** Minutes from a duration and its units (CE identifier: MIN/M, H/HR/HOUR; none: minutes). */
    private static Integer minutes(String value, String units, String field) {
        if (value.isEmpty()) {
            return null;
        }
        long amount;
        try {
            amount = Math.round(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            throw new SiuException(field + " '" + value + "' is not a number");
        }
        String u = units.toUpperCase(Locale.ROOT);
        long minutes = switch (u) {
            case "", "M", "MIN", "MINS", "MINUTE", "MINUTES" -> amount;
            case "H", "HR", "HRS", "HOUR", "HOURS" -> amount * 60;
            case "S", "SEC", "SECOND", "SECONDS" -> amount / 60;
            default -> throw new SiuException(field + " units '" + units + "' are not minutes, hours or seconds");
        };
        if (minutes < 0 || minutes > 7 * 24 * 60) {
            throw new SiuException(field + " '" + value + "' is out of range (0 to 7 days)");
        }
        return (int) minutes;
    }

    /**
     * The value without the spaces around it. Only spaces: String.trim() also drops NUL and every other control
     * character at either end, so an id "A\u0000" was stored as "A", another sender's "\u0000EPIC" as "EPIC".
     */
    private static String text(String value) {
        if (value == null) {
            return "";
        }
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) == ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) == ' ') {
            to--;
        }
        return value.substring(from, to);
    }

    /**
     * An id as stored, logged and delivered: no control character (a NUL is refused by PostgreSQL on every try, so
     * it must be a content error, never "send it again"), no line separator or formatting character (a
     * bidirectional override could forge a log line or hide what it names), and no HL7 delimiter that an escape
     * sequence ({@code \F\}, {@code \S\}, ...) decoded into it. The other intakes refuse the same.
     */
    private static String id(String value, String field, String delimiters) {
        String id = text(value);
        int bad = LoggableId.firstUnloggableAt(id);
        if (bad >= 0) {
            throw new SiuException(field + " contains a control or formatting character (U+" + String.format("%04X",
                    id.codePointAt(bad)) + ") at position " + (bad + 1), ErrorCode.DATA_TYPE_ERROR);
        }
        for (int i = 0; i < id.length(); i++) {
            if (delimiters.indexOf(id.charAt(i)) >= 0) {
                throw new SiuException(field + " contains an HL7 delimiter or escape sequence at position " + (i + 1),
                        ErrorCode.DATA_TYPE_ERROR);
            }
        }
        return id;
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
