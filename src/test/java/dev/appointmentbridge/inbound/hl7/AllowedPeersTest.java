package dev.appointmentbridge.inbound.hl7;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The MLLP allow-list: exact addresses and CIDR ranges, loopback when unset, IP literals only. */
class AllowedPeersTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void cidrRangesAndExactAddresses() throws Exception {
        AllowedPeers peers = AllowedPeers.of(List.of("10.20.0.0/16", "192.168.1.7", "fd00::/8"));
        assertTrue(peers.allows(ip("10.20.255.1")));
        assertFalse(peers.allows(ip("10.21.0.1")));
        assertTrue(peers.allows(ip("192.168.1.7")));
        assertFalse(peers.allows(ip("192.168.1.8")));
        assertTrue(peers.allows(ip("fd12::1")));
        assertFalse(peers.allows(ip("fe80::1")));
        assertTrue(peers.allows(java.net.Inet6Address.getByAddress(null, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xFF, (byte) 0xFF, 10, 20, 3, 4 }, -1)), "an IPv4-mapped peer is its IPv4 address");
        assertFalse(peers.allows(ip("127.0.0.1")), "a list replaces the loopback default");
    }

    @Test
    void unsetIsLoopbackOnlyAndStarIsAnyone() throws Exception {
        AllowedPeers loopback = AllowedPeers.of(List.of());
        assertTrue(loopback.allows(ip("127.0.0.1")) && loopback.allows(ip("::1")));
        assertFalse(loopback.allows(ip("10.0.0.1")));
        assertTrue(AllowedPeers.of(List.of("*")).allows(ip("203.0.113.9")));
    }

    @Test
    void aNameOrABadPrefixStopsTheStartNamingTheEntry() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> AllowedPeers.of(List.of("10.0.0.1", "engine.example.com")));
        assertTrue(name.getMessage().contains("allowed-addresses[1]") && name.getMessage().contains("host name"));
        assertThrows(IllegalArgumentException.class, () -> AllowedPeers.of(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> AllowedPeers.of(List.of("192.168.1/24")),
                "a short form Java would read as another address");
        assertThrows(IllegalArgumentException.class, () -> AllowedPeers.of(List.of("10.20.5.5/16")),
                "bits set beyond the prefix");
        assertThrows(IllegalArgumentException.class, () -> AllowedPeers.of(List.of("10.0.0.0/x")));
    }
}
