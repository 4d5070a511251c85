package dev.appointmentbridge.inbound.hl7;

import io.vertx.core.buffer.Buffer;

/**
 * The frames of one MLLP connection ({@code 0x0B message 0x1C 0x0D}), read as bytes arrive. Every byte is examined
 * once, however the sender splits its frame (a megabyte in 100-byte pieces costs a megabyte of work, not the square
 * of it). Bytes outside a frame are dropped; of several start bytes before an end, the last starts the frame (a
 * stray one does not hide the real message).
 */
final class MllpFrames {

    static final byte START = 0x0B;
    static final byte END = 0x1C;
    static final byte CR = 0x0D;

    private Buffer pending = Buffer.buffer();
    /** Where the unread bytes begin in {@code pending}: consumed frames are dropped in one copy, not one each. */
    private int base;
    /** Where the current frame's start byte is in {@code pending}, or -1 before one arrived. */
    private int start = -1;
    /** The next byte of {@code pending} to examine. */
    private int scanned;
    /** Bytes examined in all (for the test that each is examined once). */
    private long examined;

    void append(Buffer chunk) {
        pending.appendBuffer(chunk);
    }

    /** The next complete frame's message bytes, or null until one is complete. */
    byte[] next() {
        int length = pending.length();
        for (int i = scanned; i < length; i++) {
            examined++;
            byte b = pending.getByte(i);
            if (b == START) {
                start = i;
            } else if (b == END && start >= 0) {
                if (i + 1 == length) {
                    scanned = i; // its CR has not arrived: look at this byte again with the next chunk
                    compact();
                    return null;
                }
                if (pending.getByte(i + 1) == CR) {
                    byte[] frame = pending.getBytes(start + 1, i);
                    base = i + 2;
                    start = -1;
                    scanned = base;
                    if (base > pending.length() / 2) {
                        compact();
                    }
                    return frame;
                }
            }
        }
        scanned = length;
        compact();
        return null;
    }

    /** Bytes of an unfinished frame held (the start byte on), 0 when none began. */
    int unfinished() {
        return start < 0 ? 0 : pending.length() - start;
    }

    /** The beginning of the unfinished frame, to name it in a refusal. */
    String unfinishedHead(int max) {
        return start < 0 ? "" : pending.getString(start + 1, Math.min(pending.length(), start + 1 + max), "ISO-8859-1");
    }

    void clear() {
        pending = Buffer.buffer();
        base = 0;
        start = -1;
        scanned = 0;
    }

    long examined() {
        return examined;
    }

    /**
     * Drops what is consumed or lies outside a frame: everything before the frame's start byte, or, when none began,
     * everything examined. One copy of what is kept.
     */
    private void compact() {
        int keepFrom = start >= 0 ? start : Math.max(base, scanned);
        if (keepFrom == 0) {
            return;
        }
        pending = keepFrom >= pending.length() ? Buffer.buffer() : pending.getBuffer(keepFrom, pending.length());
        scanned -= Math.min(scanned, keepFrom);
        if (start >= 0) {
            start -= keepFrom;
        }
        base = 0;
    }
}
