package dev.appointmentbridge.inbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;

/**
 * Request bodies sent with {@code Content-Encoding} (RFC 9110 section 8.4): {@code gzip} (and its alias
 * {@code x-gzip}) and {@code deflate} are decoded, in the reverse of the order listed; {@code identity} is a
 * no-op. The body limit counts decoded bytes and decoding stops one byte past it, so a small body that would
 * inflate to gigabytes costs at most the limit. Any other coding is a 415 naming the accepted ones in
 * {@code Accept-Encoding} (RFC 9110 section 12.5.3), never parsed as if it were plain.
 */
final class ContentCoding {

    static final String ACCEPTED = "gzip, deflate";
    /** More codings than this are refused: each one costs a decode on the request thread. */
    static final int MAX_CODINGS = 3;

    private ContentCoding() {
    }

    /**
     * @param limit the largest decoded body accepted, in bytes
     * @throws ApiException 415 for an unknown coding, 413 past {@code limit}, 400 for a corrupt stream
     */
    static byte[] decode(byte[] body, List<String> contentEncoding, int limit) {
        if (contentEncoding == null || contentEncoding.isEmpty()) {
            return body;
        }
        List<String> codings = new ArrayList<>();
        // Several Content-Encoding fields are one list, in order (RFC 9110 section 5.3); empty items are allowed.
        for (String c : String.join(",", contentEncoding).split(",")) {
            String coding = c.trim().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue;
            }
            if (coding.equals("x-gzip")) {
                coding = "gzip";
            }
            if (!coding.equals("gzip") && !coding.equals("deflate") && !coding.equals("identity")) {
                throw new ApiException(415, "Unsupported Content-Encoding", List.of(ErrorItem.of("header",
                        "Content-Encoding", "Accepted codings: " + ACCEPTED + " (or none)", "content_encoding")))
                        .withHeader("Accept-Encoding", ACCEPTED);
            }
            codings.add(coding);
        }
        if (codings.size() > MAX_CODINGS) {
            throw new ApiException(415, "Too many content codings", List.of(ErrorItem.of("header", "Content-Encoding",
                    "At most " + MAX_CODINGS + " codings, each one of: " + ACCEPTED, "content_encoding")))
                    .withHeader("Accept-Encoding", ACCEPTED);
        }
        byte[] decoded = body;
        for (int i = codings.size() - 1; i >= 0; i--) {
            switch (codings.get(i)) {
                case "gzip" -> decoded = inflate(decoded, "gzip", limit);
                case "deflate" -> decoded = inflate(decoded, "deflate", limit);
                default -> {
                }
            }
        }
        return decoded;
    }

    private static byte[] inflate(byte[] body, String coding, int limit) {
        try {
            return readBounded(open(body, coding, false), limit);
        } catch (ZipException e) {
            if (coding.equals("deflate")) {
                // RFC 9110 deflate is zlib-wrapped; some senders send raw deflate (RFC 1951) under the same name.
                try {
                    return readBounded(open(body, coding, true), limit);
                } catch (IOException raw) {
                    throw corrupt(coding);
                }
            }
            throw corrupt(coding);
        } catch (IOException e) {
            throw corrupt(coding);
        }
    }

    private static InputStream open(byte[] body, String coding, boolean rawDeflate) throws IOException {
        InputStream in = new ByteArrayInputStream(body);
        return coding.equals("gzip") ? new GZIPInputStream(in) : new InflaterInputStream(in, new Inflater(rawDeflate));
    }

    private static byte[] readBounded(InputStream in, int limit) throws IOException {
        try (in) {
            byte[] decoded = in.readNBytes(limit + 1);
            if (decoded.length > limit) {
                throw BodyLimits.tooLarge(limit);
            }
            return decoded;
        }
    }

    private static ApiException corrupt(String coding) {
        return new ApiException(400, "Body does not decode as " + coding, List.of(ErrorItem.of("header",
                "Content-Encoding", "The body is not valid " + coding + " data", "content_encoding_invalid")));
    }
}
