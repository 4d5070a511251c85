package dev.appointmentbridge.poll;

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

    /** Window mode: items in the last complete scan; null before the first. */
    @Column(name = "window_items")
    public Integer windowItems;

    /** Window mode: what the last scan concluded, or why it concluded nothing. */
    @Column(name = "window_note")
    public String windowNote;

    /** Fencing token: grows with every claim of the source; every page commit checks it. */
    public long fence;

    /** Which replica (host:pid) holds the lease. */
    @Column(name = "lease_owner")
    public String leaseOwner;

    /** The lease runs out then (the database's clock); null when released. */
    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
}
