package dev.appointmentbridge.delivery.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.standardwebhooks.Webhook;

class WebhookSignerTest {

    /** The Standard Webhooks specification's published example. */
    @Test
    void matchesTheSpecificationTestVector() {
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theReferenceLibraryAcceptsWhatWeSign() throws Exception {
        String secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"type\":\"appointment.scheduled\",\"data\":{\"id\":\"é\"}}";
        String signature = new WebhookSigner(secret).sign("evt_1", now, body.getBytes(StandardCharsets.UTF_8));
        new Webhook(secret).verify(body, Map.of("webhook-id", List.of("evt_1"), "webhook-timestamp",
                List.of(Long.toString(now)), "webhook-signature", List.of(signature)));
    }

    @Test
    void aSecretThatIsNotBase64IsRefusedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_not base64!"));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_"));
    }

    private static String key(int bytes) {
        byte[] raw = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            raw[i] = (byte) (i * 37 + 11);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(raw);
    }

    /** Issue 17: the spec's 24-64 bytes, for every length outside it, not just the reported 3. */
    @ParameterizedTest
    @ValueSource(ints = { 1, 3, 16, 23, 65, 96, 128 })
    void keysOutsideTwentyFourToSixtyFourBytesAreRefused(int bytes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(key(bytes)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("24 to 64 bytes"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains(key(bytes).substring(6)),
                "the message never quotes the key");
    }

    @ParameterizedTest
    @ValueSource(ints = { 24, 32, 48, 64 })
    void keysOfTwentyFourToSixtyFourBytesSign(int bytes) {
        assertEquals(47, new WebhookSigner(key(bytes)).sign("m", 1, new byte[0]).length());
    }

    /** Lenient spellings of a key are refused, not silently read as some other key. */
    @Test
    void onlyCanonicalStandardBase64AfterThePrefixIsAccepted() {
        String good = "whsec_EvveaypVBWWKDS7IyeYNPBP8102fjpU8tN+zo/u9quc="; // 32 bytes with + / and =
        new WebhookSigner(good);
        String b64 = good.substring(6);
        for (String bad : List.of(
                b64, // no whsec_ prefix
                "whsec_" + b64.replace('+', '-').replace('/', '_'), // URL-safe alphabet
                "whsec_" + b64.replace("=", ""), // missing padding
                "whsec_" + b64 + "\n", // trailing whitespace
                "whsec_ " + b64, // leading space
                "whsec_v1," + b64, // a pasted signature prefix
                "WHSEC_" + b64)) {
            assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(bad), bad);
        }
    }
}
