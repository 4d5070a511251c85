package dev.appointmentbridge.source;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A value placed into a source's URL: encoded so it stays one value, whatever an upstream or a push sends. */
public final class UrlValues {

    private UrlValues() {
    }

    /**
     * URL-encoded, spaces as {@code %20}; an id of {@code .} or {@code ..} has its dots encoded too, since as a path
     * segment it would otherwise name the directory or its parent, another resource of the source.
     */
    public static String encode(String value) {
        if (".".equals(value) || "..".equals(value)) {
            return value.replace(".", "%2E");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
