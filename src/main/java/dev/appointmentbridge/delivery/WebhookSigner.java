package dev.appointmentbridge.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signature: {@code v1,base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))},
 * where the key is the base64 part of a {@code whsec_} secret.
 */
public final class WebhookSigner {

    private static final String PREFIX = "whsec_";
    private final SecretKeySpec key;
    /** An initialised Mac per thread: getInstance + init on every request showed up in the delivery profile. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public WebhookSigner(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret must be whsec_ followed by base64");
        }
        if (raw.length == 0) {
            throw new IllegalArgumentException("a webhook secret must not be empty");
        }
        this.key = new SecretKeySpec(raw, "HmacSHA256");
    }

    public String sign(String id, long timestampSeconds, byte[] body) {
        Mac mac = macs.get(); // doFinal resets it for the next use
        mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
