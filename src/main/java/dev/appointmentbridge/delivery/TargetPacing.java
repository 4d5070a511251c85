package dev.appointmentbridge.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-target pacing after a receiver asked the bridge to slow down (a {@code 429}, or a {@code 503} with
 * {@code Retry-After}): no request to that target until the time it asked for, then one request in flight, doubled
 * after each success until the target's own {@code max-in-flight} is reached again (slow start). Without it, every
 * delivery already due would hit the limit again the moment the wait ends. In memory: each replica paces its own
 * requests.
 *
 * <p>Written from the Vert.x event loops (answers) and read by the dispatcher (claims): each target's state is one
 * immutable value swapped atomically.
 */
final class TargetPacing {

    /**
     * {@code allowance}: requests the target may have in flight now. {@code since}: when it last asked to slow down;
     * an answer to a request sent before that says nothing about the limit now. {@code streak}: slow-downs in a row
     * without a success between them.
     */
    private record State(Instant pausedUntil, int allowance, Instant since, int streak) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** How many times in a row the target has asked to slow down, this answer included once recorded. */
    /** Forgets the target's pause and slow start. */
    void resume(String target) {
        states.remove(target);
    }

    int streak(String target) {
        State s = states.get(target);
        return s == null ? 0 : s.streak();
    }

    /** The target asked at {@code at} for a wait until {@code until}: nothing goes out before it, then one at a time. */
    void slowDown(String target, Instant at, Instant until) {
        states.merge(target, new State(until, 1, at, 1), (old, asked) -> new State(
                old.pausedUntil().isAfter(until) ? old.pausedUntil() : until, 1, at, old.streak() + 1));
    }

    /**
     * A request sent at {@code sent} was answered 2xx: the target may take twice as many at once, up to {@code max}
     * (then it is no longer paced). Answers to requests sent before the last slow-down are not counted.
     */
    void succeeded(String target, Instant sent, int max, Instant now) {
        states.computeIfPresent(target, (t, s) -> {
            if (sent.isBefore(s.since())) {
                return s;
            }
            int doubled = s.allowance() * 2;
            return doubled >= max && !s.pausedUntil().isAfter(now) ? null
                    : new State(s.pausedUntil(), Math.min(doubled, max), s.since(), 0);
        });
    }

    /** Until when the target asked to be left alone, or null when it may be sent to now. */
    Instant pausedUntil(String target, Instant now) {
        State s = states.get(target);
        return s == null || !s.pausedUntil().isAfter(now) ? null : s.pausedUntil();
    }

    /** How many more requests the target may take now, given {@code room} by the other limits. */
    int room(String target, int room, int inFlight) {
        State s = states.get(target);
        return s == null ? room : Math.min(room, s.allowance() - inFlight);
    }
}
