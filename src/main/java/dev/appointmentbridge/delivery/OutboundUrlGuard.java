package dev.appointmentbridge.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses webhook targets that point into the host's own cloud plumbing: link-local addresses (which
 * include 169.254.169.254, the instance metadata service) and the known IPv6 / vendor metadata addresses.
 * A webhook URL is operator input that could otherwise be used to read credentials.
 */
public final class OutboundUrlGuard {

    private static final Set<String> METADATA = Set.of("169.254.169.254", "fd00:ec2:0:0:0:0:0:254",
            "100.100.100.200", "169.254.170.2");

    private OutboundUrlGuard() {
    }

    /** What a host resolves to now: the address to connect to, or why it must not be called. */
    public record Checked(InetAddress address, String refusal) {
    }

    /** Why this URL must not be called, or empty when it may. A host that does not resolve now is allowed. */
    public static Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a valid URL");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            return Optional.of("must be an http(s) URL with a host");
        }
        return Optional.ofNullable(check(uri.getHost()).refusal());
    }

    /**
     * Resolves the host (through the JVM's DNS cache) and checks every address. The sender connects to the
     * returned address, so a DNS answer that changes after startup (or between check and connect) cannot
     * steer a delivery to the metadata service. A host that does not resolve gives neither: the connection
     * attempt then fails on its own.
     */
    public static Checked check(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return new Checked(null, null);
        }
        for (InetAddress address : addresses) {
            if (address.isLinkLocalAddress() || METADATA.contains(address.getHostAddress())) {
                return new Checked(null, "resolves to " + address.getHostAddress()
                        + ", a link-local or cloud metadata address");
            }
        }
        return new Checked(addresses[0], null);
    }
}
