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
 * outlives the statement except the order locks of the rows' own keys, which the statement storing the events takes
 * ({@link #plan}): a row's number in its target's sequence is
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
    TargetSequences sequences;

    @Inject
    DeliveryOrder order;

    @Inject
    ReplicaRegistry replicas;

    @Inject
    OutboxNotifier notifier;
    /**
     * One row per (event, target whose filter matches), this replica's targets and those only other live replicas
     * have; formats that cannot express it are 'skipped'. Each row carries its event's source and appointment id for
     * the in-order claim (see DeliveryStore). The rows' order locks are taken by the statement that stores the events
     * (EventInserter), all of them, those of events found already stored too.
     */
    @Override
    public Batch plan(List<NewEvent> events) {
        java.util.Collection<TargetRegistry.Target> own = targets.all();
        List<TargetSpec> foreign = replicas.foreignTargets();
        Rows rows = new Rows(replicas.locksAfterStoring());
        if (own.isEmpty() && foreign.isEmpty()) {
            return rows;
        }
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            EventType type = event.type();
            if (type == null) {
                continue; // a pushed name that maps to no canonical type: stored and listed, not delivered
            }
            for (TargetRegistry.Target t : own) {
                if (t.wants(type)) {
                    rows.add(i, t.name(), t.config().format(), event);
                }
            }
            // Targets only another live replica has (a canary started narrower, a rollout half done): their rows
            // too, or an event taken in here would never reach them. That replica claims and sends them.
            for (TargetSpec t : foreign) {
                if (t.wants(type.wireName())) {
                    rows.add(i, t.name(), t.format(), event);
                }
            }
        }
        return rows;
    }

    /** A planned outbox row: the batch's event it belongs to, its target and what the in-order claim reads. */
    private record Row(int eventIndex, String target, String status, String appointment, String source) {
    }

    /** The planned rows, in event order. */
    private final class Rows implements Batch {
        /** While an older release that locks after its event insert is live: the same order (ReplicaRegistry). */
        private final boolean lockAfterInsert;
        private final List<Row> rows = new ArrayList<>();

        Rows(boolean lockAfterInsert) {
            this.lockAfterInsert = lockAfterInsert;
        }

        void add(int eventIndex, String target, Format format, NewEvent event) {
            rows.add(new Row(eventIndex, target,
                    FormatSupport.canDeliver(format, event.type(), event.patientId()) ? "pending" : "skipped",
                    event.appointmentId(), event.source()));
        }

        @Override
        public String locks() {
            return rows.isEmpty() || lockAfterInsert ? "" : DeliveryOrder.LOCK_KEYS_CTE;
        }

        @Override
        public Map<String, Object> lockParameters() {
            return rows.isEmpty() || lockAfterInsert ? Map.of()
                    : Map.of("lockTargets", column(rows, Row::target), "lockAppointments", column(rows, Row::appointment));
        }

        @Override
        public void enqueue(List<Long> eventIds) {
            List<Long> ids = new ArrayList<>(rows.size());
            List<Row> stored = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Long eventId = eventIds.get(row.eventIndex());
                if (eventId != null) { // null: the event was stored before (a retried push), with its rows
                    ids.add(eventId);
                    stored.add(row);
                }
            }
            if (!ids.isEmpty()) {
                String[] targetArray = column(stored, Row::target);
                String[] appointmentArray = column(stored, Row::appointment);
                if (lockAfterInsert) {
                    order.lockKeys(targetArray, appointmentArray);
                }
                insert(ids, targetArray, column(stored, Row::status), appointmentArray, column(stored, Row::source));
            }
        }
    }

    private static String[] column(List<Row> rows, java.util.function.Function<Row, String> field) {
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = field.apply(rows.get(i));
        }
        return values;
    }

    /** The rows of new events, under the order locks their events' statement took. */
    private void insert(List<Long> ids, String[] targetArray, String[] statusArray, String[] appointmentArray,
            String[] sourceArray) {
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
