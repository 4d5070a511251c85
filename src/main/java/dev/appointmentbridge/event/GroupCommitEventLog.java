package dev.appointmentbridge.event;

import dev.appointmentbridge.config.EventLogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.appointmentbridge.common.SqlStates;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Durable append for single events arriving concurrently (the receiving endpoint). Requests queue here
 * and a few writer threads commit them in batches: one fsync covers many events, and each caller's
 * future completes only after its batch has committed, so a 201 always means "on disk".
 */
@ApplicationScoped
public class GroupCommitEventLog {

    private static final Logger LOG = Logger.getLogger(GroupCommitEventLog.class);

    /** A rehearsal runs the batch's statements in a transaction that rolls back (a replica's warm-up). */
    private record Pending(NewEvent event, CompletableFuture<StoredEvent> result, boolean rehearsal) {
    }

    @Inject
    EventInserter inserter;

    @Inject
    EventLogConfig config;

    @Inject
    MeterRegistry registry;

    /** A rehearsal waits this long at most for a lock (a hung transaction's, an older release's sequence row). */
    private static final int REHEARSAL_LOCK_TIMEOUT_MS = 1000;
    private static final int REHEARSAL_STATEMENT_TIMEOUT_MS = 5000;

    private BlockingQueue<Pending> queue;
    /** Where a batch's time goes: its statements, then its commit (the WAL flush and any lock held until it). */
    private Timer statementsTime;
    private Timer commitTime;
    private DistributionSummary batchSize;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    void start(@Observes StartupEvent ignored) {
        queue = new ArrayBlockingQueue<>(config.queueCapacity());
        statementsTime = Timer.builder("bridge.event.log.batch").tag("phase", "statements")
                .description("Time of a batch of received events in its transaction's statements").register(registry);
        commitTime = Timer.builder("bridge.event.log.batch").tag("phase", "commit")
                .description("Time of a batch of received events in its commit").register(registry);
        batchSize = DistributionSummary.builder("bridge.event.log.batch.events")
                .description("Received events committed per batch").register(registry);
        running = true;
        for (int i = 0; i < config.writers(); i++) {
            Thread t = new Thread(this::writeLoop, "event-log-writer-" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false; // writers drain what is queued, then exit
        for (Thread t : writers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    public CompletionStage<StoredEvent> append(NewEvent event) {
        return enqueue(event, false);
    }

    /**
     * Takes the event through the same queue, writer and statements as {@link #append}, in a transaction of its own
     * that always rolls back: the answer is the row it would have stored, yet nothing is stored, notified or counted.
     */
    public CompletionStage<StoredEvent> rehearse(NewEvent event) {
        return enqueue(event, true);
    }

    private CompletionStage<StoredEvent> enqueue(NewEvent event, boolean rehearsal) {
        CompletableFuture<StoredEvent> result = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending(event, result, rehearsal))) {
            result.completeExceptionally(new EventLogUnavailableException("event log is saturated", null));
        }
        return result;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(config.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.maxBatch() - 1);
                List<Pending> rehearsals = batch.stream().filter(Pending::rehearsal).toList();
                batch.removeIf(Pending::rehearsal);
                // Real pushes first: a rehearsal neither delays nor, failing, endangers them.
                if (!batch.isEmpty()) {
                    commit(batch);
                }
                if (!rehearsals.isEmpty()) {
                    rehearse(rehearsals);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * One transaction for the whole batch. If PostgreSQL refuses the batch's data (SQLSTATE class 22 or 23),
     * the database is up and one request is to blame: each event is then committed alone, so the bad one gets
     * its 422 and the others are stored. Any other failure fails the batch: the callers answer 503.
     */
    private void commit(List<Pending> batch) {
        List<NewEvent> events = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            events.add(p.event());
        }
        List<StoredEvent> stored;
        long start = System.nanoTime();
        long[] statementsDone = { 0 };
        try {
            stored = QuarkusTransaction.requiringNew().call(() -> {
                List<StoredEvent> rows = inserter.insert(events);
                statementsDone[0] = System.nanoTime();
                return rows;
            });
            long committed = System.nanoTime();
            statementsTime.record(statementsDone[0] - start, TimeUnit.NANOSECONDS);
            commitTime.record(committed - statementsDone[0], TimeUnit.NANOSECONDS);
            batchSize.record(events.size());
        } catch (RuntimeException | Error e) {
            // The transaction rolled back; every caller of the batch hears so, even on an Error.
            String state = dataError(e);
            if (state != null) {
                LOG.warnf("A batch of %d events was refused (SQLSTATE %s); committing them one by one", batch.size(),
                        state);
                batch.forEach(this::commitAlone);
                return;
            }
            LOG.warnf("Could not commit a batch of %d events: %s", batch.size(), e.getClass().getSimpleName());
            EventLogUnavailableException failure = new EventLogUnavailableException("event log unavailable", e);
            batch.forEach(p -> p.result().completeExceptionally(failure));
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(stored.get(i));
        }
    }

    private void rehearse(List<Pending> rehearsals) {
        List<NewEvent> events = rehearsals.stream().map(Pending::event).toList();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                inserter.boundWaits(REHEARSAL_LOCK_TIMEOUT_MS, REHEARSAL_STATEMENT_TIMEOUT_MS);
                throw new RolledBack(inserter.insert(events));
            });
        } catch (RolledBack done) {
            for (int i = 0; i < rehearsals.size(); i++) {
                rehearsals.get(i).result().complete(done.rows.get(i));
            }
        } catch (RuntimeException | Error e) {
            // Only warm-up pushes are in here: they fail, and the writer goes on with the real ones.
            EventLogUnavailableException failure = new EventLogUnavailableException("event log unavailable", e);
            rehearsals.forEach(p -> p.result().completeExceptionally(failure));
        }
    }

    /** Ends a rehearsal's transaction, so it rolls back, carrying the rows it would have stored. */
    private static final class RolledBack extends RuntimeException {
        private final transient List<StoredEvent> rows;

        RolledBack(List<StoredEvent> rows) {
            super(null, null, false, false);
            this.rows = rows;
        }
    }

    private void commitAlone(Pending p) {
        try {
            p.result().complete(QuarkusTransaction.requiringNew().call(() -> inserter.insert(List.of(p.event()))).get(0));
        } catch (RuntimeException e) {
            String state = dataError(e);
            p.result().completeExceptionally(state != null ? new EventRejectedException(state)
                    : new EventLogUnavailableException("event log unavailable", e));
        }
    }

    /** The SQLSTATE when the database refused the data itself (class 22 or 23), else null. */
    private static String dataError(Throwable e) {
        String state = SqlStates.of(e);
        return SqlStates.refusesData(state) ? state : null;
    }
}
