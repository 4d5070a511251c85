package dev.appointmentbridge.delivery;

import java.util.ArrayList;
import java.util.List;

import org.hibernate.StatelessSession;

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

    /** One statement per batch of events (arrays + unnest), on the session of the events' transaction. */
    private static final String INSERT = """
            INSERT INTO delivery (event_id, target, status, appointment_id, source)
            SELECT * FROM unnest(CAST(:eventIds AS bigint[]), CAST(:targets AS text[]), CAST(:statuses AS text[]),
                                 CAST(:appointments AS text[]), CAST(:sources AS text[]))
            ON CONFLICT (event_id, target) DO NOTHING
            """;

    @Inject
    StatelessSession session;

    @Inject
    TargetRegistry targets;

    /**
     * One row per (event, target whose filter matches); formats that cannot express it are 'skipped'. Each
     * row carries its event's source and appointment id for the in-order claim (see DeliveryStore).
     */
    @Override
    public void enqueue(List<Long> eventIds, List<NewEvent> events) {
        if (targets.all().isEmpty() || eventIds.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        List<String> appointments = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < eventIds.size(); i++) {
            EventType type = events.get(i).type();
            if (type == null) {
                continue; // a pushed name that maps to no canonical type: stored and listed, not delivered
            }
            for (TargetRegistry.Target t : targets.all()) {
                if (t.wants(type)) {
                    ids.add(eventIds.get(i));
                    names.add(t.name());
                    statuses.add(FormatSupport.canExpress(t.config().format(), type) ? "pending" : "skipped");
                    appointments.add(events.get(i).appointmentId());
                    sources.add(events.get(i).source());
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        session.createNativeMutationQuery(INSERT).setParameter("eventIds", ids.toArray(new Long[0]))
                .setParameter("targets", names.toArray(new String[0]))
                .setParameter("statuses", statuses.toArray(new String[0]))
                .setParameter("appointments", appointments.toArray(new String[0]))
                .setParameter("sources", sources.toArray(new String[0])).executeUpdate();
        session.createNativeQuery("SELECT 1 FROM pg_notify('" + CHANNEL + "', '')", Integer.class).getSingleResult();
    }
}
