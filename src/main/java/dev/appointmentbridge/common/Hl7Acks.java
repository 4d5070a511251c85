package dev.appointmentbridge.common;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Acknowledgements for messages HAPI could not parse: built from whatever MSH fields the raw text has, so the sender
 * can match the answer to its message (MSA-2 = its MSH-10). Nothing of the message but its header ids is echoed.
 * Also the refusals made before the HL7 intake reads anything (a missing inbound key): an HL7 sender reads an ACK.
 */
public final class Hl7Acks {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    private Hl7Acks() {
    }

    public static String raw(String message, String code, String text) {
        String[] msh = new String[0];
        String start = message == null ? "" : message.stripLeading();
        int header = start.startsWith("MSH") ? 0 : start.indexOf("\rMSH") + 1; // a batch's first message
        start = header > 0 ? start.substring(header) : start;
        if (start.startsWith("MSH") && start.length() > 4) {
            char separator = start.charAt(3);
            int end = start.indexOf('\r');
            String segment = end < 0 ? start : start.substring(0, end);
            int newline = segment.indexOf('\n');
            segment = newline < 0 ? segment : segment.substring(0, newline);
            msh = segment.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        }
        String sendingApp = field(msh, 2);
        String sendingFacility = field(msh, 3);
        String controlId = field(msh, 9);
        return "MSH|^~\\&|APPOINTMENT-BRIDGE||" + sendingApp + "|" + sendingFacility + "|"
                + TS.format(ZonedDateTime.now(ZoneOffset.UTC)) + "||ACK|" + UUID.randomUUID().toString().substring(0, 20)
                + "|P|2.5\rMSA|" + code + "|" + controlId + "|" + clean(text) + "\r";
    }

    /** The i-th field after MSH's own name (MSH-1 is the separator itself), cleaned of HL7 delimiters. */
    private static String field(String[] msh, int index) {
        return index < msh.length ? clean(msh[index]) : "";
    }

    /** Text safe in one ER7 field: no delimiters, no segment breaks, at most 200 characters. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        String safe = text.replaceAll("[|^~\\\\&\\r\\n]", " ");
        return safe.length() > 200 ? safe.substring(0, 200) : safe;
    }

    /** A parse failure's reason, short and without the message's content. */
    public static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        // HAPI appends the message's first 50 characters "for reference": none of the message is echoed
        int quoted = message.indexOf(" The following is the first");
        return clean(quoted < 0 ? message : message.substring(0, quoted));
    }
}
