package dev.appointmentbridge.poll.window;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.appointmentbridge.source.WindowScope;

/**
 * The searches of one window scan or sweep (docs/polling.md, "FHIR servers without a change filter"): scopes × slices,
 * slice by slice from the window's start (every scope of a slice, then the next slice), so unit {@code i} is the same search for as long as the
 * plan's start is kept (a sweep spread over cycles keeps its start and its next unit's index).
 *
 * <p>Slices are aligned to multiples of their length since the epoch: slice {@code 2026-12-03T00:00Z} is the same
 * slice every day it is in the window, so its last complete scan is a fair floor for the next one
 * ({@code window.min-ratio}). Without a slice length the window is one search per scope, unaligned, and its floor
 * is kept under {@link #WHOLE_WINDOW}.
 */
public record WindowPlan(List<WindowScope> scopes, Duration slice, Instant from, Instant to, int slices) {

    /** The floor key of a window searched in one piece (a JSON source without window.slice). */
    static final Instant WHOLE_WINDOW = Instant.EPOCH;

    /** One search: a scope and a slice, and the key its floor is kept under. */
    record Unit(WindowScope scope, Instant from, Instant to, Instant key) {

        /** For notes: {@code location:21304876 2026-12-03T00:00:00Z}. */
        String label() {
            return scope + (key.equals(WHOLE_WINDOW) ? "" : " " + from);
        }
    }

    /** The plan for [now − back, now + ahead]; with slices its ends are widened to slice boundaries. */
    public static WindowPlan of(List<WindowScope> scopes, Duration slice, Instant now, Duration back, Duration ahead) {
        Instant from = now.minus(back);
        Instant to = now.plus(ahead);
        if (slice == null) {
            return new WindowPlan(scopes, null, from, to, 1);
        }
        long length = slice.toSeconds();
        long start = Math.floorDiv(from.getEpochSecond(), length) * length;
        long end = -Math.floorDiv(-to.getEpochSecond(), length) * length;
        return new WindowPlan(scopes, slice, Instant.ofEpochSecond(start), Instant.ofEpochSecond(end),
                (int) Math.max(1, (end - start) / length));
    }

    public int size() {
        return scopes.size() * slices;
    }

    /**
     * The index of the search that covers an appointment with these references starting at {@code start}, or -1
     * when no search of this plan does (an unwatched scope, outside the window, no start).
     */
    int indexOf(String locationId, String providerId, String patientId, Instant start) {
        if (start == null || start.isBefore(from) || !start.isBefore(to)) {
            return -1;
        }
        int slice = this.slice == null ? 0 : (int) Duration.between(from, start).dividedBy(this.slice);
        for (int s = 0; s < scopes.size(); s++) {
            if (scopes.get(s).holds(locationId, providerId, patientId)) {
                return slice * scopes.size() + s;
            }
        }
        return -1;
    }

    /** The index of one of this plan's searches. */
    int indexOf(Unit unit) {
        int slice = this.slice == null ? 0 : (int) Duration.between(from, unit.from()).dividedBy(this.slice);
        return slice * scopes.size() + scopes.indexOf(unit.scope());
    }

    public Unit unit(int i) {
        WindowScope scope = scopes.get(i % scopes.size());
        if (slice == null) {
            return new Unit(scope, from, to, WHOLE_WINDOW);
        }
        Instant start = from.plus(slice.multipliedBy(i / scopes.size()));
        return new Unit(scope, start, start.plus(slice), start);
    }
}
