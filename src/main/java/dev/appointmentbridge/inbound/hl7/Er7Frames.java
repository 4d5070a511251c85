package dev.appointmentbridge.inbound.hl7;

/**
 * ER7 as interface engines write it, before HAPI reads it. Segments end with a carriage return; a line feed is a
 * segment break in a message that has no carriage return at all (files edited on Unix), or where a segment name and
 * the field separator follow it, and otherwise content inside a field (a note typed over two lines), kept as it is. A v2.7 header's fifth encoding character (the
 * truncation character, {@code ^~\&#}) is dropped: the v2.5 structures the bridge reads have four, and HAPI would
 * otherwise fail to build the acknowledgement. One message per frame: a frame with several, or a batch (FHS/BHS),
 * is refused as a whole.
 */
final class Er7Frames {

    private Er7Frames() {
    }

    static String normalize(String er7) {
        String text = er7.strip();
        if (text.indexOf('\r') < 0) {
            text = text.replace('\n', '\r');
        } else {
            text = text.replace("\r\n", "\r");
            if (text.startsWith("MSH") && text.length() > 3) { // a line feed that starts a segment is a break after all
                text = text.replaceAll("\n(?=[A-Z][A-Z0-9]{2}" + java.util.regex.Pattern.quote(String.valueOf(
                        text.charAt(3))) + ")", "\r");
            }
        }
        if (text.startsWith("MSH") && text.length() > 9) {
            char separator = text.charAt(3);
            int end = text.indexOf(separator, 4);
            if (end == 9) { // MSH|^~\&#|: five encoding characters
                text = text.substring(0, 8) + text.substring(9);
            }
        }
        return text + "\r";
    }

    /** Why the text is not one message (several MSH segments, or a batch), or null when it is one. */
    static String notOneMessage(String text) {
        int messages = 0;
        boolean batch = false;
        for (String segment : text.split("\r")) {
            String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
            if (name.equals("MSH")) {
                messages++;
            } else if (name.equals("FHS") || name.equals("BHS") || name.equals("BTS") || name.equals("FTS")) {
                batch = true;
            }
        }
        if (batch) {
            return "a batch (FHS/BHS) of " + messages + " messages: send each message in its own frame; none of this"
                    + " batch was stored";
        }
        if (messages > 1) {
            return "this frame holds " + messages + " messages: send one message per frame; none of them was stored";
        }
        return null;
    }
}
