package dev.appointmentbridge.common;

import java.net.URI;

/** A URL fit for logs and admin views: no user-info, no query string (either may carry credentials). */
public final class SafeUrl {

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
}
