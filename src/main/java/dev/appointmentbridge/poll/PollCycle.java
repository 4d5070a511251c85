package dev.appointmentbridge.poll;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import dev.appointmentbridge.common.Transactions;
import dev.appointmentbridge.diff.Change;
import dev.appointmentbridge.diff.DiffRules;
import dev.appointmentbridge.event.EventInserter;
import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.event.NewEvent;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.snapshot.SnapshotStore;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.FhirSource;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourcePage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * One poll of one source, all in ONE database transaction: every page is fetched, diffed and written
 * inside it, and the cursor moves at the end. Any failure (HTTP error, timeout, malformed page) rolls
 * everything back, so a partial poll never produces an event. A transaction-scoped advisory lock keeps
 * replicas from polling the same source at once.
 */
@ApplicationScoped
public class PollCycle {

    @Inject
    DataSource dataSource;

    @Inject
    SnapshotStore snapshots;

    @Inject
    SourceStateStore states;

    @Inject
    EventInserter events;

    @Inject
    PollEventFactory eventFactory;

    public CycleResult run(FhirSource source) throws SourceFetchException, SQLException {
        return Transactions.inTransaction(dataSource, c -> runIn(c, source));
    }

    private CycleResult runIn(Connection c, FhirSource source) throws SourceFetchException, SQLException {
        String name = source.name();
        if (!tryLock(c, name)) {
            return CycleResult.skippedCycle();
        }
        SourceStateStore.Position position = states.lockAndRead(c, name);
        boolean baseline = !position.baselineDone() && !source.config().emitOnFirstSync();
        Instant now = Instant.now();
        Instant maxUpdated = null;
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        int pages = 0;
        int records = 0;
        // Cancellations wait for the end of the cycle: a later page may show the appointment was rebooked.
        Map<String, NewEvent> heldCancellations = new LinkedHashMap<>();
        CycleSnapshots cycleSnapshots = new CycleSnapshots(snapshots.isEmpty(c, name));
        CompletableFuture<SourcePage> pending = source.fetchAsync(source.firstPage(position.cursor()));
        while (pending != null) {
            if (++pages > source.config().maxPages()) {
                throw new SourceFetchException("more than " + source.config().maxPages() + " pages in one cycle", 0,
                        null);
            }
            SourcePage page = FhirSource.await(pending);
            // Prefetch: the next page travels while this one is diffed and written.
            pending = page.next() == null ? null : source.fetchAsync(URI.create(page.next()));
            records += page.appointments().size();
            for (AppointmentRecord r : page.appointments()) {
                if (r.lastUpdated() != null && (maxUpdated == null || r.lastUpdated().isAfter(maxUpdated))) {
                    maxUpdated = r.lastUpdated();
                }
            }
            for (NewEvent e : applyPage(c, name, page, baseline, now, heldCancellations, cycleSnapshots)) {
                counts.merge(e.type(), 1, Integer::sum);
            }
        }
        if (!heldCancellations.isEmpty()) {
            events.insert(c, new ArrayList<>(heldCancellations.values()));
            counts.merge(EventType.CANCELLED, heldCancellations.size(), Integer::sum);
        }
        CycleResult result = new CycleResult(false, baseline, pages, records, counts,
                nextCursor(position.cursor(), maxUpdated, source));
        states.recordSuccess(c, name, result.cursor(), records, result.eventCount());
        return result;
    }

    /** Diffs one page against the snapshots (including this cycle's earlier pages) and writes the result. */
    private List<NewEvent> applyPage(Connection c, String source, SourcePage page, boolean baseline, Instant now,
            Map<String, NewEvent> heldCancellations, CycleSnapshots cycleSnapshots) throws SQLException {
        Set<String> ids = new HashSet<>();
        for (AppointmentRecord r : page.appointments()) {
            ids.add(r.id());
            if (r.replacesId() != null) {
                ids.add(r.replacesId());
            }
        }
        Map<String, Snapshot> known = cycleSnapshots.known(ids, missing -> snapshots.load(c, source, missing));
        Map<String, Snapshot> toWrite = new LinkedHashMap<>();
        List<NewEvent> newEvents = new ArrayList<>();
        // Rebookings first, so the cancellation of the appointment they replace is recognised as part of them.
        List<AppointmentRecord> ordered = new ArrayList<>(page.appointments());
        ordered.sort(Comparator.comparing((AppointmentRecord r) -> r.replacesId() == null));
        for (AppointmentRecord r : ordered) {
            Snapshot previous = known.get(r.id());
            Snapshot replaced = previous == null && r.replacesId() != null ? known.get(r.replacesId()) : null;
            Change change = DiffRules.derive(previous, r, replaced);
            if (!change.writesSnapshot()) {
                continue;
            }
            known.put(r.id(), change.next());
            toWrite.put(r.id(), change.next());
            if (replaced != null) {
                Snapshot marked = replaced.withReplacedBy(r.id());
                known.put(marked.appointmentId(), marked);
                toWrite.put(marked.appointmentId(), marked);
                heldCancellations.remove(marked.appointmentId());
            }
            if (change.event() != null && !baseline) {
                NewEvent event = eventFactory.create(source, change, page.patients().get(r.patientId()), now);
                if (change.event() == EventType.CANCELLED) {
                    heldCancellations.put(r.id(), event);
                } else {
                    newEvents.add(event);
                }
            }
        }
        List<Snapshot> fresh = new ArrayList<>();
        List<Snapshot> existing = new ArrayList<>();
        for (Snapshot s : toWrite.values()) {
            (cycleSnapshots.certainlyNew(s.appointmentId()) ? fresh : existing).add(s);
        }
        snapshots.insertNew(c, source, fresh);
        snapshots.upsert(c, source, existing);
        cycleSnapshots.written(toWrite.values());
        if (!newEvents.isEmpty()) {
            events.insert(c, newEvents);
        }
        return newEvents;
    }

    /**
     * Greatest meta.lastUpdated seen, minus the overlap; never the bridge's own clock, and never backwards.
     */
    private static Instant nextCursor(Instant current, Instant maxUpdated, FhirSource source) {
        if (maxUpdated == null) {
            return current;
        }
        Instant candidate = maxUpdated.minus(source.config().cursorOverlap());
        return current == null || candidate.isAfter(current) ? candidate : current;
    }

    private static boolean tryLock(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "appointment-bridge:poll:" + source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
