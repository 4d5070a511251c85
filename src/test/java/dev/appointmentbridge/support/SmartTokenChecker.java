package dev.appointmentbridge.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A SMART Backend Services token endpoint's check of a {@code client_credentials} request, as strict as the spec
 * (SMART App Launch v2, "Backend Services"): {@code client_assertion_type} jwt-bearer, no client secret, header
 * {@code alg} and {@code kid} and {@code typ: JWT}, {@code iss = sub = client id}, {@code aud} = the token URL,
 * {@code exp} in the future and at most 5 minutes ahead, a {@code jti} never seen before, and a signature that
 * verifies with the registered public key. Every refusal is kept, with its reason.
 */
public final class SmartTokenChecker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PublicKey key;
    private final String algorithm;
    private final String kid;
    private final String clientId;
    private final Set<String> jtis = ConcurrentHashMap.newKeySet();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();

    public SmartTokenChecker(PublicKey key, String algorithm, String kid, String clientId) {
        this.key = key;
        this.algorithm = algorithm;
        this.kid = kid;
        this.clientId = clientId;
    }

    /** A key pair for RS384 (RSA 2048) or ES384 (EC P-384). */
    public static KeyPair keyPair(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.startsWith("RS") ? "RSA" : "EC");
        if (algorithm.startsWith("RS")) {
            generator.initialize(2048);
        } else {
            generator.initialize(new ECGenParameterSpec("secp384r1"));
        }
        return generator.generateKeyPair();
    }

    /** The private key as an unencrypted PKCS#8 PEM file's text. */
    public static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    public List<String> refusals() {
        return refusals;
    }

    /** The assertions accepted, by jti. */
    public List<String> accepted() {
        return accepted;
    }

    /** @return null when the request passes, else why not (also kept in {@link #refusals()}) */
    public String check(String form, String authorization, String tokenUrl) {
        String why = why(form, authorization, tokenUrl);
        if (why != null) {
            refusals.add(why);
        }
        return why;
    }

    private String why(String body, String authorization, String tokenUrl) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1
                    ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return "grant_type is " + form.get("grant_type");
        }
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
            return "client_assertion_type is " + form.get("client_assertion_type");
        }
        if (form.containsKey("client_secret") || authorization != null) {
            return "a client secret was sent";
        }
        String assertion = form.get("client_assertion");
        if (assertion == null || assertion.split("\\.").length != 3) {
            return "no client_assertion JWT";
        }
        String[] parts = assertion.split("\\.");
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!algorithm.equals(header.path("alg").asText())) {
                return "alg is " + header.path("alg").asText();
            }
            if (!kid.equals(header.path("kid").asText())) {
                return "kid is " + header.path("kid").asText();
            }
            if (!"JWT".equals(header.path("typ").asText())) {
                return "typ is " + header.path("typ").asText();
            }
            if (!clientId.equals(claims.path("iss").asText()) || !clientId.equals(claims.path("sub").asText())) {
                return "iss/sub are " + claims.path("iss").asText() + "/" + claims.path("sub").asText();
            }
            JsonNode aud = claims.path("aud");
            if (!(aud.isTextual() && aud.asText().equals(tokenUrl)
                    || aud.isArray() && aud.size() == 1 && aud.get(0).asText().equals(tokenUrl))) {
                return "aud is " + aud;
            }
            long now = Instant.now().getEpochSecond();
            long exp = claims.path("exp").asLong(0);
            if (!claims.path("exp").isIntegralNumber() || exp <= now || exp > now + 300) {
                return "exp is " + (exp - now) + " s from now";
            }
            String jti = claims.path("jti").asText("");
            if (jti.isEmpty() || jtis.contains(jti)) {
                return "jti is empty or was used before";
            }
            Signature verifier = Signature.getInstance(algorithm.equals("RS384") ? "SHA384withRSA"
                    : "SHA384withECDSAinP1363Format");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "the signature does not verify with the registered key";
            }
            if (!jtis.add(jti)) {
                return "jti was used before";
            }
            accepted.add(jti);
            return null;
        } catch (Exception e) {
            return "unreadable assertion: " + e.getClass().getSimpleName();
        }
    }
}
