package dev.appointmentbridge.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.appointmentbridge.event.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Creates the delivery rows of new events inside the events' own transaction (transactional outbox) and
 * signals the workers with NOTIFY, which PostgreSQL delivers only if that transaction commits.
 */
@ApplicationScoped
public class Outbox {

    public static final String CHANNEL = "bridge_delivery";

    private static final String INSERT = """
            INSERT INTO delivery (event_id, target, status, appointment_id)
            SELECT x.event_id, x.target, x.status, e.appointment_id
              FROM unnest(?::bigint[], ?::text[], ?::text[]) WITH ORDINALITY AS x(event_id, target, status, ord)
              JOIN event e ON e.id = x.event_id
             ORDER BY x.ord
            ON CONFLICT (event_id, target) DO NOTHING
            """;

    @Inject
    TargetRegistry targets;

    /** One row per (event, target whose filter matches); formats that cannot express it are 'skipped'. */
    public void enqueue(Connection c, List<Long> eventIds, List<EventType> types) throws SQLException {
        if (targets.all().isEmpty() || eventIds.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < eventIds.size(); i++) {
            for (TargetRegistry.Target t : targets.all()) {
                if (t.wants(types.get(i))) {
                    ids.add(eventIds.get(i));
                    names.add(t.name());
                    statuses.add(FormatSupport.canExpress(t.config().format(), types.get(i)) ? "pending" : "skipped");
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(2, c.createArrayOf("text", names.toArray()));
            ps.setArray(3, c.createArrayOf("text", statuses.toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', '')")) {
            ps.execute();
        }
    }
}
