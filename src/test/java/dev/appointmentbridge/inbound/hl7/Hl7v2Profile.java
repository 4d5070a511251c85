package dev.appointmentbridge.inbound.hl7;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The MLLP listener on a free port, times read in Europe/Berlin, pushes behind an inbound key. */
public class Hl7v2Profile implements QuarkusTestProfile {

    public static final String KEY = "hl7-inbound-key-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bridge.inbound.mllp.port", "0", "bridge.inbound.mllp.host", "127.0.0.1",
                "bridge.inbound.mllp.idle-timeout", "2s", "bridge.inbound.hl7v2.zone", "Europe/Berlin",
                "bridge.inbound.hl7v2.max-message-bytes", "8192", "bridge.inbound.api-key", KEY);
    }
}
