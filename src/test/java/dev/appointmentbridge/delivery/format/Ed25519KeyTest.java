package dev.appointmentbridge.delivery.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class Ed25519KeyTest {

    /** RFC 8032 section 7.1, TEST 1 (the empty message). */
    private static final byte[] SEED = HexFormat.of()
            .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final byte[] PUBLIC = HexFormat.of()
            .parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] SIGNATURE = HexFormat.of().parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d"
            + "873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    private static final String SECRET = "whsk_" + Base64.getEncoder().encodeToString(SEED);

    @Test
    void matchesRfc8032TestVector() {
        Ed25519Key key = new Ed25519Key(SECRET);
        assertEquals("whpk_" + Base64.getEncoder().encodeToString(PUBLIC), key.publicKey());
        assertEquals(HexFormat.of().formatHex(SIGNATURE), HexFormat.of().formatHex(key.signRaw(new byte[0])));
    }

    @Test
    void v1aVerifiesWithThePublicKeyAloneOverIdTimestampAndBody() throws Exception {
        Ed25519Key key = new Ed25519Key(SECRET);
        byte[] body = "{\"type\":\"appointment.scheduled\"}".getBytes(StandardCharsets.UTF_8);
        String header = key.sign("msg_1", 1_700_000_000L, body);
        assertTrue(header.startsWith("v1a,"), header);
        byte[] signature = Base64.getDecoder().decode(header.substring(4));
        assertTrue(verify(key.publicKey(), "msg_1.1700000000." + new String(body, StandardCharsets.UTF_8), signature));
        assertFalse(verify(key.publicKey(), "msg_1.1700000001." + new String(body, StandardCharsets.UTF_8), signature));
    }

    @Test
    void badKeysAreRefusedNamingTheSettingNeverQuotingTheKey() {
        String short31 = "whsk_" + Base64.getEncoder().encodeToString(new byte[31]);
        for (String bad : List.of("whsec_" + Base64.getEncoder().encodeToString(SEED), "whsk_not base64!", short31,
                "whsk_" + Base64.getEncoder().encodeToString(SEED).replace("=", ""))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Signatures.of("bridge.targets.x.", Optional.empty(), List.of(), Optional.of(bad)), bad);
            assertTrue(e.getMessage().startsWith("bridge.targets.x.signing-key: "), e.getMessage());
            assertFalse(e.getMessage().contains(bad.substring(5)), e.getMessage());
        }
    }

    @Test
    void previousSecretsSignAfterTheCurrentOneAndEachIsNamedWhenBad() {
        String current = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        String previous = "whsec_" + Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24 });
        Signatures all = Signatures.of("bridge.targets.x.", Optional.of(current), List.of(previous),
                Optional.of(SECRET)).orElseThrow();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String[] parts = all.header("msg_2", 5, body).split(" ");
        assertEquals(List.of(new WebhookSigner(current).sign("msg_2", 5, body),
                new WebhookSigner(previous).sign("msg_2", 5, body), new Ed25519Key(SECRET).sign("msg_2", 5, body)),
                List.of(parts));
        assertEquals(3, all.count());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signatures.of(
                "bridge.targets.x.", Optional.of(current), List.of(previous, "whsec_c2hvcnQ="), Optional.empty()));
        assertTrue(e.getMessage().startsWith("bridge.targets.x.previous-secrets[1]: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signatures.of("bridge.targets.x.", Optional.empty(),
                List.of(previous), Optional.empty()));
        e = assertThrows(IllegalArgumentException.class, () -> Signatures.of("bridge.targets.x.", Optional.of(current),
                List.of(previous, current), Optional.empty()));
        assertTrue(e.getMessage().startsWith("bridge.targets.x.previous-secrets[1] is the same"), e.getMessage());
    }

    private static boolean verify(String whpk, String message, byte[] signature) throws Exception {
        byte[] raw = Base64.getDecoder().decode(whpk.substring("whpk_".length()));
        byte[] spki = new byte[12 + raw.length];
        System.arraycopy(HexFormat.of().parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
        System.arraycopy(raw, 0, spki, 12, raw.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }
}
