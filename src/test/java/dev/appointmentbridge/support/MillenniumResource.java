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
        String m = window(config, "millennium", "location:loc-a,location:loc-b", "1d", "7d", "0");
        config.put(m + "page-size", "2");
        window(config, "paced", "practitioner:dr-nobody", "0s", "5d", "20");
        window(config, "late", "location:loc-late", "0s", "2d", "0");
        String h = "bridge.sources.hapi.";
        config.put(h + "base-url", hapi.baseUrl());
        config.put(h + "window.back", "1d");
        config.put(h + "window.ahead", "3d");
        config.put(h + "reconcile.interval", "1m");
        config.put(h + "max-requests-per-second", "0");
        config.put(h + "poll-interval", "1h");
        return config;
    }

    /** A window source on the Millennium fake; returns its key prefix. */
    private static String window(Map<String, String> config, String name, String scopes, String back, String ahead,
            String perSecond) {
        String p = "bridge.sources." + name + ".";
        config.put(p + "base-url", millennium.baseUrl());
        config.put(p + "mode", "window");
        config.put(p + "scopes", scopes);
        config.put(p + "include-patient", "false");
        config.put(p + "window.back", back);
        config.put(p + "window.ahead", ahead);
        config.put(p + "max-requests-per-second", perSecond);
        config.put(p + "poll-interval", "1h");
        return p;
    }

    @Override
    public void stop() {
        millennium.close();
        hapi.close();
    }
}
