package dev.appointmentbridge.delivery;

import java.util.ArrayList;
import java.util.List;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.common.ValuesInsert;
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

    @Inject
    StatelessSession session;

    @Inject
    TargetRegistry targets;

    /**
     * One row per (event, target whose filter matches); formats that cannot express it are 'skipped'. Each
     * row carries its event's appointment id for the in-order claim (see DeliveryStore).
     */
    @Override
    public void enqueue(List<Long> eventIds, List<NewEvent> events) {
        if (targets.all().isEmpty() || eventIds.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < eventIds.size(); i++) {
            EventType type = events.get(i).type();
            for (TargetRegistry.Target t : targets.all()) {
                if (t.wants(type)) {
                    String status = FormatSupport.canExpress(t.config().format(), type) ? "pending" : "skipped";
                    rows.add(new Object[] { eventIds.get(i), t.name(), status, events.get(i).appointmentId() });
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        ValuesInsert.execute(session, "insert into DeliveryEntity (eventId, target, status, appointmentId)",
                "on conflict do nothing", rows);
        session.createNativeQuery("SELECT 1 FROM pg_notify('" + CHANNEL + "', '')", Integer.class).getSingleResult();
    }
}
