package dev.appointmentbridge.inbound;

import dev.appointmentbridge.config.InboundConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.event.CanonicalEvent;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.ForeignEventNames;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.poll.PollService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Clockwise.MD's pushes (docs/security.md, "Inbound adapters"): only {@code {"appointment_id", "event_type"}},
 * and Clockwise tells receivers to fetch the appointment from its REST API. A key linked to a source
 * ({@code bridge.inbound.clockwise.<key>.source}) does exactly that: the appointment is read from the source now
 * and diffed against its snapshot like a poll (full event data within the push's round trip; the next poll adds
 * nothing). A key without a source stores the push itself with its mapped type; a name the bridge does not map
 * is stored as {@code clockwise.<name>}, listed, never delivered. Clockwise sends no idempotency key or time, so
 * each unlinked push is stored (a retried push is stored twice).
 */
@ApplicationScoped
public class ClockwisePushService {

    static final String SOURCE = "clockwise";
    private static final Logger LOG = Logger.getLogger(ClockwisePushService.class);

    @Inject
    InboundConfig config;

    @Inject
    InboundEventService events;

    @Inject
    PollService polls;

    @Inject
    ObjectMapper mapper;

    /** What a linked push did, for its answer. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Fetched(String status, String message, String source, String appointmentId, int events) {
    }

    /**
     * A key linked to a source that does not exist or cannot read one appointment would answer every push with
     * "accepted" and fetch nothing: the start stops instead, naming the setting. Keys that are property names
     * (no {@code .key}) still work; the start says once how to move them into values, without naming them.
     */
    void checkLinks(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ignored) {
        config.clockwise().forEach((name, linked) -> linked.source().ifPresent(source -> {
            String problem = polls.cannotFetch(source);
            if (problem != null) {
                throw new IllegalStateException("bridge.inbound.clockwise.<name>.source=" + source + ": " + problem);
            }
        }));
        config.clockwise().forEach((name, entry) -> {
            // An empty value (an unset ${CLOCKWISE_KEY:}) reads as no .key at all: the entry's name, often a guessable
            // label, would then be taken as the key. Set but empty stops the start instead.
            boolean setEmpty = entry.key().isEmpty() && org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getConfigValue("bridge.inbound.clockwise." + name + ".key").getRawValue() != null;
            if (setEmpty || entry.key().filter(String::isBlank).isPresent()) {
                throw new IllegalStateException("bridge.inbound.clockwise.<name>.key is empty: set the key Clockwise.MD "
                        + "sends, or remove the entry");
            }
        });
        long named = config.clockwise().values().stream().filter(e -> e.key().isEmpty()).count();
        if (named > 0) {
            LOG.warnf("%d Clockwise key(s) are configured as property names (bridge.inbound.clockwise.<key>.*), which "
                    + "puts the secret into a property or environment variable name: move each to "
                    + "bridge.inbound.clockwise.<name>.key=<key> (any name; its .source stays) and have Clockwise.MD "
                    + "send it in an Authtoken header to POST /webhook/clockwise", named);
        }
    }

    /** The configured key the push carries; 401 when none matches (compared in constant time). */
    InboundConfig.ClockwiseKey authenticate(String presented) {
        byte[] given = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
        InboundConfig.ClockwiseKey found = null;
        for (Map.Entry<String, InboundConfig.ClockwiseKey> e : config.clockwise().entrySet()) {
            String key = e.getValue().key().orElse(e.getKey());
            if (MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), given) && e.getValue().enabled()) {
                found = e.getValue();
            }
        }
        if (presented == null || presented.isEmpty() || found == null) {
            throw new ApiException(401, "Missing or invalid Clockwise key", List.of(ErrorItem.of("header", "Authtoken",
                    "Send the key configured as bridge.inbound.clockwise.<name>.key in an Authtoken header (or in the"
                            + " URL, /webhook/clockwise/<key>)", "unauthorized")));
        }
        return found;
    }

    /** A push as Clockwise sends it: the appointment's id (text or integer) and its own event name. */
    public record Push(String appointmentId, String eventType) {
    }

    /** The push, validated; 422 listing every bad field. */
    Push read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.unprocessable("Invalid payload structure", List.of(new ErrorItem(List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")));
        }
        FieldChecks checks = new FieldChecks();
        JsonNode idNode = body.get("appointment_id");
        String appointmentId = idNode != null && idNode.isIntegralNumber() && idNode.asText().length() <= FieldChecks.ID_MAX
                ? idNode.asText() : checks.id(idNode, List.of("body", "appointment_id"), true);
        String name = PushNames.name(body.get("event_type"), List.of("body", "event_type"), checks);
        checks.throwIfAny("Invalid payload structure");
        return new Push(appointmentId, name);
    }

    /** A linked key's push: the appointment read from {@code source} now and diffed like a poll. Blocking. */
    Fetched fetch(String source, Push push) {
        PollService.FetchOutcome outcome = polls.fetch(source, push.appointmentId());
        if (outcome.result() == null) {
            return new Fetched("accepted", "Not fetched now (" + outcome.notDone() + ")" + (outcome.deferred() ? ""
                    : "; the next poll of " + source + " sees the change"), source, push.appointmentId(), 0);
        }
        LOG.infof("Clockwise push appointment=%s event=%s fetched from source=%s: %d events", push.appointmentId(),
                push.eventType(), source, outcome.result().eventCount());
        return new Fetched("success", "Fetched from " + source + " and compared with its last state", source,
                push.appointmentId(), outcome.result().eventCount());
    }

    /** An unlinked key's push, stored with its mapped type (or as clockwise.<name>). */
    CompletionStage<InboundEventService.Outcome> store(Push push) {
        return events.receive(stored(push.appointmentId(), push.eventType(),
                ForeignEventNames.fromClockwise(push.eventType())));
    }

    private NewEvent stored(String appointmentId, String name, Optional<EventType> type) {
        UUID uuid = UUID.randomUUID();
        String storedType = type.map(EventType::wireName).orElse(SOURCE + "." + name);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        CanonicalEvent event = new CanonicalEvent(uuid.toString(), storedType, SOURCE, now.toInstant().toString(),
                new CanonicalEvent.Appointment(appointmentId, null, null, null, null, null, null, null), null, null,
                "Clockwise.MD push: " + name, null);
        try {
            return new NewEvent(uuid, type.orElse(null), SOURCE, appointmentId, null, now, null, null,
                    "Clockwise.MD push: " + name, mapper.writeValueAsString(event),
                    type.isPresent() ? null : storedType);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical event could not be serialized", e);
        }
    }
}
