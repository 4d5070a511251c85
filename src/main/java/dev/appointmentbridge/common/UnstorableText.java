package dev.appointmentbridge.common;

/**
 * Where a text stops being storable in PostgreSQL as sent: a text column cannot hold NUL (U+0000), and a lone
 * UTF-16 surrogate (a JSON escape like \\ud800 with no pair) is no Unicode character and has no UTF-8 form. One
 * check for what is received (inbound) and what is polled (source); each says it in its own words.
 */
public final class UnstorableText {

    private UnstorableText() {
    }

    /** Index of the first NUL or lone surrogate in {@code value}, or -1 when it can be stored as is. */
    public static int firstAt(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
