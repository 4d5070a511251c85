package dev.appointmentbridge.poll.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.PoisonRecord;

/**
 * Everything one page changes, written in one transaction with the cursor (docs/polling.md, "Commit per page").
 *
 * <p>{@code emits} is in order: new events, and {@code Release} markers that append a held cancellation at
 * that point (a later event of the same appointment must not overtake it). Cancellations are held, not
 * emitted, until the cycle ends, because a later page may show the appointment was rebooked ({@code hold});
 * {@code dropHeld} discards held cancellations folded into a rebooking.
 */
public final class PageCommit {

    /** An event to append, or a held cancellation to append at this point. */
    public sealed interface Emit {
    }

    public record New(NewEvent event) implements Emit {
    }

    public record Release(String appointmentId) implements Emit {
    }

    public final List<Snapshot> inserts = new ArrayList<>();
    public final List<Snapshot> updates = new ArrayList<>();
    public final List<Emit> emits = new ArrayList<>();
    public final List<NewEvent> hold = new ArrayList<>();
    public final List<String> dropHeld = new ArrayList<>();
    public final List<PoisonRecord> quarantine = new ArrayList<>();
    public final List<String> unquarantine = new ArrayList<>();
    /** The new cursor, or null to leave it. */
    public Instant cursor;
    /** Where reading {@code _history} starts, stored only while the source has none yet (its first cycle). */
    public Instant firstHistoryCursor;
}
