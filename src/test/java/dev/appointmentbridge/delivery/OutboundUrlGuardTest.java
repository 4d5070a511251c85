package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundUrlGuardTest {

    @ParameterizedTest
    @ValueSource(strings = { "http://169.254.169.254/latest/meta-data/", "http://169.254.10.1/hook",
            "http://[fe80::1]/hook", "http://[fd00:ec2::254]/", "http://100.100.100.200/", "ftp://example.com/x",
            "http:///nohost", "not a url" })
    void refusesMetadataLinkLocalAndNonHttp(String url) {
        assertTrue(OutboundUrlGuard.refusal(url).isPresent(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8080/hook", "https://10.0.0.5/hook", "http://[::1]:9000/x" })
    void allowsOrdinaryAddresses(String url) {
        assertTrue(OutboundUrlGuard.refusal(url).isEmpty(), url);
    }
}
