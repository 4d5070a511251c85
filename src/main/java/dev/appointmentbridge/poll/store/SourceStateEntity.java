package dev.appointmentbridge.poll.store;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The {@code source_state} table, the one mapping of it: the poll cycle writes it through this entity
 * ({@link SourceStateStore}, bulk HQL on a StatelessSession), the operator view and the health group read it.
 */
@Entity
@Table(name = "source_state")
public class SourceStateEntity extends PanacheEntityBase {

    @Id
    public String name;

    @Column(name = "cursor_at")
    public OffsetDateTime cursorAt;

    /** {@code mode=sync-token}: the token the last complete listing ended with; null: list everything next. */
    @Column(name = "sync_token")
    public String syncToken;

    @Column(name = "baseline_done")
    public boolean baselineDone;

    @Column(name = "last_poll_at")
    public OffsetDateTime lastPollAt;

    @Column(name = "last_success_at")
    public OffsetDateTime lastSuccessAt;

    @Column(name = "last_result")
    public String lastResult;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "last_records")
    public int lastRecords;

    @Column(name = "last_events")
    public int lastEvents;

    @Column(name = "polls_ok")
    public long pollsOk;

    @Column(name = "polls_failed")
    public long pollsFailed;

    @Column(name = "events_total")
    public long eventsTotal;

    @Column(name = "history_cursor_at")
    public OffsetDateTime historyCursorAt;

    @Column(name = "deletes_off_reason")
    public String deletesOffReason;

    /** Window mode: what the last scan concluded, or why it concluded nothing. */
    @Column(name = "window_note")
    public String windowNote;

    /**
     * When the first sync's first attempt began: the time tracking of this source began. Bookings
     * changed since then are announced when their slice enters the window (review: set at the first sync's end,
     * a booking made during a minutes-long first scan was never announced).
     */
    @Column(name = "baseline_at")
    public OffsetDateTime baselineAt;

    /** Window mode: the start of the last scan whose every search was complete and concluded. */
    @Column(name = "complete_through_at")
    public OffsetDateTime completeThroughAt;

    /** Cursor sources: when the next reconciliation sweep is due; null until the first sync is done. */
    @Column(name = "sweep_due_at")
    public OffsetDateTime sweepDueAt;

    /** The start of the window of the sweep under way; null when none is. */
    @Column(name = "sweep_from")
    public OffsetDateTime sweepFrom;

    /** The sweep's next search (scopes × slices, {@code WindowPlan} order). */
    @Column(name = "sweep_next_unit")
    public int sweepNextUnit;

    @Column(name = "sweep_started_at")
    public OffsetDateTime sweepStartedAt;

    /** What the sweep found so far, or why it could not look. */
    @Column(name = "sweep_note")
    public String sweepNote;

    /** Fencing token: grows with every claim of the source; every page commit checks it. */
    public long fence;

    /** Which replica (host:pid) holds the lease. */
    @Column(name = "lease_owner")
    public String leaseOwner;

    /** The lease runs out then (the database's clock); null when released. */
    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
}
