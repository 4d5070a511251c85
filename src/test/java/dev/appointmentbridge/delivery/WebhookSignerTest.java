package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
