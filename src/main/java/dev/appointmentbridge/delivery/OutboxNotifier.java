package dev.appointmentbridge.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wakes every replica's delivery worker (NOTIFY on {@link Outbox#CHANNEL}, heard by {@link NotificationListener})
 * after a transaction that wrote outbox rows has committed. The NOTIFY runs on a connection of its own, after the
 * writers' transactions: PostgreSQL takes a database-wide lock for a notifying transaction from its commit's start to
 * its end, so a NOTIFY inside the writers' transactions lets one of them commit at a time. Commits that arrive while a
 * NOTIFY is under way share the next one. A process that dies between the commit and the NOTIFY loses nothing: the
 * rows are committed and every worker's backstop poll ({@code bridge.delivery.backstop-poll}) claims them.
 */
@ApplicationScoped
public class OutboxNotifier {

    private static final Logger LOG = Logger.getLogger(OutboxNotifier.class);

    private static final Object REGISTERED = new Object();

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** A pooled connection in autocommit: a NOTIFY touches no table, so it needs no JTA transaction or session. */
    @Inject
    DataSource dataSource;

    private final AtomicBoolean wanted = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;

    void start(@Observes StartupEvent ignored) {
        running = true;
        Thread t = new Thread(this::loop, "outbox-notifier");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        halt();
        Thread t = thread;
        if (t != null) {
            t.join(2000);
        }
    }

    /** Called inside the transaction that wrote outbox rows: one NOTIFY follows its commit, none its rollback. */
    public void afterCommit() {
        if (transactions.getResource(REGISTERED) != null) {
            return;
        }
        transactions.putResource(REGISTERED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    signal();
                }
            }
        });
    }

    /** NOTIFYs sent so far (each covers the commits that came before it). */
    public long sent() {
        return sent.get();
    }

    /**
     * Stops sending NOTIFYs, as a process that dies right after its commits would: what it committed reaches the
     * targets through the backstop poll alone.
     */
    void halt() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void signal() {
        if (wanted.compareAndSet(false, true)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private void loop() {
        while (running) {
            if (!wanted.getAndSet(false)) {
                LockSupport.parkNanos(1_000_000_000L);
                continue;
            }
            try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
                statement.execute("NOTIFY " + Outbox.CHANNEL);
                sent.incrementAndGet();
            } catch (SQLException e) {
                // the workers' backstop poll claims the rows; the next commit notifies again
                LOG.debugf("Outbox NOTIFY not sent (%s)", e.getSQLState());
            } catch (RuntimeException e) { // a pool closing at shutdown: the thread goes on until stopped
                LOG.debugf("Outbox NOTIFY not sent (%s)", e.getClass().getSimpleName());
            }
        }
    }
}
