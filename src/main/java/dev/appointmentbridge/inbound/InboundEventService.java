package dev.appointmentbridge.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.GroupCommitEventLog;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.event.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Stores a received event once per idempotency key and answers with the contract's receipt. Created at start
 * ({@code @Startup}), so its counters exist at zero before the first push.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class InboundEventService {

    public static final String SOURCE = "inbound";
    private static final Logger LOG = Logger.getLogger(InboundEventService.class);
    private static final int KEY_MAX = 255;

    /** A stored or found event and whether this request created it. */
    public record Outcome(Receipt receipt, boolean created) {
    }

    @Inject
    GroupCommitEventLog eventLog;

    @Inject
    ObjectMapper mapper;

    private final Map<EventType, Counter> receivedCounters = new EnumMap<>(EventType.class);
    private final Counter unmappedCounter;

    @Inject
    InboundEventService(MeterRegistry registry) {
        for (EventType type : EventType.values()) {
            receivedCounters.put(type, Counter.builder("bridge.inbound.events").tag("type", type.wireName())
                    .description("Events received and stored, by type").register(registry));
        }
        unmappedCounter = Counter.builder("bridge.inbound.events").tag("type", "unmapped")
                .description("Events received and stored, by type").register(registry);
    }

    /**
     * Appends an event an adapter made of a push (Canvas, Clockwise): the same log, idempotency (its
     * {@code idempotencyKey} and {@code requestHash}), receipt and metrics as the receiving endpoint.
     */
    public CompletionStage<Outcome> receive(NewEvent event) {
        checkKey(event.idempotencyKey());
        return eventLog.append(event).thenApply(stored -> outcome(stored, event.requestHash(), true));
    }

    private static void checkKey(String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > KEY_MAX)) {
            throw ApiException.unprocessable("Invalid idempotency key", List.of(ErrorItem.of("header",
                    "Idempotency-Key", "Must be 1-" + KEY_MAX + " characters", "idempotency_key")));
        }
    }

    /** SHA-256 of the parts, hex: a push's fingerprint, to tell a retry from another event under one key. */
    public static String fingerprint(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible); // every JDK ships SHA-256
        }
    }

    public CompletionStage<Outcome> receive(InboundEvent event, String idempotencyKey) {
        checkKey(idempotencyKey);
        NewEvent newEvent = newEvent(event, idempotencyKey);
        return eventLog.append(newEvent).thenApply(stored -> outcome(stored, newEvent.requestHash(), true));
    }

    /**
     * A warm-up push ({@link ReceivePathWarmUp}): the same work and receipt as {@link #receive(InboundEvent, String)},
     * in a transaction that rolls back; nothing is stored, logged or counted.
     */
    CompletionStage<Outcome> rehearse(InboundEvent event) {
        NewEvent newEvent = newEvent(event, null);
        return eventLog.rehearse(newEvent).thenApply(stored -> outcome(stored, null, false));
    }

    /** The row a pushed event is stored as: a new uuid, its canonical JSON and, when keyed, its request hash. */
    private NewEvent newEvent(InboundEvent event, String idempotencyKey) {
        UUID uuid = UUID.randomUUID();
        String hash = idempotencyKey == null ? null : requestHash(event); // only a keyed retry is compared
        // Microseconds, as PostgreSQL stores them, so the payload and the event row agree to the digit.
        OffsetDateTime occurredAt = event.timestamp().truncatedTo(ChronoUnit.MICROS);
        return new NewEvent(uuid, event.type(), SOURCE, event.appointmentId(), event.patientId(), occurredAt,
                idempotencyKey, hash, event.notes(), canonicalJson(uuid, event, occurredAt));
    }

    private Outcome outcome(StoredEvent stored, String hash, boolean counted) {
        if (stored.duplicate() && !java.util.Objects.equals(stored.requestHash(), hash)) {
            throw new ApiException(409, "Idempotency key already used for a different event", List.of(
                    ErrorItem.of("header", "Idempotency-Key",
                            "This key was first used with event " + stored.id() + " and a different body",
                            "idempotency_conflict")));
        }
        if (counted && !stored.duplicate()) {
            EventType.fromWire(stored.type()).map(receivedCounters::get).orElse(unmappedCounter).increment();
            LOG.infof("Received event id=%d type=%s appointment=%s", stored.id(), stored.type(),
                    stored.appointmentId());
        }
        Receipt receipt = new Receipt("success", stored.duplicate() ? Receipt.ALREADY_STORED : Receipt.STORED,
                stored.id(), stored.receivedAt().toInstant().toString(),
                new Receipt.Data(stored.type(), stored.appointmentId(), stored.patientId()));
        return new Outcome(receipt, !stored.duplicate());
    }

    private String canonicalJson(UUID uuid, InboundEvent event, OffsetDateTime occurredAt) {
        CanonicalEvent canonical = new CanonicalEvent(uuid.toString(), event.type().wireName(), SOURCE,
                occurredAt.toInstant().toString(),
                new CanonicalEvent.Appointment(event.appointmentId(), null, null, null, null, null, null,
                        event.patientId()),
                null, new CanonicalEvent.Patient(event.patientId(), null, null), event.notes(), null);
        try {
            return mapper.writeValueAsString(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical event could not be serialized", e);
        }
    }

    /** Fingerprint of the request's content, to tell a retry from a reused key with another body. */
    private static String requestHash(InboundEvent e) {
        return fingerprint(e.type().wireName(), e.appointmentId(), e.patientId(), e.rawTimestamp(),
                e.notes() == null ? "" : e.notes());
    }
}
