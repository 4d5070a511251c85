package dev.appointmentbridge.poll;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "bridge.poll")
public interface PollConfig {

    /** Scheduled polling; off in tests that drive cycles by hand. */
    @WithDefault("true")
    boolean enabled();

    /** Wait before each source's first poll (the demo polls its own simulated server, not yet listening at start). */
    @WithDefault("0s")
    java.time.Duration initialDelay();
}
