package dev.appointmentbridge.common;

import java.net.URI;
import java.util.regex.Pattern;

/** A URL fit for logs and admin views: no user-info, no query string (either may carry credentials). */
public final class SafeUrl {

    /**
     * A first path segment that reads as a word ({@code services}, {@code hooks}, {@code webhookb2}, {@code api},
     * {@code v1}): lower-case letters (and - or _), at most one trailing digit, at most 16 characters, and not made of
     * hexadecimal letters only ({@code deadbeefcafe}). Anything else could be a token.
     */
    private static final Pattern WORD = Pattern.compile("[a-z][a-z_-]{0,14}[0-9]?");
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    private SafeUrl() {
    }

    public static String of(String url) {
        try {
            URI u = URI.create(url);
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (Exception e) {
            return "(unparseable URL)";
        }
    }

    /**
     * A webhook target's URL for logs and admin views: scheme, host and port, and at most its first path segment when
     * that reads as a word; the rest of the path becomes {@code /…}. A Slack, Teams or Zapier incoming-webhook URL is
     * a capability: whoever knows its path can post to the channel, so the path is a secret like any key.
     */
    public static String origin(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return "(unparseable URL)";
            }
            String shown = new URI(u.getScheme(), null, u.getHost(), u.getPort(), null, null, null).toString();
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            String[] segments = path.split("/", -1); // "" before the first slash
            if (segments.length < 2 || segments[1].isEmpty() && segments.length == 2) {
                return shown;
            }
            String first = segments[1];
            boolean more = segments.length > 2 && !(segments.length == 3 && segments[2].isEmpty());
            if (!WORD.matcher(first).matches() || HEX.matcher(first).matches() && first.length() > 4) {
                return shown + "/…";
            }
            return shown + "/" + first + (more ? "/…" : path.endsWith("/") && segments.length == 3 ? "/" : "");
        } catch (Exception e) {
            return "(unparseable URL)";
        }
    }
}
