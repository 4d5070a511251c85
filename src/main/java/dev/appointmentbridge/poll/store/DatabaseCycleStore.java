package dev.appointmentbridge.poll.store;

import dev.appointmentbridge.common.NativeColumn;
import dev.appointmentbridge.poll.store.PageCommit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hibernate.StatelessSession;
import org.jboss.logging.Logger;

import dev.appointmentbridge.event.EventInserter;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.snapshot.SnapshotStore;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.WindowScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The poll cycle's state in PostgreSQL. Each method is one JTA transaction on a {@code StatelessSession}:
 * snapshots, held cancellations and quarantine through their entity mappings, events and outbox rows through
 * {@link EventInserter} on the same connection, the lease and cursors through {@link SourceStateEntity}. Every write
 * first checks the lease's fencing token, so a replica that lost its lease writes nothing.
 */
@ApplicationScoped
public class DatabaseCycleStore implements CycleStore, WindowStore {

    private static final Logger LOG = Logger.getLogger(DatabaseCycleStore.class);

    @Inject
    StatelessSession session;

    @Inject
    EventInserter events;

    @Override
    public Optional<Lease> acquire(String source, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> SourceStateStore.acquire(session, source, lease));
    }

    @Override
    public PageCommit page(Lease lease, Collection<String> ids, PageWork work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            PageCommit commit = work(lease, ids, work);
            SourceStateStore.renew(session, lease, commit.cursor, commit.firstHistoryCursor);
            SnapshotStore.write(session, lease.source(), commit.inserts, commit.updates, now);
            if (!commit.dropHeld.isEmpty()) {
                PageRows.deleteHeld(session, lease.source(), commit.dropHeld);
            }
            List<NewEvent> ordered = PageRows.resolve(session, lease.source(), commit.emits);
            if (!ordered.isEmpty()) {
                events.insert(ordered);
            }
            if (!commit.hold.isEmpty()) {
                session.insertMultiple(commit.hold.stream().map(e -> PageRows.held(e, now)).toList());
            }
            PageRows.quarantine(session, lease.source(), commit, now);
            return commit;
        });
    }

    private PageCommit work(Lease lease, Collection<String> ids, PageWork work) {
        Map<String, Snapshot> known = SnapshotStore.load(session, lease.source(), ids);
        Set<String> held = new HashSet<>(session.createSelectionQuery(
                "select appointmentId from HeldCancellationEntity where source = :source", String.class)
                .setParameter("source", lease.source()).getResultList());
        return work.diff(known, held);
    }

    @Override
    public Map<String, Snapshot> load(Lease lease, Collection<String> ids) {
        return QuarkusTransaction.requiringNew().call(() -> SnapshotStore.load(session, lease.source(), ids));
    }

    @Override
    public List<EventType> finish(Lease lease, Instant historyCursor, Instant completeThrough, int records,
            int eventCount) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<EventType> released = appendHeld(lease);
            SourceStateStore.finish(session, lease, historyCursor, completeThrough, records,
                    eventCount + released.size());
            return released;
        });
    }

    @Override
    public List<EventType> releaseHeld(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<EventType> released = appendHeld(lease);
            SourceStateStore.release(session, lease);
            return released;
        });
    }

    @Override
    public List<EventType> releaseLeftover(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> appendHeld(lease));
    }

    /** How many cancellations of the source are held now (bridge_poll_held_cancellations). */
    public long heldCount(String source) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                "select count(*) from HeldCancellationEntity where source = :source", Long.class)
                .setParameter("source", source).getSingleResult());
    }

    /** Appends the source's held cancellations in the order they were held; checks the lease first. */
    private List<EventType> appendHeld(Lease lease) {
        SourceStateStore.renew(session, lease, null, null);
        List<HeldCancellationEntity> held = session.createSelectionQuery(
                "from HeldCancellationEntity where source = :source order by heldAt, appointmentId",
                HeldCancellationEntity.class).setParameter("source", lease.source()).getResultList();
        List<NewEvent> released = held.stream().map(h -> PageRows.event(lease.source(), h)).toList();
        if (!released.isEmpty()) {
            events.insert(released);
            session.createMutationQuery("delete from HeldCancellationEntity where source = :source")
                    .setParameter("source", lease.source()).executeUpdate();
        }
        return released.stream().map(NewEvent::type).toList();
    }

    @Override
    public void disableDeletes(Lease lease, String reason) {
        LOG.warnf("Source %s: delete detection turned off: %s", lease.source(), reason);
        QuarkusTransaction.requiringNew().run(() -> SourceStateStore.disableDeletes(session, lease.source(), reason));
    }

    @Override
    public void abandon(Lease lease) {
        try {
            QuarkusTransaction.requiringNew().run(() -> SourceStateStore.release(session, lease));
        } catch (RuntimeException e) {
            // The lease then simply runs out.
            LOG.debugf("Could not release the lease of %s: %s", lease.source(), e.getClass().getSimpleName());
        }
    }

    @Override
    public List<String> openStartingIn(Lease lease, WindowScope scope, Instant from, Instant to) {
        return QuarkusTransaction.requiringNew().call(() -> SnapshotStore.openStartingIn(session, lease.source(),
                scope.param(), scope.value(), from, to));
    }

    @Override
    public Floor floor(Lease lease, WindowScope scope, Instant sliceKey) {
        return QuarkusTransaction.requiringNew().call(() -> {
            WindowSliceEntity.Key key = new WindowSliceEntity.Key();
            key.source = lease.source();
            key.scope = scope.toString();
            key.sliceStart = sliceKey;
            WindowSliceEntity slice = session.get(WindowSliceEntity.class, key);
            return slice == null ? null : new Floor(slice.completeItems, slice.shortItems);
        });
    }

    @Override
    public void recordFloor(Lease lease, WindowScope scope, Instant sliceKey, Floor floor) {
        QuarkusTransaction.requiringNew().run(() -> {
            session.createMutationQuery("""
                    insert into WindowSliceEntity (source, scope, sliceStart, completeItems, shortItems, scannedAt)
                    values (:source, :scope, :slice, :complete, :short, :now)
                    on conflict (source, scope, sliceStart) do update set completeItems = excluded.completeItems,
                           shortItems = excluded.shortItems, scannedAt = excluded.scannedAt""")
                    .setParameter("source", lease.source()).setParameter("scope", scope.toString())
                    .setParameter("slice", sliceKey).setParameter("complete", floor.complete())
                    .setParameter("short", floor.lastShort(), Integer.class).setParameter("now", Instant.now())
                    .executeUpdate();
        });
    }

    /** Slices that left the window long ago keep no floor: once per scan or sweep step, not per slice. */
    private void dropStaleFloors(String source) {
        session.createMutationQuery("delete from WindowSliceEntity where source = :source and scannedAt < :stale")
                .setParameter("source", source).setParameter("stale", Instant.now().minus(STALE_FLOOR))
                .executeUpdate();
    }

    /** A slice not scanned for this long has left every window; its floor is dropped. */
    private static final Duration STALE_FLOOR = Duration.ofDays(400);

    @Override
    public void recordScan(Lease lease, String note, Instant completeThrough) {
        QuarkusTransaction.requiringNew().run(() -> {
            SourceStateStore.recordScan(session, lease, note, completeThrough);
            dropStaleFloors(lease.source());
        });
    }

    @Override
    public Instant trackedSince(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> SourceStateStore.baselineAt(session, lease.source()));
    }

    @Override
    public Sweep sweep(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> SourceStateStore.sweep(session, lease.source()));
    }

    @Override
    public void recordSweep(Lease lease, Sweep sweep, String note) {
        QuarkusTransaction.requiringNew().run(() -> {
            SourceStateStore.recordSweep(session, lease, sweep, note);
            dropStaleFloors(lease.source());
        });
    }

    @Override
    public Set<String> pendingRemovals(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> new HashSet<>(session.createSelectionQuery(
                "select appointmentId from PendingRemovalEntity where source = :source", String.class)
                .setParameter("source", lease.source()).getResultList()));
    }

    @Override
    public void holdRemovals(Lease lease, Collection<String> ids, String reason, String why) {
        QuarkusTransaction.requiringNew().run(() -> {
            SourceStateStore.renew(session, lease, null, null);
            Instant now = Instant.now();
            for (String id : ids) {
                session.createMutationQuery("""
                        insert into PendingRemovalEntity (source, appointmentId, reason, why, heldAt)
                        values (:source, :id, :reason, :why, :now) on conflict (source, appointmentId) do nothing""")
                        .setParameter("source", lease.source()).setParameter("id", id).setParameter("reason", reason)
                        .setParameter("why", why).setParameter("now", now).executeUpdate();
            }
        });
    }

    /** Pending removals of the source held at or before {@code through}, oldest first. */
    public List<PendingRemovalEntity> pendingThrough(Lease lease, Instant through) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                "from PendingRemovalEntity where source = :source and heldAt <= :through order by heldAt, appointmentId",
                PendingRemovalEntity.class).setParameter("source", lease.source()).setParameter("through", through)
                .getResultList());
    }

    /**
     * After an operator confirmed: drops the confirmed rows, and takes each slice's last short answer as its size
     * (the operator said the window really shrank), so the next scans compare with it.
     */
    public void confirmedRemovals(Lease lease, Collection<String> ids) {
        QuarkusTransaction.requiringNew().run(() -> {
            SourceStateStore.renew(session, lease, null, null);
            if (!ids.isEmpty()) {
                session.createMutationQuery(
                        "delete from PendingRemovalEntity where source = :source and appointmentId in :ids")
                        .setParameter("source", lease.source()).setParameterList("ids", ids).executeUpdate();
            }
            session.createMutationQuery("""
                    update WindowSliceEntity set completeItems = shortItems, shortItems = null
                     where source = :source and shortItems is not null""")
                    .setParameter("source", lease.source()).executeUpdate();
        });
    }

    /** Clears every source's "delete detection off" flag, so the next cycle asks {@code _history} again. */
    public void retryDeleteDetection() {
        try {
            QuarkusTransaction.requiringNew().call(() -> SourceStateStore.retryDeleteDetection(session));
        } catch (RuntimeException e) {
            LOG.warnf("Could not reset delete detection: %s", e.getClass().getSimpleName());
        }
    }

    /**
     * The source's complete-through watermark: a window source's start of its last complete scan, a
     * cursor source's cursor; null before either is known.
     */
    public Instant completeThrough(String source) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SourceStateEntity s = session.get(SourceStateEntity.class, source);
            if (s == null) {
                return null;
            }
            java.time.OffsetDateTime at = s.completeThroughAt != null ? s.completeThroughAt : s.cursorAt;
            return at == null ? null : at.toInstant();
        });
    }

    @Override
    public boolean announced(String source, String appointmentId) {
        return QuarkusTransaction.requiringNew().call(() -> !NativeColumn.select(session,
                "SELECT 1 AS one FROM event WHERE source = :source AND appointment_id = :appointment LIMIT 1", "one",
                Integer.class)
                .setParameter("source", source).setParameter("appointment", appointmentId).getResultList().isEmpty());
    }

    /** Whether the source's first sync has completed, on any replica. */
    public boolean firstSyncDone(String source) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SourceStateEntity s = session.get(SourceStateEntity.class, source);
            return s != null && s.baselineDone;
        });
    }

    /** Records a failed cycle in its own transaction. */
    public void recordFailure(String source, String error) {
        QuarkusTransaction.requiringNew().run(() -> SourceStateStore.recordFailure(session, source, error));
    }
}
