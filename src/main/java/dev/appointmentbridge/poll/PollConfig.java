package dev.appointmentbridge.poll;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "bridge.poll")
public interface PollConfig {

    /** Scheduled polling; off in tests that drive cycles by hand. */
    @WithDefault("true")
    boolean enabled();
}
