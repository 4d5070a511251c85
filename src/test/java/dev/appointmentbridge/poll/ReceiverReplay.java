package dev.appointmentbridge.poll;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.diff.StatusClass;
import dev.appointmentbridge.event.EventType;

/**
 * What a receiver knows after replaying the events it got, in order, and the property tests' invariant (design.md,
 * "Diff rules"): that view equals each appointment's final upstream state.
 */
final class ReceiverReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as a receiver gets it. */
    record Received(EventType type, String appointmentId, String payload) {

        String reason() {
            return tree(payload).path("reason").asText(null);
        }
    }

    /** A receiver's view of one appointment. */
    record View(StatusClass status, String start, String provider) {
    }

    private ReceiverReplay() {
    }

    static Map<String, View> replay(List<Received> events) {
        Map<String, View> state = new HashMap<>();
        for (Received e : events) {
            JsonNode payload = tree(e.payload());
            JsonNode a = payload.path("appointment");
            String id = a.path("id").asText();
            String start = a.path("start").asText(null);
            String provider = a.path("provider_id").asText(null);
            switch (e.type()) {
                case SCHEDULED -> state.put(id, new View(StatusClass.ACTIVE, start, provider));
                case RESCHEDULED -> {
                    state.put(id, new View(StatusClass.ACTIVE, start, provider));
                    String previous = payload.path("previous").path("id").asText(id);
                    if (!previous.equals(id)) {
                        state.put(previous, new View(StatusClass.CANCELLED, null, null)); // rebooked: folded
                    }
                }
                case CANCELLED -> state.put(id, new View(StatusClass.CANCELLED, null, null));
                case NO_SHOW -> state.put(id, new View(StatusClass.NO_SHOW, null, null));
                case COMPLETED -> state.put(id, new View(StatusClass.FULFILLED, null, null));
                default -> throw new IllegalStateException();
            }
        }
        return state;
    }

    /**
     * Null when replaying {@code events} gives every appointment of {@code upstream} its final state, else what
     * differs (the first difference).
     */
    static String difference(UpstreamModel upstream, List<Received> events) {
        Map<String, View> received = replay(events);
        for (String id : upstream.everyId()) {
            UpstreamModel.Version up = upstream.current.get(id);
            StatusClass expected = up == null ? StatusClass.CANCELLED : StatusClass.of(up.status());
            View got = received.get(id);
            String where = "appointment " + id + ", upstream " + up + ", received " + got;
            if (got == null) {
                if (expected == StatusClass.ACTIVE) {
                    return "an active appointment was never announced: " + where;
                }
                continue;
            }
            if (got.status() != expected) {
                return "status " + got.status() + " where upstream ends " + expected + ": " + where;
            }
            if (expected == StatusClass.ACTIVE && (!Objects.equals(got.start(), up.start().toString())
                    || !Objects.equals(got.provider(), up.provider()))) {
                return "time or provider differ: " + where;
            }
        }
        return null;
    }

    static String summary(List<Received> events) {
        StringBuilder s = new StringBuilder();
        for (Received e : events) {
            s.append(e.appointmentId()).append(':').append(e.type().wireName().substring(12)).append(' ');
        }
        return s.toString();
    }

    private static JsonNode tree(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
