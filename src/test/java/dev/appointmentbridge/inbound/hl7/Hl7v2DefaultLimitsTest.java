package dev.appointmentbridge.inbound.hl7;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Review of issue 37: with the defaults, bridge.inbound.hl7v2.max-message-bytes (1 MiB) equalled the HTTP server's
 * own limit (1M), so a message just over it got the server's bare 413 (no ACK, an ERROR in the log) instead of the
 * bridge's 413 with an AE.
 */
@QuarkusTest
class Hl7v2DefaultLimitsTest {

    @Test
    void aMessageOverTheDefaultLimitGetsItsAck() {
        String big = Hl7v2IntakeTest.siu("S12", "BIG-DEFAULT", "BIG-1", "20261210103000", "20261210110000")
                + "NTE|1||" + "x".repeat(1_150_000) + "\r";
        given().contentType("x-application/hl7-v2+er7").body(big.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/webhook/hl7v2").then().statusCode(413).contentType(containsString("hl7-v2"))
                .body(containsString("MSA|AE")).body(containsString("max-message-bytes"));
    }
}
