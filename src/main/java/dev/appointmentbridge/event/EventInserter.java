package dev.appointmentbridge.event;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.common.ValuesInsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Appends events inside the caller's JTA transaction through the {@link EventEntity} mapping: multi-row
 * inserts that skip rows whose idempotency key already exists, then one query for the new rows' ids. A
 * skipped row is answered with the event that already holds its key. New events get their outbox rows in
 * the same transaction ({@link OutboxPort}).
 */
@ApplicationScoped
public class EventInserter {

    private static final String INSERT = "insert into EventEntity (uuid, type, source, appointmentId, patientId,"
            + " occurredAt, idempotencyKey, requestHash, notes, payload)";

    @Inject
    StatelessSession session;

    @Inject
    OutboxPort outbox;

    /**
     * @return one row per event, in order; {@code duplicate} marks an earlier event found by idempotency key
     * @throws IllegalStateException if a row was skipped without an idempotency key to explain it
     */
    public List<StoredEvent> insert(List<NewEvent> events) {
        List<Object[]> rows = new ArrayList<>(events.size());
        List<UUID> uuids = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            rows.add(new Object[] { e.uuid(), e.type().wireName(), e.source(), e.appointmentId(), e.patientId(),
                    e.occurredAt(), e.idempotencyKey(), e.requestHash(), e.notes(), e.payload() });
            uuids.add(e.uuid());
        }
        ValuesInsert.execute(session, INSERT, "on conflict do nothing", rows);
        // uuids are random: a row found by one of them is a row this statement inserted.
        Map<UUID, StoredEvent> inserted = new HashMap<>(events.size() * 2);
        for (Object[] r : session.createSelectionQuery("""
                select e.uuid, e.id, e.receivedAt, e.type, e.appointmentId, e.patientId, e.requestHash
                  from EventEntity e where e.uuid in :uuids""", Object[].class)
                .setParameter("uuids", uuids).getResultList()) {
            inserted.put((UUID) r[0], row(r, false));
        }
        List<StoredEvent> result = new ArrayList<>(events.size());
        List<Long> newIds = new ArrayList<>(inserted.size());
        List<NewEvent> newEvents = new ArrayList<>(inserted.size());
        Map<Integer, NewEvent> skipped = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            StoredEvent stored = inserted.get(events.get(i).uuid());
            result.add(stored);
            if (stored == null) {
                skipped.put(i, events.get(i));
            } else {
                newIds.add(stored.id());
                newEvents.add(events.get(i));
            }
        }
        if (!skipped.isEmpty()) {
            resolveDuplicates(skipped, result);
        }
        outbox.enqueue(newIds, newEvents);
        return result;
    }

    private void resolveDuplicates(Map<Integer, NewEvent> skipped, List<StoredEvent> result) {
        Map<String, List<String>> keysBySource = new HashMap<>();
        for (NewEvent e : skipped.values()) {
            if (e.idempotencyKey() == null) {
                throw new IllegalStateException("event uuid collision without an idempotency key");
            }
            keysBySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e.idempotencyKey());
        }
        Map<String, StoredEvent> byKey = new HashMap<>();
        keysBySource.forEach((source, keys) -> session.createSelectionQuery("""
                select e.idempotencyKey, e.id, e.receivedAt, e.type, e.appointmentId, e.patientId, e.requestHash
                  from EventEntity e where e.source = :source and e.idempotencyKey in :keys""", Object[].class)
                .setParameter("source", source).setParameter("keys", keys).getResultList()
                .forEach(r -> byKey.put(source + '\n' + r[0], row(r, true))));
        skipped.forEach((index, e) -> {
            StoredEvent existing = byKey.get(e.source() + '\n' + e.idempotencyKey());
            if (existing == null) {
                throw new IllegalStateException("conflicting event not found for an idempotency key");
            }
            result.set(index, existing);
        });
    }

    /** {@code r}: a key, then id, receivedAt, type, appointmentId, patientId, requestHash. */
    private static StoredEvent row(Object[] r, boolean duplicate) {
        return new StoredEvent((Long) r[1], (OffsetDateTime) r[2], (String) r[3], (String) r[4], (String) r[5],
                (String) r[6], duplicate);
    }
}
