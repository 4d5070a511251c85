package dev.appointmentbridge.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.event.OutboxPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Creates the delivery rows of new events inside the events' own transaction (transactional outbox) and
 * signals the workers with NOTIFY, which PostgreSQL delivers only if that transaction commits.
 */
@ApplicationScoped
public class Outbox implements OutboxPort {

    public static final String CHANNEL = "bridge_delivery";

    private static final String INSERT = """
            INSERT INTO delivery (event_id, target, status, appointment_id)
            SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[])
            ON CONFLICT (event_id, target) DO NOTHING
            """;

    @Inject
    TargetRegistry targets;

    /**
     * One row per (event, target whose filter matches); formats that cannot express it are 'skipped'. Each
     * row carries its event's appointment id for the in-order claim (see DeliveryStore).
     */
    @Override
    public void enqueue(Connection c, List<Long> eventIds, List<NewEvent> events) throws SQLException {
        if (targets.all().isEmpty() || eventIds.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        List<String> appointments = new ArrayList<>();
        for (int i = 0; i < eventIds.size(); i++) {
            EventType type = events.get(i).type();
            for (TargetRegistry.Target t : targets.all()) {
                if (t.wants(type)) {
                    ids.add(eventIds.get(i));
                    names.add(t.name());
                    statuses.add(FormatSupport.canExpress(t.config().format(), type) ? "pending" : "skipped");
                    appointments.add(events.get(i).appointmentId());
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
            ps.setArray(4, c.createArrayOf("text", appointments.toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', '')")) {
            ps.execute();
        }
    }
}
