package dev.appointmentbridge.delivery;

import dev.appointmentbridge.config.DeliveryConfig;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import dev.appointmentbridge.delivery.Outbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * LISTENs on the outbox channel with one dedicated connection and wakes the worker on every commit that
 * created deliveries. If the connection drops (database restart), it reconnects; the worker's backstop
 * poll covers anything notified meanwhile. Silence is not trusted: a half-open TCP connection (a NAT or
 * firewall that dropped it) looks exactly like no commits, so after {@code bridge.delivery.listener-check}
 * without a notification the connection must answer a query within {@value #CHECK_TIMEOUT_SECONDS} s, or it is
 * replaced.
 */
@ApplicationScoped
public class NotificationListener {

    private static final Logger LOG = Logger.getLogger(NotificationListener.class);

    @Inject
    DataSource dataSource;

    @Inject
    DeliveryWorker worker;

    @Inject
    DeliveryConfig config;

    @Inject
    TargetRegistry targets;

    static final int CHECK_TIMEOUT_SECONDS = 2;

    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent ignored) {
        if (!config.enabled() || targets.all().isEmpty()) {
            return;
        }
        running = true;
        thread = new Thread(this::listen, "delivery-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops listening and waits (up to 3 s; a wait for notifications lasts 1 s at most) until the listener has
     * given its connection back: the datasource closes after the shutdown observers, and a connection returned
     * to a closed pool is a WARN on every clean stop.
     */
    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(3000);
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + Outbox.CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                worker.wake(); // anything committed while we were not listening
                long heardAt = System.nanoTime();
                while (running) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null && notes.length > 0) {
                        worker.wake();
                        heardAt = System.nanoTime();
                    } else if (System.nanoTime() - heardAt > config.listenerCheck().toNanos()) {
                        if (!c.isValid(CHECK_TIMEOUT_SECONDS)) {
                            c.abort(Runnable::run); // closing it politely would wait on the dead socket
                            throw new SQLException("no answer to a check within " + CHECK_TIMEOUT_SECONDS + " s",
                                    "08006");
                        }
                        heardAt = System.nanoTime();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("Outbox listener lost its connection (%s); reconnecting", e.getSQLState());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }
}
