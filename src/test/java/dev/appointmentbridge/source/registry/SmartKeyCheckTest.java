package dev.appointmentbridge.source.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.support.SmartTokenChecker;

class SmartKeyCheckTest {

    private static SourcesConfig.OAuth2 oauth2(String secret, Path key, String kid, String algorithm) {
        return new SourcesConfig.OAuth2() {
            public String tokenUrl() { return "https://ehr.example/token"; }
            public String clientId() { return "bridge"; }
            public Optional<String> clientSecret() { return Optional.ofNullable(secret); }
            public Optional<String> scope() { return Optional.empty(); }
            public Optional<String> privateKeyFile() { return Optional.ofNullable(key).map(Path::toString); }
            public Optional<String> keyId() { return Optional.ofNullable(kid); }
            public String signatureAlgorithm() { return algorithm; }
        };
    }

    private static Path write(String pem) throws Exception {
        Path file = Files.createTempFile("key", ".pem");
        Files.writeString(file, pem);
        return file;
    }

    private static String refusal(SourcesConfig.OAuth2 o) {
        String message = assertThrows(IllegalArgumentException.class, () -> SmartKeyCheck.check(
                "bridge.sources.ehr.", o)).getMessage();
        assertTrue(message.startsWith("bridge.sources.ehr.auth.oauth2."), message);
        return message;
    }

    @Test
    void aGoodKeyOfEachAlgorithmPasses() throws Exception {
        assertTrue(SmartKeyCheck.check("bridge.sources.ehr.", oauth2(null,
                write(SmartTokenChecker.pem(SmartTokenChecker.keyPair("RS384"))), "k1", "RS384")));
        assertTrue(SmartKeyCheck.check("bridge.sources.ehr.", oauth2(null,
                write(SmartTokenChecker.pem(SmartTokenChecker.keyPair("ES384"))), "k1", "ES384")));
        assertFalse(SmartKeyCheck.check("bridge.sources.ehr.", oauth2("s3cret", null, null, "RS384")));
    }

    @Test
    void wrongKeysStopTheStartNamingTheSettingNeverTheKey() throws Exception {
        String rsa = SmartTokenChecker.pem(SmartTokenChecker.keyPair("RS384"));
        Path rsaFile = write(rsa);
        assertTrue(refusal(oauth2("s3cret", rsaFile, "k1", "RS384")).contains("both set"));
        assertTrue(refusal(oauth2(null, null, null, "RS384")).contains("is required"));
        assertTrue(refusal(oauth2(null, rsaFile, null, "RS384")).contains("key-id"));
        assertTrue(refusal(oauth2(null, rsaFile, "k1", "RS256")).contains("signature-algorithm"));
        assertTrue(refusal(oauth2(null, rsaFile, "k1", "ES384")).contains("not an EC private key"));
        assertTrue(refusal(oauth2(null, Path.of("/nonexistent/key.pem"), "k1", "RS384")).contains("cannot read"));
        String pkcs1 = rsa.replace("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY").replace("END PRIVATE KEY",
                "END RSA PRIVATE KEY");
        String message = refusal(oauth2(null, write(pkcs1), "k1", "RS384"));
        assertTrue(message.contains("PKCS#8"), message);
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        KeyPair weak = small.generateKeyPair();
        assertTrue(refusal(oauth2(null, write(SmartTokenChecker.pem(weak)), "k1", "RS384")).contains("2048"));
        KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC");
        p256.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        message = refusal(oauth2(null, write(SmartTokenChecker.pem(p256.generateKeyPair())), "k1", "ES384"));
        assertTrue(message.contains("P-384"), message);
        assertFalse(message.contains(rsa.substring(40, 80)));
    }
}
