package dev.appointmentbridge.delivery.target;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Server-side request forgery guard for webhook targets (docs/security.md, "Security defaults"). A target
 * URL is operator input; without this, a URL (or a DNS answer) pointing at loopback, the private network or
 * the cloud metadata service would let the bridge read or poke internal services. Refused unless the
 * operator allows private targets: 0.0.0.0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16 (link-local and
 * metadata), 172.16/12, 192.168/16, 192.0.0/24, 198.18/15, multicast and 240/4 (reserved, broadcast); ::,
 * ::1, fe80::/10, fc00::/7 (ULA), ff00::/8, 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64), and IPv4-mapped,
 * -compatible and 6to4 forms of any refused IPv4 address. Numeric spellings (2130706433, 0x7f.1) are whatever
 * the JVM resolves them to; the sender connects to exactly the address checked here, never resolving again.
 */
public final class OutboundUrlGuard {

    /** A host whose last label is a number is an IP literal in some spelling: DNS names end in a letter label. */
    private static final java.util.regex.Pattern AMBIGUOUS_NUMERIC =
            java.util.regex.Pattern.compile("(?i)([0-9a-fx]+\\.)*([0-9]+|0x[0-9a-f]*)\\.?");
    private static final java.util.regex.Pattern CANONICAL_IPV4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private OutboundUrlGuard() {
    }

    /** What a host resolved to: the address to connect to, or why not ({@code refused} or unresolvable). */
    public record Checked(InetAddress address, String refusal, boolean unresolvable) {
    }

    /** Why this URL must not be called when private targets are not allowed, or empty when it may. */
    public static Optional<String> refusal(String url) {
        Optional<String> syntax = syntaxRefusal(url);
        return syntax.isPresent() ? syntax : Optional.ofNullable(check(URI.create(url).getHost(), false).refusal());
    }

    /** Why this is not a URL the sender can call at all (private targets allowed or not), or empty. */
    public static Optional<String> syntaxRefusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a valid URL");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            return Optional.of("must be an http(s) URL with a host name or a dotted-quad or [IPv6] address");
        }
        if (uri.getHost().contains("%")) {
            return Optional.of("must not name an IPv6 zone (interface): it only ever reaches a link-local peer");
        }
        return Optional.empty();
    }

    /**
     * Resolves the host once (JVM resolver and cache) and checks every address it has: one refused address
     * refuses the host, so a name with a public and a private record cannot be used to reach the private one.
     *
     * @param allowPrivate true when the operator allows private targets: nothing is refused, the address is
     *                     still resolved here and connected to as is
     */
    public static Checked check(String host, boolean allowPrivate) {
        if (AMBIGUOUS_NUMERIC.matcher(host).matches() && !CANONICAL_IPV4.matcher(host).matches()) {
            // 2130706433, 0177.0.0.1, 0x7f.1, 127.1: resolvers disagree on these (the JVM reads 0177 as 177,
            // curl as 127), so the address a reader of the configuration expects is not the one connected to.
            return new Checked(null, "is an ambiguous numeric address spelling; write the dotted-quad form", false);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return new Checked(null, null, true);
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                String kind = privateKind(address);
                if (kind != null) {
                    return new Checked(null, "resolves to " + address.getHostAddress() + ", " + kind, false);
                }
            }
        }
        return new Checked(addresses[0], null, false);
    }

    /** What kind of non-public address this is, or null for a public unicast one. */
    static String privateKind(InetAddress address) {
        if (address instanceof Inet4Address) {
            return ipv4Kind(address.getAddress());
        }
        byte[] a = address.getAddress();
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if ((a[0] & 0xff) == 0xff) {
            return "a multicast address";
        }
        if ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80) {
            return "a link-local address";
        }
        if ((a[0] & 0xfe) == 0xfc) {
            return "a unique local (private) address";
        }
        if ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0xc0) {
            return "a site-local address";
        }
        if (startsWith(a, 0x20, 0x01, 0x00, 0x00)) {
            return "a Teredo address (it tunnels to an IPv4 address)";
        }
        if (startsWith(a, 0x20, 0x01, 0x0d, 0xb8)) {
            return "a documentation address";
        }
        if (allZero(a, 0, 8) && (a[8] & 0xff) == 0xff && (a[9] & 0xff) == 0xff && allZero(a, 10, 12)) {
            String v4 = ipv4Kind(new byte[] { a[12], a[13], a[14], a[15] }); // SIIT ::ffff:0:a.b.c.d
            return v4 == null ? null : "an IPv4-translated form of " + v4;
        }
        if (startsWith(a, 0x00, 0x64, 0xff, 0x9b)) {
            return "a NAT64 address";
        }
        if (allZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff || allZero(a, 0, 12)) {
            String v4 = ipv4Kind(new byte[] { a[12], a[13], a[14], a[15] }); // IPv4-mapped or -compatible
            return v4 == null ? null : "an IPv4-mapped form of " + v4;
        }
        if (startsWith(a, 0x20, 0x02)) {
            String v4 = ipv4Kind(new byte[] { a[2], a[3], a[4], a[5] }); // 6to4 embeds the IPv4 address
            return v4 == null ? null : "a 6to4 form of " + v4;
        }
        return address instanceof Inet6Address ? null : "not an IP address";
    }

    private static String ipv4Kind(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0) {
            return "the unspecified network 0.0.0.0/8";
        }
        if (a0 == 127) {
            return "a loopback address";
        }
        if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            return "a private (RFC 1918) address";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "a shared (CGNAT, RFC 6598) address";
        }
        if (a0 == 169 && a1 == 254) {
            return "a link-local or cloud metadata address";
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0 || a0 == 198 && (a1 & 0xfe) == 18
                || a0 == 192 && a1 == 88 && (b[2] & 0xff) == 99) {
            return "a special-purpose address";
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 2 || a0 == 198 && a1 == 51 && (b[2] & 0xff) == 100
                || a0 == 203 && a1 == 0 && (b[2] & 0xff) == 113) {
            return "a documentation (TEST-NET) address";
        }
        if (a0 >= 224) {
            return a0 < 240 ? "a multicast address" : "a reserved or broadcast address";
        }
        return null;
    }

    private static boolean startsWith(byte[] a, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((a[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
