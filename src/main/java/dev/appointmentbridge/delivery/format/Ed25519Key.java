package dev.appointmentbridge.delivery.format;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A Standard Webhooks asymmetric signing key: {@code whsk_} + standard base64 of the 32-byte Ed25519 private key
 * (RFC 8032's seed). Signs {@code id.timestamp.body} as {@code v1a,<base64 signature>}; its public key, {@code whpk_}
 * + base64 of the 32-byte RFC 8032 public key, is what a receiver holds. The JDK's own Ed25519 (no extra crypto
 * library).
 */
public final class Ed25519Key {

    private static final String SECRET_PREFIX = "whsk_";
    private static final String PUBLIC_PREFIX = "whpk_";
    private static final int KEY_BYTES = 32;

    private final PrivateKey privateKey;
    private final String publicKey;

    /**
     * @throws IllegalArgumentException saying what is wrong, never quoting the key
     */
    public Ed25519Key(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("must start with whsk_ followed by the base64 of the 32-byte Ed25519"
                    + " private key");
        }
        String encoded = secret.substring(SECRET_PREFIX.length());
        byte[] seed;
        try {
            seed = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("after whsk_ must come standard base64 (A-Z a-z 0-9 + / and = padding)");
        }
        if (!Base64.getEncoder().encodeToString(seed).equals(encoded)) {
            throw new IllegalArgumentException("after whsk_ must come canonical, padded standard base64");
        }
        if (seed.length != KEY_BYTES) {
            throw new IllegalArgumentException("the Ed25519 private key must be " + KEY_BYTES + " bytes, this one is "
                    + seed.length + "; make one with: echo whsk_$(openssl rand -base64 32)");
        }
        try {
            privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
            publicKey = PUBLIC_PREFIX + Base64.getEncoder().encodeToString(publicKeyOf(seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * The JDK (17) has no "public key of this private key"; its key pair generator takes the 32 private bytes from
     * the random source it is given, so a source that yields exactly the seed derives the matching public key. The
     * last 32 bytes of the X.509 encoding are the RFC 8032 public key.
     */
    private static byte[] publicKeyOf(byte[] seed) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
        byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - KEY_BYTES, spki.length);
    }

    /** {@code whpk_...}: the key a receiver verifies with. */
    public String publicKey() {
        return publicKey;
    }

    public String sign(String id, long timestampSeconds, byte[] body) {
        return "v1a," + Base64.getEncoder().encodeToString(
                signRaw((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8), body));
    }

    /** The RFC 8032 signature of the parts, one after the other. */
    byte[] signRaw(byte[]... parts) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            for (byte[] part : parts) {
                signature.update(part);
            }
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Hands out the seed and nothing else, for {@link #publicKeyOf}. */
    private static final class SeedSource extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedSource(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
