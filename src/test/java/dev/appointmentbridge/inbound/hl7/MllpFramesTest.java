package dev.appointmentbridge.inbound.hl7;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** MLLP framing: every byte examined once, however the frame is split; stray bytes and start bytes handled. */
class MllpFramesTest {

    private static byte[] framed(byte[] message) {
        byte[] out = new byte[message.length + 3];
        out[0] = MllpFrames.START;
        System.arraycopy(message, 0, out, 1, message.length);
        out[out.length - 2] = MllpFrames.END;
        out[out.length - 1] = MllpFrames.CR;
        return out;
    }

    /** Before: each chunk rescanned the frame from its start (1 MiB in 100-byte pieces: 5 s of event-loop CPU). */
    @Test
    void aMegabyteFrameInHundredBytePiecesIsExaminedOnce() {
        byte[] message = new byte[1 << 20];
        Arrays.fill(message, (byte) 'x');
        byte[] bytes = framed(message);
        MllpFrames frames = new MllpFrames();
        byte[] got = null;
        for (int i = 0; i < bytes.length; i += 100) {
            frames.append(Buffer.buffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 100))));
            byte[] frame = frames.next();
            if (frame != null) {
                got = frame;
            }
        }
        assertArrayEquals(message, got);
        assertTrue(frames.examined() <= bytes.length + bytes.length / 100 + 10,
                "bytes examined: " + frames.examined() + " for a frame of " + bytes.length);
    }

    @Test
    void strayBytesAndAStrayStartByteDoNotHideTheMessage() {
        MllpFrames frames = new MllpFrames();
        byte[] message = "MSH|^~\\&|A".getBytes(StandardCharsets.ISO_8859_1);
        frames.append(Buffer.buffer("noise").appendByte(MllpFrames.START).appendString("half"));
        assertNull(frames.next());
        frames.append(Buffer.buffer(framed(message)));
        assertArrayEquals(message, frames.next(), "the last start byte before the end starts the frame");
        assertNull(frames.next());
        assertEquals(0, frames.unfinished());
    }

    @Test
    void anEndByteWhoseCrComesInTheNextChunk() {
        MllpFrames frames = new MllpFrames();
        byte[] bytes = framed("MSH|x".getBytes(StandardCharsets.ISO_8859_1));
        frames.append(Buffer.buffer(Arrays.copyOfRange(bytes, 0, bytes.length - 1)));
        assertNull(frames.next());
        frames.append(Buffer.buffer(Arrays.copyOfRange(bytes, bytes.length - 1, bytes.length)));
        assertArrayEquals("MSH|x".getBytes(StandardCharsets.ISO_8859_1), frames.next());
        byte[] two = new byte[2 * bytes.length];
        System.arraycopy(bytes, 0, two, 0, bytes.length);
        System.arraycopy(bytes, 0, two, bytes.length, bytes.length);
        frames.append(Buffer.buffer(two));
        assertArrayEquals("MSH|x".getBytes(StandardCharsets.ISO_8859_1), frames.next());
        assertArrayEquals("MSH|x".getBytes(StandardCharsets.ISO_8859_1), frames.next(), "two frames in one chunk");
    }
}
