package dev.appointmentbridge.inbound.hl7;

import java.time.OffsetDateTime;
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
 * or hours), and when it happened (MSH-7). Every SIU trigger of v2.3 to v2.5.1 parses into the v2.5 SIU_S12 structure.
 */
record SiuMessage(String trigger, String sender, String controlId, String appointmentId, String patientId,
        String providerId, String locationId, OffsetDateTime start, OffsetDateTime end, Integer durationMinutes,
        OffsetDateTime occurredAt) {

    static SiuMessage read(Message message, ZoneId zone) throws HL7Exception {
        if (!(message instanceof SIU_S12 siu)) {
            throw new SiuException("not an SIU message (" + message.getName() + ")");
        }
        MSH msh = siu.getMSH();
        String trigger = text(msh.getMessageType().getTriggerEvent().getValue()).toUpperCase(Locale.ROOT);
        String controlId = text(msh.getMessageControlID().getValue());
        if (controlId.isEmpty()) {
            throw new SiuException("MSH-10 (message control id) is empty");
        }
        String sender = text(msh.getSendingApplication().getNamespaceID().getValue()) + "^"
                + text(msh.getSendingFacility().getNamespaceID().getValue());
        SCH sch = siu.getSCH();
        String appointmentId = text(sch.getFillerAppointmentID().getEntityIdentifier().getValue());
        if (appointmentId.isEmpty()) {
            appointmentId = text(sch.getPlacerAppointmentID().getEntityIdentifier().getValue());
        }
        if (appointmentId.isEmpty()) {
            throw new SiuException("SCH-2 (filler appointment id) and SCH-1 (placer appointment id) are both empty");
        }
        if (appointmentId.length() > 200) {
            throw new SiuException("the appointment id is longer than 200 characters");
        }
        String patientId = siu.getPATIENTReps() == 0 ? "" : text(siu.getPATIENT(0).getPID()
                .getPatientIdentifierList(0).getIDNumber().getValue());
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
                providerId = text(aip.getPersonnelResourceID(0).getIDNumber().getValue());
            }
            if (locationId.isEmpty() && resources.getLOCATION_RESOURCEReps() > 0) {
                AIL ail = resources.getLOCATION_RESOURCE(0).getAIL();
                locationId = text(ail.getLocationResourceID(0).getPointOfCare().getValue());
                if (locationId.isEmpty()) {
                    locationId = text(ail.getLocationResourceID(0).getFacility().getNamespaceID().getValue());
                }
            }
        }
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        if (sch.getAppointmentTimingQuantityReps() > 0) {
            start = time(sch.getAppointmentTimingQuantity(0).getStartDateTime(), "SCH-11.4", zone);
            end = time(sch.getAppointmentTimingQuantity(0).getEndDateTime(), "SCH-11.5", zone);
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

    private static String text(String value) {
        return value == null ? "" : value.trim();
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
