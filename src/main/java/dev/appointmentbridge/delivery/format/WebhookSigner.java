package dev.appointmentbridge.delivery.format;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signature: {@code v1,base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))},
 * where the key is the base64 part of a {@code whsec_} secret. The spec ("Signature scheme") asks for
 * keys of 24 to 64 random bytes; anything else is refused, because a receiver cannot tell a guessable key
 * from a good one.
 */
public final class WebhookSigner {

    private static final String PREFIX = "whsec_";
    /** Key length bounds in bytes, from the Standard Webhooks spec. */
    public static final int MIN_KEY_BYTES = 24;
    public static final int MAX_KEY_BYTES = 64;
    private final SecretKeySpec key;
    /** An initialised Mac per thread: getInstance + init on every request showed up in the delivery profile. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /**
     * @param secret {@code whsec_} + standard base64 (RFC 4648 section 4, with padding) of 24-64 bytes
     * @throws IllegalArgumentException saying what is wrong, never quoting the secret
     */
    public WebhookSigner(String secret) {
        this.key = new SecretKeySpec(decode(secret), "HmacSHA256");
    }

    static byte[] decode(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("must start with whsec_ followed by the base64 of the key");
        }
        String encoded = secret.substring(PREFIX.length());
        // Strict: the JDK decoder alone accepts a missing final padding; a key must round-trip exactly.
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("after whsec_ must come standard base64 (A-Z a-z 0-9 + / and = padding)");
        }
        if (!Base64.getEncoder().encodeToString(raw).equals(encoded)) {
            throw new IllegalArgumentException("after whsec_ must come canonical, padded standard base64");
        }
        if (raw.length < MIN_KEY_BYTES || raw.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("the key must be " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " bytes (Standard Webhooks), this one is " + raw.length
                    + "; make one with: echo whsec_$(openssl rand -base64 32)");
        }
        return raw;
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
