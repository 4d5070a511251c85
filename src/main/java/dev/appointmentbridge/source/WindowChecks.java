package dev.appointmentbridge.source;

import dev.appointmentbridge.config.SourcesConfig;
import java.time.Duration;

/** The window settings' start-time checks, shared by FHIR and JSON sources: each failure names its setting. */
public final class WindowChecks {

    /** More slices than this in one window (scopes × slices) is a misconfiguration, not a sweep. */
    static final int MAX_UNITS = 100_000;

    private WindowChecks() {
    }

    /**
     * @param slice  the slice length in use, or null for the whole window in one search
     * @param active whether the source scans windows at all (window mode, or a cursor source's sweeps)
     */
    public static void check(String prefix, SourcesConfig.Source config, Duration slice, boolean active) {
        if (!active) {
            return;
        }
        SourcesConfig.Window window = config.window();
        if (window.back().isNegative() || window.ahead().isNegative() || window.back().plus(window.ahead()).isZero()) {
            throw new IllegalArgumentException(prefix + "window.back and window.ahead must not be negative, and not"
                    + " both zero");
        }
        if (!(window.minRatio() >= 0 && window.minRatio() <= 1)) {
            throw new IllegalArgumentException(prefix + "window.min-ratio must be from 0 to 1");
        }
        if (window.maxRemovals() < 0) {
            throw new IllegalArgumentException(prefix + "window.max-removals must be 0 or more");
        }
        if (!(window.maxRemovalShare() >= 0 && window.maxRemovalShare() <= 1)) {
            throw new IllegalArgumentException(prefix + "window.max-removal-share must be from 0 to 1");
        }
        if (slice != null && (slice.compareTo(Duration.ofMinutes(1)) < 0 || slice.toMillis() % 1000 != 0)) {
            throw new IllegalArgumentException(prefix + "window.slice must be whole seconds, 1m or more");
        }
        if (slice != null && window.back().plus(window.ahead()).dividedBy(slice) > MAX_UNITS) {
            throw new IllegalArgumentException(prefix + "window.slice cuts the window into more than " + MAX_UNITS
                    + " slices");
        }
        if (config.reconcile().interval().isNegative()) {
            throw new IllegalArgumentException(prefix + "reconcile.interval must not be negative (0 = off)");
        }
        if (config.maxRequestsPerSecond() < 0 || Double.isNaN(config.maxRequestsPerSecond())) {
            throw new IllegalArgumentException(prefix + "max-requests-per-second must be 0 (no limit) or more");
        }
    }
}
