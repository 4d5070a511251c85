package dev.appointmentbridge.health;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Says at startup which database the bridge uses (URL only: never credentials). */
@ApplicationScoped
public class DataSourceReport {

    private static final Logger LOG = Logger.getLogger(DataSourceReport.class);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "bridge.datasource.origin", defaultValue = "configured")
    String origin;

    void report(@Observes StartupEvent ignored) {
        LOG.infof("Database: %s (%s)", url.replaceAll("(?i)(password|user)=[^&;]*", "$1=***"), origin);
    }
}
