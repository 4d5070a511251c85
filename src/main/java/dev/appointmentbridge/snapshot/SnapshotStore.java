package dev.appointmentbridge.snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.StatelessSession;

/**
 * Snapshot reads and writes inside a poll page's transaction, through the {@link AppointmentSnapshotEntity}
 * mapping on a {@code StatelessSession}: no persistence context, one query to load a page's ids, one JDBC
 * batch per kind of write, so cost follows the number of changed records, not the store's size.
 */
public final class SnapshotStore {

    private SnapshotStore() {
    }

    public static Map<String, Snapshot> load(StatelessSession session, String source, Collection<String> ids) {
        Map<String, Snapshot> found = new HashMap<>(ids.size() * 2);
        if (ids.isEmpty()) {
            return found;
        }
        // = ANY(array), not IN (?, ?, ...): a thousand-parameter IN list got a generic plan that scanned the
        // whole table on every page once the driver prepared it server-side (bench/poll.sh: 1,174/s).
        List<AppointmentSnapshotEntity> rows = session.createNativeQuery(
                "SELECT * FROM appointment_snapshot WHERE source = :source AND appointment_id = ANY(:ids)",
                AppointmentSnapshotEntity.class)
                .setParameter("source", source).setParameter("ids", ids.toArray(new String[0])).getResultList();
        for (AppointmentSnapshotEntity row : rows) {
            found.put(row.appointmentId, row.toSnapshot());
        }
        return found;
    }

    /**
     * Ids of the source's appointments starting in [from, to) that are still open (not cancelled, not removed):
     * what a complete window scan is expected to list. With a scope ({@code location},
     * {@code practitioner} or {@code patient}) only those whose reference of that kind is {@code scopeValue}. The
     * ids only, so memory is a string per appointment in the slice.
     */
    public static List<String> openStartingIn(StatelessSession session, String source, String scopeParam,
            String scopeValue, Instant from, Instant to) {
        String scope = scopeParam == null ? "" : switch (scopeParam) {
            case "location" -> " and s.locationId = :scope";
            case "practitioner" -> " and s.providerId = :scope";
            case "patient" -> " and s.patientId = :scope";
            default -> throw new IllegalArgumentException("no scope parameter " + scopeParam);
        };
        var query = session.createSelectionQuery("""
                select s.appointmentId from AppointmentSnapshotEntity s
                 where s.source = :source and s.startAt >= :from and s.startAt < :to
                   and s.status not in ('cancelled', 'entered-in-error') and s.contentHash <> 'deleted'
                """ + scope, String.class).setParameter("source", source)
                .setParameter("from", from).setParameter("to", to);
        if (scopeParam != null) {
            query.setParameter("scope", scopeValue);
        }
        return query.getResultList();
    }

    /** @param inserts snapshots of ids with no row yet; @param updates snapshots of ids that have one */
    public static void write(StatelessSession session, String source, Collection<Snapshot> inserts,
            Collection<Snapshot> updates, Instant seenAt) {
        // One JDBC batch per call (Hibernate batches a StatelessSession only when asked to).
        session.setJdbcBatchSize(Math.max(1, Math.max(inserts.size(), updates.size())));
        if (!inserts.isEmpty()) {
            session.insertMultiple(entities(source, inserts, seenAt));
        }
        if (!updates.isEmpty()) {
            session.updateMultiple(entities(source, updates, seenAt));
        }
    }

    private static List<AppointmentSnapshotEntity> entities(String source, Collection<Snapshot> snapshots,
            Instant seenAt) {
        List<AppointmentSnapshotEntity> list = new ArrayList<>(snapshots.size());
        for (Snapshot s : snapshots) {
            list.add(AppointmentSnapshotEntity.of(source, s, seenAt));
        }
        return list;
    }
}
