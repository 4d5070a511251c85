package dev.appointmentbridge.inbound.hl7;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * MLLP over TLS through the Quarkus TLS registry ({@code bridge.inbound.mllp.tls-configuration-name}), with a trust
 * store (senders must present a certificate) and {@code quarkus.tls.mllp.protocols=TLSv1.3}: a sender with its
 * certificate gets its AA; one without a certificate, one that speaks only TLS 1.2 and a plain TCP sender get nothing.
 */
@QuarkusTest
@TestProfile(MllpTlsTest.Profile.class)
class MllpTlsTest {

    static final String PASSWORD = "mllp-test-password";
    static Path keystore;

    @Inject
    MllpListener listener;

    @Test
    void aTlsSenderWithItsCertificateIsAcknowledgedOthersAreNot() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD.toCharArray());
        SSLContext withCertificate = SSLContext.getInstance("TLS");
        withCertificate.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLContext withoutCertificate = SSLContext.getInstance("TLS");
        withoutCertificate.init(null, tmf.getTrustManagers(), null);
        String message = Hl7v2IntakeTest.siu("S12", "C-" + UUID.randomUUID().toString().substring(0, 8),
                "TLS-" + UUID.randomUUID().toString().substring(0, 8), "20261210103000", "20261210110000");

        String ack = send(withCertificate, null, message);
        assertTrue(ack != null && ack.contains("MSA|AA"), "over TLS with a client certificate: " + ack);
        assertNull(send(withoutCertificate, null, message), "no client certificate: no answer");
        assertNull(send(withCertificate, "TLSv1.2", message), "TLS 1.2 where the registry allows only 1.3");
        try (Socket plain = new Socket("127.0.0.1", listener.port())) {
            plain.setSoTimeout(20_000);
            plain.getOutputStream().write(Hl7v2IntakeTest.frame(message));
            plain.getOutputStream().flush();
            assertNull(Hl7v2IntakeTest.readFrame(plain.getInputStream()), "no answer without TLS");
        }
    }

    /** The ACK, or null when the handshake or the connection failed first. */
    private String send(SSLContext context, String protocol, String message) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(20_000);
            if (protocol != null) {
                socket.setEnabledProtocols(new String[] {protocol});
            }
            socket.getOutputStream().write(Hl7v2IntakeTest.frame(message));
            socket.getOutputStream().flush();
            return Hl7v2IntakeTest.readFrame(socket.getInputStream());
        } catch (java.io.IOException refused) {
            return null;
        }
    }

    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.inbound.mllp.port", "0", "bridge.inbound.mllp.tls-configuration-name", "mllp",
                    "bridge.inbound.hl7v2.zone", "Europe/Berlin");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Certificate.class));
        }
    }

    /** A self-signed certificate made with the JDK's keytool. */
    public static class Certificate implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createDirectories(Path.of("target", "mllp-tls"));
                keystore = dir.resolve("mllp.p12");
                Files.deleteIfExists(keystore);
                Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool")
                        .toString(), "-genkeypair", "-alias", "mllp", "-keyalg", "RSA", "-keysize", "2048",
                        "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype",
                        "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                        .redirectErrorStream(true).start();
                String out = new String(keytool.getInputStream().readAllBytes());
                if (keytool.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("quarkus.tls.mllp.key-store.p12.path", keystore.toAbsolutePath().toString(),
                    "quarkus.tls.mllp.key-store.p12.password", PASSWORD,
                    "quarkus.tls.mllp.trust-store.p12.path", keystore.toAbsolutePath().toString(),
                    "quarkus.tls.mllp.trust-store.p12.password", PASSWORD,
                    "quarkus.tls.mllp.protocols", "TLSv1.3");
        }

        @Override
        public void stop() {
        }
    }
}
