package dev.appointmentbridge.delivery;

import dev.appointmentbridge.delivery.store.DeliveryOrder;
import dev.appointmentbridge.delivery.store.TargetSequences;
import dev.appointmentbridge.delivery.format.FormatSupport;
import dev.appointmentbridge.config.Format;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import dev.appointmentbridge.replica.ReplicaRegistry;
import dev.appointmentbridge.replica.TargetSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.event.OutboxPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Creates the delivery rows of new events inside the events' own transaction (transactional outbox). Once that
 * transaction has committed, {@link OutboxNotifier} wakes the workers; a NOTIFY inside it would hold PostgreSQL's
 * database-wide notify lock through every writer's commit, one writer at a time. Nothing here takes a lock that
 * outlives the statement except the order locks of the rows' own keys: a row's number in its target's sequence is
 * taken when it is first claimed (DeliveryStore), not here, where the target's row lock would be held until commit and
 * let one writer of all at a time commit; only while an older release that numbers when it stores is live does this
 * one number here too, so one appointment's numbers stay in the order of its events.
 */
@ApplicationScoped
public class Outbox implements OutboxPort {

    public static final String CHANNEL = "bridge_delivery";

    /**
     * One statement per batch of events (arrays + unnest), on the session of the events' transaction. A row is head
     * of its key (DeliveryOrder) if it is the batch's first pending row of that key and no pending row of the key is
     * stored; rows of one statement do not see each other, hence {@code first}.
     */
    private static final String INSERT = """
            INSERT INTO delivery (event_id, target, status, appointment_id, source, sequence, head)
            SELECT x.e, x.t, x.s, x.a, x.src, x.seq,
                   x.s = 'pending' AND x.first
                       AND NOT EXISTS (SELECT 1 FROM delivery o
                                        WHERE o.status = 'pending' AND o.target = x.t AND o.appointment_id = x.a
                                          AND (o.source = x.src OR o.source = '' OR x.src = ''))
              FROM unnest(CAST(:eventIds AS bigint[]), CAST(:targets AS text[]), CAST(:statuses AS text[]),
                          CAST(:appointments AS text[]), CAST(:sources AS text[]), CAST(:firsts AS boolean[]),
                          CAST(:sequences AS bigint[]))
                   AS x(e, t, s, a, src, first, seq)
            ON CONFLICT (event_id, target) DO NOTHING
            """;

    @Inject
    StatelessSession session;

    @Inject
    TargetRegistry targets;

    @Inject
    DeliveryOrder order;

    @Inject
    TargetSequences sequences;

    @Inject
    ReplicaRegistry replicas;

    @Inject
    OutboxNotifier notifier;
    /**
     * One row per (event, target whose filter matches), this replica's targets and those only other live replicas
     * have; formats that cannot express it are 'skipped'. Each
     * row carries its event's source and appointment id for the in-order claim (see DeliveryStore).
     */
    @Override
    public void enqueue(List<Long> eventIds, List<NewEvent> events) {
        List<TargetSpec> foreign = replicas.foreignTargets();
        if (targets.all().isEmpty() && foreign.isEmpty() || eventIds.isEmpty()) {
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
            NewEvent event = events.get(i);
            long eventId = eventIds.get(i);
            java.util.function.BiConsumer<String, Format> row = (target, format) -> {
                ids.add(eventId);
                names.add(target);
                statuses.add(FormatSupport.canDeliver(format, type, event.patientId()) ? "pending" : "skipped");
                appointments.add(event.appointmentId());
                sources.add(event.source());
            };
            for (TargetRegistry.Target t : targets.all()) {
                if (t.wants(type)) {
                    row.accept(t.name(), t.config().format());
                }
            }
            // Targets only another live replica has (a canary started narrower, a rollout half done): their rows
            // too, or an event taken in here would never reach them. That replica claims and sends them.
            for (TargetSpec t : foreign) {
                if (t.wants(type.wireName())) {
                    row.accept(t.name(), t.format());
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        String[] targetArray = names.toArray(new String[0]);
        String[] appointmentArray = appointments.toArray(new String[0]);
        String[] sourceArray = sources.toArray(new String[0]);
        String[] statusArray = statuses.toArray(new String[0]);
        order.lockKeys(targetArray, appointmentArray);
        Long[] numbers = replicas.numbersAtStore() ? number(targetArray, statusArray) : new Long[targetArray.length];
        int inserted = session.createNativeMutationQuery(INSERT).setParameter("eventIds", ids.toArray(new Long[0]))
                .setParameter("targets", targetArray).setParameter("statuses", statusArray)
                .setParameter("appointments", appointmentArray).setParameter("sources", sourceArray)
                .setParameter("firsts", firsts(targetArray, appointmentArray, sourceArray, statusArray))
                .setParameter("sequences", numbers).executeUpdate();
        if (inserted < ids.size()) {
            // The events were inserted by this transaction, so no delivery row of theirs can exist; if one did, an
            // event would be delivered under another's row. Nothing commits: the caller retries.
            throw new IllegalStateException((ids.size() - inserted) + " delivery rows of new events existed already");
        }
        notifier.afterCommit();
    }

    /**
     * The sequence number of each pending row, in row order per target; null for rows that are not sent. Only while an
     * older release that numbers deliveries when it stores them is live (ReplicaRegistry.numbersAtStore).
     */
    private Long[] number(String[] targetArray, String[] statusArray) {
        java.util.SortedMap<String, Long> counts = new java.util.TreeMap<>();
        for (int i = 0; i < targetArray.length; i++) {
            if ("pending".equals(statusArray[i])) {
                counts.merge(targetArray[i], 1L, Long::sum);
            }
        }
        Long[] numbers = new Long[targetArray.length];
        if (counts.isEmpty()) {
            return numbers;
        }
        Map<String, Long> next = new HashMap<>(sequences.take(counts));
        for (int i = 0; i < targetArray.length; i++) {
            if ("pending".equals(statusArray[i])) {
                numbers[i] = next.merge(targetArray[i], 1L, Long::sum) - 1;
            }
        }
        return numbers;
    }

    /** Whether each row is the batch's first pending row of its (target, source, appointment) key. */
    static Boolean[] firsts(String[] targets, String[] appointments, String[] sources, String[] statuses) {
        Boolean[] first = new Boolean[targets.length];
        Map<String, List<String>> seen = new HashMap<>();
        for (int i = 0; i < targets.length; i++) {
            if (!"pending".equals(statuses[i])) {
                first[i] = false;
                continue;
            }
            List<String> earlier = seen.computeIfAbsent(targets[i] + '\n' + appointments[i], k -> new ArrayList<>());
            String source = sources[i];
            first[i] = earlier.stream().noneMatch(s -> s.equals(source) || s.isEmpty() || source.isEmpty());
            earlier.add(source);
        }
        return first;
    }
}
