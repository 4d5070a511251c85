package dev.appointmentbridge.common;

/**
 * Ids are logged (never names): a control, line-separator or formatting character (a bidirectional override) in one
 * could forge or hide log lines. One check for what is received (inbound) and what is polled (source); each says it
 * in its own words.
 */
public final class LoggableId {

    private LoggableId() {
    }

    /** Index of the first control or formatting character in {@code value}, or -1 when it can be logged as is. */
    public static int firstUnloggableAt(String value) {
        for (int i = 0; i < value.length(); i = value.offsetByCodePoints(i, 1)) {
            int c = value.codePointAt(i); // by code point: tag characters (U+E0000...) are format characters too
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE) { // a lone surrogate is no character at all
                return i;
            }
        }
        return -1;
    }
}
