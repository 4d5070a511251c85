package dev.appointmentbridge.admin;

import dev.appointmentbridge.poll.store.PendingRemovalEntity;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.appointmentbridge.common.SafeUrl;
import dev.appointmentbridge.poll.store.SourceStateEntity;
import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.registry.SourceRegistry;
import dev.appointmentbridge.config.SourcesConfig;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class SourceAdminService {

    @Inject
    SourceRegistry sources;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SourceView> list() {
        Map<String, SourceStateEntity> states = new HashMap<>();
        SourceStateEntity.<SourceStateEntity>listAll().forEach(s -> states.put(s.name, s));
        Map<String, Long> snapshotCounts = new HashMap<>();
        List<Object[]> rows = Panache.getEntityManager()
                .createNativeQuery("SELECT source, count(*) FROM appointment_snapshot GROUP BY source")
                .getResultList();
        rows.forEach(r -> snapshotCounts.put((String) r[0], ((Number) r[1]).longValue()));
        Map<String, Long> quarantined = new HashMap<>();
        List<Object[]> q = Panache.getEntityManager()
                .createQuery("select source, count(*) from QuarantinedRecord group by source", Object[].class)
                .getResultList();
        q.forEach(r -> quarantined.put((String) r[0], ((Number) r[1]).longValue()));
        Map<String, Object[]> pending = new HashMap<>();
        Panache.getEntityManager().createQuery(
                "select source, count(*), max(heldAt) from PendingRemovalEntity group by source", Object[].class)
                .getResultList().forEach(r -> pending.put((String) r[0], r));
        return sources.all().stream().map(s -> view(s, states.get(s.name()), snapshotCounts, quarantined,
                pending.get(s.name()))).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public String lastError(String name) {
        SourceStateEntity state = SourceStateEntity.findById(name);
        return state == null || state.lastError == null ? "unknown error" : state.lastError;
    }

    private static SourceView view(PolledSource source, SourceStateEntity state, Map<String, Long> counts,
            Map<String, Long> quarantined, Object[] pending) {
        SourcesConfig.Source c = source.config();
        String auth = c.auth().oauth2().map(o -> o.privateKeyFile().isPresent() ? "smart-backend-services" : "oauth2")
                .orElse(c.auth().bearerToken().isPresent() ? "bearer" : "none");
        SourceStateEntity s = state != null ? state : new SourceStateEntity();
        return new SourceView(source.name(), c.type(), SafeUrl.of(source.displayUrl()), c.pollInterval().toString(), auth,
                text(s.cursorAt), s.baselineDone, text(s.lastPollAt), text(s.lastSuccessAt),
                s.lastResult == null ? "never polled" : s.lastResult, s.lastError, s.lastRecords, s.lastEvents,
                s.pollsOk, s.pollsFailed, s.eventsTotal, counts.getOrDefault(source.name(), 0L),
                text(s.historyCursorAt), source.readsHistory() ? detectDeletes(c, s) : "off",
                quarantined.getOrDefault(source.name(), 0L),
                source.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                s.windowNote, text(s.completeThroughAt != null ? s.completeThroughAt : s.cursorAt),
                source.scopes().stream().map(Object::toString).toList(), reconcile(source, s),
                source.pausedUntil() == null ? null : source.pausedUntil().toString(),
                pending == null ? 0 : ((Number) pending[1]).longValue(),
                pending == null ? null : pending[2].toString());
    }

    /** The sweep's state for cursor sources that have sweeps; null otherwise. */
    private static String reconcile(PolledSource source, SourceStateEntity s) {
        if (!dev.appointmentbridge.poll.PollCycle.reconciles(source)) {
            return source.mode() == PolledSource.Mode.CURSOR ? "off" : null;
        }
        if (s.sweepNote != null) {
            return s.sweepNote;
        }
        return s.sweepDueAt == null ? "first sweep due " + source.config().reconcile().interval()
                + " after the first sync" : "first sweep due at " + text(s.sweepDueAt);
    }

    private static String detectDeletes(SourcesConfig.Source c, SourceStateEntity s) {
        if (c.detectDeletes() == SourcesConfig.DetectDeletes.off) {
            return "off";
        }
        return s.deletesOffReason == null ? "history" : "off: " + s.deletesOffReason;
    }

    private static String text(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }
}
