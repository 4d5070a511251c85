package dev.appointmentbridge.health;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.StatelessSession;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Says at startup which database the bridge uses (URL only: never credentials), and warns when that database runs
 * without autovacuum: the delivery queue is a table that churns, and without vacuum and analyze its dead rows pile up
 * and the planner never learns how large it is.
 */
@ApplicationScoped
public class DataSourceReport {

    private static final Logger LOG = Logger.getLogger(DataSourceReport.class);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "appointment-bridge.datasource.origin", defaultValue = "configured")
    String origin;

    @Inject
    StatelessSession session;

    void report(@Observes StartupEvent ignored) {
        LOG.infof("Database: %s (%s)", url.replaceAll("(?i)(password|user)=[^&;]*", "$1=***"), origin);
        try {
            String autovacuum = QuarkusTransaction.requiringNew().call(() -> session
                    .createNativeQuery("SELECT current_setting('autovacuum')", String.class).getSingleResult());
            if (!"on".equals(autovacuum)) {
                LOG.warn("The database runs with autovacuum off: the delivery queue's dead rows are never cleaned up and"
                        + " its statistics never refreshed, so delivery slows as the outbox grows. Turn it on"
                        + " (autovacuum = on), or run VACUUM ANALYZE delivery, delivery_attempt regularly");
            }
        } catch (RuntimeException e) {
            LOG.debugf("Could not read the autovacuum setting: %s", e.getClass().getSimpleName());
        }
    }
}
