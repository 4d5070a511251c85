package dev.appointmentbridge.inbound.hl7;

import dev.appointmentbridge.common.NativeColumn;
import dev.appointmentbridge.common.Hl7Acks;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.hibernate.StatelessSession;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.event.EventRejectedException;
import dev.appointmentbridge.config.InboundConfig;
import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.inbound.InboundEventService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Takes one HL7 v2 message (ER7), over MLLP or HTTP: parses it with HAPI HL7v2, maps an SIU trigger to an event
 * (S12 scheduled, S13 rescheduled, S14 rescheduled when its time or resources differ from the last one stored, S15
 * cancelled, S17 cancelled as deleted, S26 no-show; any other SIU trigger is stored and listed, not delivered),
 * stores it, and only then answers {@code MSA|AA}. As HL7 table 0008 has it: a message that cannot be read gets
 * {@code AE} (an error in the message; sending it again does not help) and stores nothing; one that could not be
 * stored gets {@code AR} (rejected for a reason unrelated to its content), so the sender sends it again. A resend (the same MSH-10 from the
 * same MSH-3/MSH-4) is acknowledged and stored once.
 */
@ApplicationScoped
public class Hl7v2Intake {

    /** What every HL7 v2 source name starts with; each sender is its own source (SiuMessage.source). */
    public static final String SOURCE = "hl7v2";

    private static final Logger LOG = Logger.getLogger(Hl7v2Intake.class);

    /** The newest stored event of an appointment from this feed, other than the message's own (a resend). */
    private static final String LAST = """
            SELECT payload FROM event
             WHERE source = :source AND appointment_id = :appointment
               AND idempotency_key IS DISTINCT FROM :key AND type LIKE 'appointment.%'
             ORDER BY id DESC LIMIT 1""";

    /** The answer to send back, whether the message is stored, and whether sending it again may help. */
    public record Ack(String er7, boolean accepted, boolean retry) {
    }

    @Inject
    InboundEventService events;

    @Inject
    InboundConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    StatelessSession session;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private PipeParser parser;

    private ZoneId zone;

    @PostConstruct
    void init() {
        zone = Hl7Times.zone(config.hl7v2().zone());
        HapiContext context = new DefaultHapiContext();
        // Every version into the 2.5 structures, every SIU into SIU_S12; fields are checked here, not by HAPI's rules.
        context.setModelClassFactory(new SiuModelClassFactory());
        context.setValidationContext(ValidationContextFactory.noValidation());
        // ACK control ids from a UUID: HAPI's default writes a counter file (id_file) into the working directory,
        // and two replicas, or two pods from one image, would hand out the same ids.
        context.getParserConfiguration().setIdGenerator(() -> UUID.randomUUID().toString().replace("-", "")
                .substring(0, 20));
        parser = context.getPipeParser();
    }

    /** Made at start, so a bad bridge.inbound.hl7v2.zone stops the start instead of failing every message. */
    void startup(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ignored) {
    }

    /** Blocking (parse, one query): call off the event loop. Never throws. */
    public CompletionStage<Ack> receive(String er7) {
        if (er7.getBytes(StandardCharsets.UTF_8).length > config.hl7v2().maxMessageBytes()) {
            return done(Hl7Acks.raw(er7, "AE", "message larger than bridge.inbound.hl7v2.max-message-bytes ("
                    + config.hl7v2().maxMessageBytes() + ")"), false);
        }
        String received = Er7Frames.normalize(er7);
        String several = Er7Frames.notOneMessage(received);
        if (several != null) { // all or nothing: never one acknowledged while another is dropped
            return done(Hl7Acks.raw(received, "AE", several), false);
        }
        Message message;
        try {
            message = parser.parse(received);
        } catch (HL7Exception | RuntimeException e) {
            return done(Hl7Acks.raw(received, "AE", "not a readable HL7 v2 message: " + Hl7Acks.reason(e)), false);
        }
        SiuMessage siu;
        try {
            siu = SiuMessage.read(message, zone);
            key(siu);
        } catch (SiuException e) {
            return done(ack(message, received, AcknowledgmentCode.AE, e.getMessage(), e.code()), false);
        } catch (HL7Exception | RuntimeException e) {
            return done(ack(message, received, AcknowledgmentCode.AE, "not a readable SIU message: " + Hl7Acks.reason(e),
                    ErrorCode.DATA_TYPE_ERROR), false);
        }
        return store(message, received, siu, true);
    }

