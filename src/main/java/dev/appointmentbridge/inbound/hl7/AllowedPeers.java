package dev.appointmentbridge.inbound.hl7;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bridge.inbound.mllp.allowed-addresses}: IP addresses and CIDR ranges ({@code 10.20.0.0/16},
 * {@code fd00::/8}) that may connect, or {@code *}. IP literals only, never names: a name would be looked up at every
 * connection, and whoever controls its DNS would decide who may send. Unset: loopback only.
 */
final class AllowedPeers {

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final boolean anyone;
    private final List<Range> ranges = new ArrayList<>();

    private AllowedPeers(boolean anyone) {
        this.anyone = anyone;
    }

    /** Reads the setting; a malformed entry stops the start naming it. */
    static AllowedPeers of(List<String> entries) {
        if (entries.isEmpty()) {
            AllowedPeers loopback = new AllowedPeers(false);
            loopback.ranges.add(new Range(new byte[] { 127, 0, 0, 0 }, 8));
            loopback.ranges.add(new Range(literal("::1", "::1"), 128));
            return loopback;
        }
        AllowedPeers peers = new AllowedPeers(entries.stream().anyMatch(e -> e.trim().equals("*")));
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            if (entry.equals("*")) {
                continue;
            }
            String name = "bridge.inbound.mllp.allowed-addresses[" + i + "]";
            int slash = entry.indexOf('/');
            byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash), name);
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + ": the prefix length after / is not a number");
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException(name + ": the prefix length must be 0 to " + network.length * 8);
                }
            }
            Range range = new Range(network, bits);
            byte[] masked = network.clone();
            for (int b = 0; b < masked.length; b++) {
                int keep = Math.max(0, Math.min(8, bits - b * 8));
                masked[b] = (byte) (masked[b] & (0xFF << (8 - keep)) & 0xFF);
            }
            if (!java.util.Arrays.equals(masked, network)) { // 10.20.5.5/16: a typo for /32, or for 10.20.0.0/16?
                throw new IllegalArgumentException(name + ": the address has bits set beyond the /" + bits
                        + " prefix; write the range's first address");
            }
            peers.ranges.add(range);
        }
        return peers;
    }

    boolean allows(InetAddress peer) {
        if (peer == null) {
            return false;
        }
        if (anyone) {
            return true;
        }
        byte[] address = peer.getAddress();
        if (address.length == 16 && isMappedV4(address)) { // ::ffff:a.b.c.d is a.b.c.d
            address = java.util.Arrays.copyOfRange(address, 12, 16);
        }
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMappedV4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static byte[] literal(String text, String name) {
        // four decimal octets (Java would read 192.168.1 as 192.168.0.1), or an IPv6 literal
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException(name + ": an IP address or CIDR range (a.b.c.d/n), not a host name");
        }
        try {
            return InetAddress.getByName(text).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(name + ": not an IP address");
        }
    }
}
