package dev.appointmentbridge.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts fake FHIR servers before Quarkus and configures them as sources: {@code clinic} (bearer token,
 * silent first sync), {@code eager} (emit-on-first-sync), {@code secured} (OAuth2), {@code hostile} (for the
 * real-server behaviours of issue 10) and {@code nohistory}; plus {@code elsewhere}, another origin.
 */
public class FakeFhirResource implements QuarkusTestResourceLifecycleManager {

    public static FakeFhirServer clinic;
    public static FakeFhirServer eager;
    public static FakeFhirServer secured;
    public static FakeFhirServer hostile;
    public static FakeFhirServer noHistory;
    /** SMART Backend Services: RS384, ES384, and one whose configured key is not the registered one. */
    public static FakeFhirServer smartRsa;
    public static FakeFhirServer smartEc;
    public static FakeFhirServer smartWrongKey;
    public static SmartTokenChecker smartRsaChecker;
    public static SmartTokenChecker smartEcChecker;
    public static SmartTokenChecker smartWrongKeyChecker;
    /** Not a source: the "other origin" that next links and redirects of {@code hostile} point at. */
    public static FakeFhirServer elsewhere;

    @Override
    public Map<String, String> start() {
        try {
            clinic = new FakeFhirServer();
            eager = new FakeFhirServer();
            secured = new FakeFhirServer();
            hostile = new FakeFhirServer();
            noHistory = new FakeFhirServer();
            elsewhere = new FakeFhirServer();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        secured.enableOAuth();
        Map<String, String> config = new HashMap<>();
        config.put("bridge.sources.clinic.base-url", clinic.baseUrl());
        config.put("bridge.sources.clinic.page-size", "3");
        config.put("bridge.sources.clinic.auth.bearer-token", "static-token");
        config.put("bridge.sources.clinic.request-timeout", "1s");
        config.put("bridge.sources.eager.base-url", eager.baseUrl());
        config.put("bridge.sources.eager.emit-on-first-sync", "true");
        config.put("bridge.sources.secured.base-url", secured.baseUrl());
        config.put("bridge.sources.secured.auth.oauth2.token-url", secured.tokenUrl());
        config.put("bridge.sources.secured.auth.oauth2.client-id", "bridge");
        config.put("bridge.sources.secured.auth.oauth2.client-secret", "s3cret");
        config.put("bridge.sources.secured.request-timeout", "2s");
        config.put("bridge.sources.hostile.base-url", hostile.baseUrl());
        config.put("bridge.sources.hostile.page-size", "3");
        config.put("bridge.sources.hostile.auth.bearer-token", "hostile-token");
        config.put("bridge.sources.hostile.request-timeout", "2s");
        config.put("bridge.sources.hostile.max-page-bytes", "1M");
        config.put("bridge.sources.nohistory.base-url", noHistory.baseUrl());
        config.put("bridge.sources.nohistory.page-size", "2");
        try {
            smartRsa = new FakeFhirServer();
            smartEc = new FakeFhirServer();
            smartWrongKey = new FakeFhirServer();
            java.security.KeyPair rsa = SmartTokenChecker.keyPair("RS384");
            java.security.KeyPair ec = SmartTokenChecker.keyPair("ES384");
            java.security.KeyPair other = SmartTokenChecker.keyPair("RS384");
            smartRsaChecker = new SmartTokenChecker(rsa.getPublic(), "RS384", "kid-rsa", "bridge-smart");
            smartEcChecker = new SmartTokenChecker(ec.getPublic(), "ES384", "kid-ec", "bridge-smart");
            smartWrongKeyChecker = new SmartTokenChecker(other.getPublic(), "RS384", "kid-rsa", "bridge-smart");
            smartRsa.enableSmart(smartRsaChecker);
            smartEc.enableSmart(smartEcChecker);
            smartWrongKey.enableSmart(smartWrongKeyChecker);
            java.nio.file.Path rsaFile = java.nio.file.Files.createTempFile("smart-rsa", ".pem");
            java.nio.file.Path ecFile = java.nio.file.Files.createTempFile("smart-ec", ".pem");
            java.nio.file.Files.writeString(rsaFile, SmartTokenChecker.pem(rsa));
            java.nio.file.Files.writeString(ecFile, SmartTokenChecker.pem(ec));
            smart(config, "smartrsa", smartRsa, rsaFile, "RS384", "kid-rsa");
            smart(config, "smartec", smartEc, ecFile, "ES384", "kid-ec");
            smart(config, "smartwrong", smartWrongKey, rsaFile, "RS384", "kid-rsa");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return config;
    }

    private static void smart(Map<String, String> config, String name, FakeFhirServer server, java.nio.file.Path key,
            String algorithm, String kid) {
        config.put("bridge.sources." + name + ".base-url", server.baseUrl());
        config.put("bridge.sources." + name + ".auth.oauth2.token-url", server.tokenUrl());
        config.put("bridge.sources." + name + ".auth.oauth2.client-id", "bridge-smart");
        config.put("bridge.sources." + name + ".auth.oauth2.scope", "system/Appointment.rs system/Patient.rs");
        config.put("bridge.sources." + name + ".auth.oauth2.private-key-file", key.toString());
        config.put("bridge.sources." + name + ".auth.oauth2.key-id", kid);
        config.put("bridge.sources." + name + ".auth.oauth2.signature-algorithm", algorithm);
        config.put("bridge.sources." + name + ".request-timeout", "2s");
    }

    @Override
    public void stop() {
        clinic.close();
        eager.close();
        secured.close();
        hostile.close();
        noHistory.close();
        elsewhere.close();
        smartRsa.close();
        smartEc.close();
        smartWrongKey.close();
    }
}
