package dev.appointmentbridge.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Appends events inside the caller's transaction with one statement per batch (arrays + unnest), so a
 * batch of 500 costs about as much as one row. Rows whose idempotency key already exists are not
 * inserted; the existing row is returned in their place. New events get their outbox rows in the same
 * transaction.
 */
@ApplicationScoped
public class EventInserter {

    @Inject
    OutboxPort outbox;

    private static final String INSERT = """
            INSERT INTO event (uuid, type, source, appointment_id, patient_id, occurred_at,
                               idempotency_key, request_hash, notes, payload)
            SELECT u::uuid, t, s, a, p, o::timestamptz, k, h, n, j
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[]) AS x(u, t, s, a, p, o, k, h, n, j)
            ON CONFLICT DO NOTHING
            RETURNING id, uuid, received_at, type, appointment_id, patient_id, request_hash
            """;

    private static final String FIND_BY_KEY = """
            SELECT e.id, e.uuid, e.received_at, e.type, e.appointment_id, e.patient_id, e.request_hash,
                   e.source, e.idempotency_key
              FROM event e
              JOIN unnest(?::text[], ?::text[]) AS x(s, k) ON e.source = x.s AND e.idempotency_key = x.k
            """;

    public List<StoredEvent> insert(Connection connection, List<NewEvent> events) throws SQLException {
        int n = events.size();
        String[][] columns = new String[10][n];
        for (int i = 0; i < n; i++) {
            NewEvent e = events.get(i);
            columns[0][i] = e.uuid().toString();
            columns[1][i] = e.type().wireName();
            columns[2][i] = e.source();
            columns[3][i] = e.appointmentId();
            columns[4][i] = e.patientId();
            columns[5][i] = e.occurredAt().toString();
            columns[6][i] = e.idempotencyKey();
            columns[7][i] = e.requestHash();
            columns[8][i] = e.notes();
            columns[9][i] = e.payload();
        }
        Map<UUID, StoredEvent> inserted = new HashMap<>(n * 2);
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            for (int c = 0; c < columns.length; c++) {
                ps.setArray(c + 1, connection.createArrayOf("text", columns[c]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.put(rs.getObject(2, UUID.class), row(rs, false));
                }
            }
        }
        List<StoredEvent> result = new ArrayList<>(n);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StoredEvent stored = inserted.get(events.get(i).uuid());
            result.add(stored);
            if (stored == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            resolveDuplicates(connection, events, missing, result);
        }
        List<Long> newIds = new ArrayList<>(inserted.size());
        List<NewEvent> newEvents = new ArrayList<>(inserted.size());
        for (int i = 0; i < n; i++) {
            StoredEvent stored = result.get(i);
            if (!stored.duplicate()) {
                newIds.add(stored.id());
                newEvents.add(events.get(i));
            }
        }
        outbox.enqueue(connection, newIds, newEvents);
        return result;
    }

    /** Rows skipped by ON CONFLICT: answer each with the event that already holds its idempotency key. */
    private void resolveDuplicates(Connection connection, List<NewEvent> events, List<Integer> missing,
            List<StoredEvent> result) throws SQLException {
        String[] sources = new String[missing.size()];
        String[] keys = new String[missing.size()];
        for (int i = 0; i < missing.size(); i++) {
            NewEvent e = events.get(missing.get(i));
            if (e.idempotencyKey() == null) {
                throw new SQLException("event uuid collision without an idempotency key");
            }
            sources[i] = e.source();
            keys[i] = e.idempotencyKey();
        }
        Map<String, StoredEvent> byKey = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(FIND_BY_KEY)) {
            ps.setArray(1, connection.createArrayOf("text", sources));
            ps.setArray(2, connection.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byKey.put(rs.getString(8) + '\n' + rs.getString(9), row(rs, true));
                }
            }
        }
        for (int index : missing) {
            NewEvent e = events.get(index);
            StoredEvent existing = byKey.get(e.source() + '\n' + e.idempotencyKey());
            if (existing == null) {
                throw new SQLException("conflicting event not found for an idempotency key");
            }
            result.set(index, existing);
        }
    }

    private static StoredEvent row(ResultSet rs, boolean duplicate) throws SQLException {
        return new StoredEvent(rs.getLong(1), rs.getObject(3, OffsetDateTime.class), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), duplicate);
    }
}
