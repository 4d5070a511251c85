package dev.appointmentbridge.source.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import dev.appointmentbridge.config.SourcesConfig;

/**
 * Checks a SMART Backend Services key before the OIDC client is made from it, so a wrong key stops the start with a
 * message naming the setting (the OIDC client would only say "key can not be loaded", or fail at the first poll):
 * a readable file, unencrypted PKCS#8 PEM, RSA (at least 2048 bits) for RS384 or EC P-384 for ES384, and a key id.
 * Never prints the key.
 */
final class SmartKeyCheck {

    private SmartKeyCheck() {
    }

    /** @return whether the source authenticates with a private key (SMART) rather than a client secret */
    static boolean check(String prefix, SourcesConfig.OAuth2 o) {
        String p = prefix + "auth.oauth2.";
        if (o.clientSecret().isPresent() && o.privateKeyFile().isPresent()) {
            throw new IllegalArgumentException(p + "client-secret and " + p + "private-key-file are both set: a SMART"
                    + " Backend Services client authenticates with its key alone; set one");
        }
        if (o.privateKeyFile().isEmpty()) {
            if (o.clientSecret().isEmpty()) {
                throw new IllegalArgumentException(p + "client-secret or " + p + "private-key-file is required");
            }
            return false;
        }
        String algorithm = o.signatureAlgorithm().trim();
        if (!algorithm.equals("RS384") && !algorithm.equals("ES384")) {
            throw new IllegalArgumentException(p + "signature-algorithm: '" + algorithm + "' is not RS384 or ES384 (the"
                    + " algorithms SMART Backend Services require)");
        }
        if (o.keyId().map(String::isBlank).orElse(true)) {
            throw new IllegalArgumentException(p + "key-id is required with a private key: the EHR finds the public"
                    + " key in your JWKS by it");
        }
        String pem;
        try {
            pem = Files.readString(Path.of(o.privateKeyFile().get()), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(p + "private-key-file: cannot read " + o.privateKeyFile().get() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(p + "private-key-file: not an unencrypted PKCS#8 PEM key (-----BEGIN"
                    + " PRIVATE KEY-----); convert one with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                    pem.indexOf("-----END PRIVATE KEY-----")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(p + "private-key-file: the PEM does not decode");
        }
        try {
            if (algorithm.equals("RS384")) {
                RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(
                        new PKCS8EncodedKeySpec(der));
                if (key.getModulus().bitLength() < 2048) {
                    throw new IllegalArgumentException(p + "private-key-file: an RSA key of "
                            + key.getModulus().bitLength() + " bits; RS384 needs at least 2048");
                }
            } else {
                ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
                        new PKCS8EncodedKeySpec(der));
                if (key.getParams().getCurve().getField().getFieldSize() != 384) {
                    throw new IllegalArgumentException(p + "private-key-file: an EC key on a "
                            + key.getParams().getCurve().getField().getFieldSize() + "-bit curve; ES384 needs P-384");
                }
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(p + "private-key-file: not " + (algorithm.equals("RS384") ? "an RSA"
                    : "an EC") + " private key, as " + p + "signature-algorithm=" + algorithm + " needs");
        }
        return true;
    }
}
