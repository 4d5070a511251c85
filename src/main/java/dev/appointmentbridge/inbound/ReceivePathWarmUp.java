package dev.appointmentbridge.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.hibernate.StatelessSession;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.common.NativeColumn;
import dev.appointmentbridge.config.InboundConfig;
import dev.appointmentbridge.event.EventInserter;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.event.StoredEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Takes the receiving endpoint's path through {@code bridge.inbound.warm-up-rounds} rounds before the replica takes
 * pushes: the body read and checked, the event made, its event and outbox statements run in a transaction that rolls
 * back (nothing is stored, delivered or counted), the receipt written. A replica that joins a fleet under load gets
 * its share of pushes the moment it is ready; cold, its first pushes loaded classes, built Jackson's serializers and
 * Hibernate's statements and ran interpreted while the pushes behind them queued, on a busy node for seconds
 * (docs/operations.md#upgrading).
 * <p>
 * Runs last among the start-up observers (the replica registry, whose live targets the outbox statement reads, has
 * started) and on the start-up thread, which Quarkus finishes before it opens the HTTP and management ports: no push
 * and no probe reaches a replica before its warm-up has run. Each round waits at most {@value #LOCK_TIMEOUT_MS} ms for a
 * lock and {@value #STATEMENT_TIMEOUT_MS} ms for a statement (a lock held by a hung transaction elsewhere, an older
 * release's sequence row): the warm-up then stops and the start goes on, cold, instead of never ending.
 */
@ApplicationScoped
public class ReceivePathWarmUp {

    private static final Logger LOG = Logger.getLogger(ReceivePathWarmUp.class);

    /** Events per round cycle through 1..BATCH, as the group commit's batches vary. */
    private static final int BATCH = 4;

    static final int LOCK_TIMEOUT_MS = 1000;
    static final int STATEMENT_TIMEOUT_MS = 5000;

    private static final String BOUNDS = "SELECT set_config('lock_timeout', '" + LOCK_TIMEOUT_MS + "', true) || '/'"
            + " || set_config('statement_timeout', '" + STATEMENT_TIMEOUT_MS + "', true) AS bounds";

    @Inject
    InboundConfig config;

    @Inject
    PushBodies bodies;

    @Inject
    InboundEventService service;

    @Inject
    EventInserter inserter;

    @Inject
    ObjectMapper mapper;

    @Inject
    StatelessSession session;

    private final AtomicInteger rounds = new AtomicInteger();

    void warmUp(@Observes @Priority(5000) StartupEvent ignored) {
        // A native executable was compiled ahead of time and initialised its classes at build time: nothing to warm.
        int wanted = io.quarkus.runtime.ImageMode.current() == io.quarkus.runtime.ImageMode.NATIVE_RUN ? 0
                : config.warmUpRounds();
        long start = System.nanoTime();
        try {
            for (int round = 0; round < wanted; round++) {
                round(round);
                rounds.incrementAndGet();
            }
            if (wanted > 0) {
                LOG.infof("Receiving path warmed up: %d rounds in %d ms", wanted,
                        (System.nanoTime() - start) / 1_000_000);
            }
        } catch (RuntimeException e) {
            // The database is down at start, say, or a round timed out: the replica starts cold rather than not at all.
            LOG.warnf("Receiving path warm-up stopped after %d of %d rounds: %s", rounds.get(), wanted,
                    e.getClass().getSimpleName());
        }
    }

    private void round(int round) {
        EventType[] types = EventType.values();
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i <= round % BATCH; i++) {
            String body = "{\"event_type\":\"" + types[(round + i) % types.length].wireName()
                    + "\",\"appointment_id\":\"warm-up-" + round + "-" + i + "\",\"patient_id\":\"warm-up\","
                    + "\"timestamp\":\"" + Instant.now() + "\",\"notes\":\"warm-up\"}";
            InboundEvent event = InboundEventValidator.validate(
                    bodies.json(body.getBytes(StandardCharsets.UTF_8), List.of()));
            events.add(service.newEvent(event, i == 0 ? null : "warm-up-" + round + "-" + i));
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                NativeColumn.select(session, BOUNDS, "bounds", String.class).getSingleResult();
                for (StoredEvent s : inserter.insert(events)) {
                    write(new Receipt("success", Receipt.STORED, s.id(), s.receivedAt().toInstant().toString(),
                            new Receipt.Data(s.type(), s.appointmentId(), s.patientId())));
                }
                throw new RolledBack();
            });
        } catch (RolledBack expected) {
            // every round ends here: its transaction rolled back
        }
    }

    /** Thrown at the end of each round's transaction, so it rolls back. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }

    private void write(Receipt receipt) {
        try {
            mapper.writeValueAsBytes(receipt);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("receipt could not be serialized", e);
        }
    }

    /** Rounds run at start. */
    public int rounds() {
        return rounds.get();
    }
}
