package dev.appointmentbridge.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Issue 18's sources: {@code millennium}, a window source on a {@link FakeFhirServer} that follows Oracle Health
 * Millennium's search contract (two watched locations, loc-a and loc-b, a week ahead); {@code paced}, a window
 * source on the same server limited to 20 requests per second; and {@code hapi}, a cursor source on a second,
 * HAPI-like fake whose reconciliation sweep is due one minute after its first sync.
 */
public class MillenniumResource implements QuarkusTestResourceLifecycleManager {

    public static FakeFhirServer millennium;
    public static FakeFhirServer hapi;

    @Override
    public Map<String, String> start() {
        try {
            millennium = new FakeFhirServer();
            hapi = new FakeFhirServer();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        millennium.millenniumContract(true);
        Map<String, String> config = new HashMap<>();
        String m = "bridge.sources.millennium.";
        config.put(m + "base-url", millennium.baseUrl());
        config.put(m + "mode", "window");
        config.put(m + "scopes", "location:loc-a,location:loc-b");
        config.put(m + "include-patient", "false");
        config.put(m + "window.back", "1d");
        config.put(m + "window.ahead", "7d");
        config.put(m + "window.slice", "1d");
        config.put(m + "page-size", "2");
        config.put(m + "max-requests-per-second", "0");
        config.put(m + "poll-interval", "1h");
        String p = "bridge.sources.paced.";
        config.put(p + "base-url", millennium.baseUrl());
        config.put(p + "mode", "window");
        config.put(p + "scopes", "practitioner:dr-nobody");
        config.put(p + "include-patient", "false");
        config.put(p + "window.back", "0s");
        config.put(p + "window.ahead", "5d");
        config.put(p + "max-requests-per-second", "20");
        config.put(p + "poll-interval", "1h");
        String h = "bridge.sources.hapi.";
        config.put(h + "base-url", hapi.baseUrl());
        config.put(h + "window.back", "1d");
        config.put(h + "window.ahead", "3d");
        config.put(h + "reconcile.interval", "1m");
        config.put(h + "max-requests-per-second", "0");
        config.put(h + "poll-interval", "1h");
        return config;
    }

    @Override
    public void stop() {
        millennium.close();
        hapi.close();
    }
}
