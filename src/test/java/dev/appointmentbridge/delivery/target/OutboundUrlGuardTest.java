package dev.appointmentbridge.delivery.target;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, SSRF: the address classifier on every refused range (numeric addresses only: classifying sends
 * no packet), and URL refusals with loopback spellings (resolved from literals or /etc/hosts, never DNS).
 */
class OutboundUrlGuardTest {

    @ParameterizedTest
    @ValueSource(strings = { "0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255",
            "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255", "100.64.0.1", "100.127.255.255",
            "169.254.169.254", "169.254.0.1", "192.0.0.8", "198.18.0.1", "224.0.0.1", "239.255.255.255",
            "240.0.0.1", "255.255.255.255", "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd00:ec2::254",
            "ff02::1", "64:ff9b::a00:1", "64:ff9b::808:808", "64:ff9b:1::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
            "::ffff:169.254.169.254", "::127.0.0.1", "::10.1.2.3", "2002:7f00:1::1", "2002:c0a8:101::1", "fec0::1", "2001:0:4136:e378::1",
            "2001:db8::1", "::ffff:0:7f00:1", "192.0.2.1", "198.51.100.7", "203.0.113.9", "192.88.99.1" })
    void refusedRanges(String literal) throws UnknownHostException {
        assertNotNull(OutboundUrlGuard.privateKind(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
            "192.167.1.1", "169.253.1.1", "223.255.255.255", "11.0.0.1", "2001:4860:4860::8888", "2606:4700::1111",
            "2002:808:808::1", "::ffff:8.8.8.8" })
    void publicAddressesPass(String literal) throws UnknownHostException {
        assertNull(OutboundUrlGuard.privateKind(InetAddress.getByName(literal)), literal);
    }

    /** Loopback in every spelling a URL can carry; none may be called by default. */
    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://2130706433/",
            "http://127.1/", "http://0177.0.0.1/", "http://0x7f000001/", "http://0x7f.0.0.1/", "http://017700000001/",
            "http://[::1]:9000/x", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
            "http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://0.0.0.0/", "http://0/", "http://[::]/", "https://10.0.0.5/hook",
            "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook", "http://[fd00:ec2::254]/",
            "http://100.100.100.200/", "ftp://example.com/x", "http:///nohost", "not a url" })
    void loopbackAndPrivateSpellingsAreRefused(String url) {
        assertTrue(OutboundUrlGuard.refusal(url).isPresent(), url);
    }

    /** Review of issue 12: a host java.net.URI cannot parse is refused even where private targets are allowed. */
    @ParameterizedTest
    @ValueSource(strings = { "http://127.1:18702/", "http://under_score.example/", "http://[::1%25lo]/x", "mailto:x@y" })
    void unparsableHostsAreRefusedWhateverIsAllowed(String url) {
        assertTrue(OutboundUrlGuard.syntaxRefusal(url).isPresent() || OutboundUrlGuard.refusal(url).isPresent(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "localhost", "::1" })
    void allowPrivateLetsLoopbackThroughButStillPinsTheAddress(String host) {
        OutboundUrlGuard.Checked checked = OutboundUrlGuard.check(host, true);
        assertNull(checked.refusal());
        assertTrue(checked.address().isLoopbackAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = { "2130706433", "0x7f000001", "127.1" })
    void ambiguousNumericSpellingsAreRefusedEvenWhenPrivateIsAllowed(String host) {
        assertNotNull(OutboundUrlGuard.check(host, true).refusal(), host);
    }
}