    /**
     * Keys, builds and stores the message; answers when it is stored or refused. {@code againOnConflict}: another
     * message may have taken the key between looking and storing (a cloned channel sending the same control ids at
     * once); the key is then looked up once more, off the writer's thread, and a reused id gets its own.
     */
    private CompletionStage<Ack> store(Message message, String received, SiuMessage siu, boolean againOnConflict) {
        NewEvent event;
        try {
            // a control id reused for another message gets a key of its own; event() reads the appointment's last
            // stored event: the database may be away
            event = event(siu, controlIdKey(siu));
        } catch (SiuException e) {
            return done(ack(message, received, AcknowledgmentCode.AE, e.getMessage(), e.code()), false);
        } catch (RuntimeException e) {
            LOG.warnf("HL7 v2 message not stored (%s); answered AR so the sender sends it again",
                    e.getClass().getSimpleName());
            return CompletableFuture.completedFuture(new Ack(ack(message, received, AcknowledgmentCode.AR,
                    "not stored, send it again", ErrorCode.APPLICATION_INTERNAL_ERROR), false, true));
        }
        CompletionStage<InboundEventService.Outcome> stored;
        try {
            stored = events.receive(event);
        } catch (ApiException e) {
            return done(ack(message, received, AcknowledgmentCode.AE, e.getMessage(), ErrorCode.DATA_TYPE_ERROR), false);
        }
        return stored.handle((outcome, failure) -> failure).thenCompose(failure -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(new Ack(ack(message, received, AcknowledgmentCode.AA, null,
                        null), true, false));
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof ApiException api && api.status() == 409) {
                if (againOnConflict && siu.occurredAt() != null) {
                    return CompletableFuture.supplyAsync(() -> store(message, received, siu, false),
                            io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                            .thenCompose(java.util.function.Function.identity());
                }
                return CompletableFuture.completedFuture(new Ack(ack(message, received, AcknowledgmentCode.AE,
                        "MSH-10 " + siu.controlId() + " was used before for a different message with "
                                + (siu.occurredAt() == null ? "no MSH-7 to tell them apart" : "the same MSH-7"),
                        ErrorCode.DUPLICATE_KEY_IDENTIFIER), false, false));
            }
            if (cause instanceof EventRejectedException rejected) { // the content, not the moment: never resend
                return CompletableFuture.completedFuture(new Ack(ack(message, received, AcknowledgmentCode.AE,
                        "a field holds what the database cannot store (SQLSTATE " + rejected.sqlState() + ")",
                        ErrorCode.DATA_TYPE_ERROR), false, false));
            }
            LOG.warnf("HL7 v2 message not stored (%s); answered AR so the sender sends it again",
                    cause.getClass().getSimpleName());
            return CompletableFuture.completedFuture(new Ack(ack(message, received, AcknowledgmentCode.AR,
                    "not stored, send it again", ErrorCode.APPLICATION_INTERNAL_ERROR), false, true));
        });
    }

    /** A resend is the same MSH-3, MSH-4 and MSH-10. */
    private static String key(SiuMessage siu) {
        String key = SOURCE + ":" + siu.sender() + ":" + siu.controlId();
        if (key.length() > 255) {
            throw new SiuException("MSH-3, MSH-4 and MSH-10 together are longer than 255 characters",
                    ErrorCode.DATA_TYPE_ERROR);
        }
        return key;
    }

    /**
     * The message's key: its sender and control id, as a resend carries them. Engines reuse control ids (a restart,
     * a reinstall, a cloned channel): when a stored message has the key, different content and a different MSH-7,
     * this is a new message, stored under the key and its content's hash (which leaves MSH-7 out, so a resend of it
     * has the same key however its engine stamps it again), with a WARN and
     * {@code bridge_hl7v2_reused_control_ids_total}. Same MSH-7 (or none) and different content stays a conflict.
     */
    private String controlIdKey(SiuMessage siu) {
        String key = key(siu);
        if (siu.occurredAt() == null) {
            return key;
        }
        List<Object[]> stored = QuarkusTransaction.requiringNew().call(() -> session.createNativeQuery("""
                SELECT request_hash, occurred_at FROM event WHERE source = :source AND idempotency_key = :key""",
                Object[].class).addScalar("request_hash", String.class).addScalar("occurred_at", OffsetDateTime.class)
                .setParameter("source", siu.source()).setParameter("key", key).getResultList());
        if (stored.isEmpty() || hash(siu).equals(stored.get(0)[0])) {
            return key; // new, or a resend
        }
        OffsetDateTime before = (OffsetDateTime) stored.get(0)[1];
        if (before.toInstant().equals(siu.occurredAt().truncatedTo(ChronoUnit.MICROS).toInstant())) {
            return key; // the same MSH-7: a conflict, answered AE by the store
        }
        String reused = key + "#" + hash(siu); // the column is text: no length to exceed
        boolean known = !QuarkusTransaction.requiringNew().call(() -> NativeColumn.select(session, """
                SELECT 1 AS one FROM event WHERE source = :source AND idempotency_key = :key""", "one", Integer.class)
                .setParameter("source", siu.source()).setParameter("key", reused).getResultList()).isEmpty();
        if (known) {
            return reused; // a resend of the message that reused the id
        }
        registry.counter("bridge.hl7v2.reused.control.ids").increment(); // no sender tag: senders name themselves
        LOG.warnf("HL7 v2 control id %s from %s was used before for another message (MSH-7 %s, now %s): stored as a"
                + " new message", siu.controlId(), siu.sender(), before.toInstant(), siu.occurredAt().toInstant());
        return reused;
    }

    /**
     * The message's own fields but MSH-7: a resend is the same message whatever time its engine stamps on it again;
     * a control id reused for another message differs in its content.
     */
    private static String hash(SiuMessage siu) {
        return InboundEventService.fingerprint(siu.source(), siu.withoutTime().toString());
    }

    private NewEvent event(SiuMessage siu, String key) {
        String source = siu.source();
        CanonicalEvent.Appointment now = new CanonicalEvent.Appointment(siu.appointmentId(), null,
                iso(siu.start()), iso(siu.end()), siu.durationMinutes(), siu.providerId(), siu.locationId(),
                siu.patientId());
        CanonicalEvent.Appointment before = switch (siu.trigger()) {
            case "S13", "S14" -> last(source, siu.appointmentId(), key);
            default -> null;
        };
        Optional<EventType> type = switch (siu.trigger()) {
            case "S12" -> Optional.of(EventType.SCHEDULED);
            case "S13" -> Optional.of(EventType.RESCHEDULED);
            case "S14" -> before != null && same(before, now) ? Optional.empty() : Optional.of(EventType.RESCHEDULED);
            case "S15", "S17" -> Optional.of(EventType.CANCELLED);
            case "S26" -> Optional.of(EventType.NO_SHOW);
            default -> Optional.empty();
        };
        String storedType = type.map(EventType::wireName).orElse(SOURCE + ".SIU^" + siu.trigger());
        OffsetDateTime occurredAt = (siu.occurredAt() != null ? siu.occurredAt() : OffsetDateTime.now())
                .truncatedTo(ChronoUnit.MICROS);
        UUID uuid = UUID.randomUUID();
        CanonicalEvent canonical = new CanonicalEvent(uuid.toString(), storedType, source,
                occurredAt.toInstant().toString(), now, type.orElse(null) == EventType.RESCHEDULED ? before : null,
                siu.patientId() == null ? null : new CanonicalEvent.Patient(siu.patientId(), null, null), null,
                "S17".equals(siu.trigger()) ? CanonicalEvent.REASON_DELETED : null);
        String payload;
        try {
            payload = mapper.writeValueAsString(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical event could not be serialized", e);
        }
        // The message's own fields, not what is derived from them (the time of receipt when MSH-7 is empty, the
        // previous event, an S14's type): a resend must match the stored message whatever arrived in between.
        String hash = hash(siu);
        return new NewEvent(uuid, type.orElse(null), source, siu.appointmentId(), siu.patientId(), occurredAt, key,
                hash, null, payload, type.isPresent() ? null : storedType);
    }

    private CanonicalEvent.Appointment last(String source, String appointmentId, String key) {
        List<String> rows = QuarkusTransaction.requiringNew().call(() -> NativeColumn.values(NativeColumn.select(session, LAST, "payload", String.class)
                .setParameter("source", source).setParameter("appointment", appointmentId).setParameter("key", key)
                .getResultList(), String.class));
        if (rows.isEmpty()) {
            return null;
        }
        try {
            return mapper.readValue(rows.get(0), CanonicalEvent.class).appointment();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Whether {@code now} changes nothing {@code before} had: a field the message leaves out changes nothing. */
    private static boolean same(CanonicalEvent.Appointment before, CanonicalEvent.Appointment now) {
        return unchanged(before.start(), now.start()) && unchanged(before.end(), now.end())
                && unchanged(before.providerId(), now.providerId())
                && unchanged(before.locationId(), now.locationId());
    }

    private static boolean unchanged(String before, String now) {
        return now == null || Objects.equals(before, now);
    }

    private static String iso(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    /** The acknowledgement; a refusal carries its reason and its HL7 table 0357 code in ERR. */
    private String ack(Message message, String received, AcknowledgmentCode code, String text, ErrorCode error) {
        try {
            Message ack = text == null ? message.generateACK() : message.generateACK(code, new HL7Exception(text,
                    error == null ? ErrorCode.APPLICATION_INTERNAL_ERROR : error));
            return parser.encode(ack);
        } catch (HL7Exception | java.io.IOException | RuntimeException e) {
            return Hl7Acks.raw(received, code.name(), text);
        }
    }

    private static CompletionStage<Ack> done(String er7, boolean accepted) {
        return CompletableFuture.completedFuture(new Ack(er7, accepted, false));
    }
}
