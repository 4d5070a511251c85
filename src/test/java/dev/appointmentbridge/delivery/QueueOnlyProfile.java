package dev.appointmentbridge.delivery;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** One target and no delivery worker: the test claims and records outcomes itself. */
public class QueueOnlyProfile implements QuarkusTestProfile {

    public static final String TARGET = "queue";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bridge.delivery.enabled", "false", "bridge.targets." + TARGET + ".url",
                "http://127.0.0.1:9/never-called", "bridge.targets." + TARGET + ".format", "standard");
    }
}
