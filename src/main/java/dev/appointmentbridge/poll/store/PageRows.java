package dev.appointmentbridge.poll.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.source.PoisonRecord;

/** Rows a page commit writes besides snapshots, in the caller's transaction: held cancellations and quarantine. */
final class PageRows {

    private PageRows() {
    }

    static void deleteHeld(StatelessSession session, String source, List<String> appointmentIds) {
        session.createMutationQuery(
                "delete from HeldCancellationEntity where source = :source and appointmentId in :ids")
                .setParameter("source", source).setParameterList("ids", appointmentIds).executeUpdate();
    }

    /** New events in order, with each released held cancellation read back at its place. */
    static List<NewEvent> resolve(StatelessSession session, String source, List<PageCommit.Emit> emits) {
        List<String> releasedIds = new ArrayList<>();
        for (PageCommit.Emit e : emits) {
            if (e instanceof PageCommit.Release r) {
                releasedIds.add(r.appointmentId());
            }
        }
        Map<String, NewEvent> released = new HashMap<>();
        if (!releasedIds.isEmpty()) {
            session.createSelectionQuery(
                    "from HeldCancellationEntity where source = :source and appointmentId in :ids",
                    HeldCancellationEntity.class).setParameter("source", source)
                    .setParameterList("ids", releasedIds).getResultList()
                    .forEach(h -> released.put(h.appointmentId, event(source, h)));
            deleteHeld(session, source, releasedIds);
        }
        List<NewEvent> ordered = new ArrayList<>(emits.size());
        for (PageCommit.Emit e : emits) {
            if (e instanceof PageCommit.New n) {
                ordered.add(n.event());
            } else if (e instanceof PageCommit.Release r && released.containsKey(r.appointmentId())) {
                ordered.add(released.get(r.appointmentId()));
            }
        }
        return ordered;
    }

    static void quarantine(StatelessSession session, String source, PageCommit commit, Instant now) {
        if (!commit.unquarantine.isEmpty()) {
            session.createMutationQuery(
                    "delete from QuarantinedRecord where source = :source and appointmentId in :ids")
                    .setParameter("source", source).setParameterList("ids", commit.unquarantine)
                    .executeUpdate();
            // Listed again: it was not gone, whatever a short scan suggested.
            session.createMutationQuery(
                    "delete from PendingRemovalEntity where source = :source and appointmentId in :ids")
                    .setParameter("source", source).setParameterList("ids", commit.unquarantine)
                    .executeUpdate();
        }
        if (commit.quarantine.isEmpty()) {
            return;
        }
        for (PoisonRecord p : commit.quarantine) { // rare: one upsert per unreadable record
            session.createMutationQuery("""
                    insert into QuarantinedRecord (source, appointmentId, reason, lastUpdated, firstSeenAt, lastSeenAt)
                    values (:source, :id, :reason, :lastUpdated, :now, :now)
                    on conflict (source, appointmentId) do update set reason = excluded.reason,
                           lastUpdated = excluded.lastUpdated, lastSeenAt = excluded.lastSeenAt""")
                    .setParameter("source", source).setParameter("id", p.appointmentId())
                    .setParameter("reason", p.reason()).setParameter("lastUpdated", p.lastUpdated())
                    .setParameter("now", now).executeUpdate();
        }
    }

    static HeldCancellationEntity held(NewEvent e, Instant now) {
        HeldCancellationEntity h = new HeldCancellationEntity();
        h.source = e.source();
        h.appointmentId = e.appointmentId();
        h.uuid = e.uuid();
        h.patientId = e.patientId();
        h.occurredAt = e.occurredAt().toInstant();
        h.payload = e.payload();
        h.heldAt = now;
        return h;
    }

    static NewEvent event(String source, HeldCancellationEntity h) {
        return new NewEvent(h.uuid, EventType.CANCELLED, source, h.appointmentId, h.patientId,
                h.occurredAt.atOffset(ZoneOffset.UTC), null, null, null, h.payload);
    }
}
