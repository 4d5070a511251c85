package dev.appointmentbridge.replica;

import dev.appointmentbridge.common.NativeColumn;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.hibernate.StatelessSession;
import org.jboss.logging.Logger;

import dev.appointmentbridge.common.InstanceName;
import dev.appointmentbridge.config.ReplicasConfig;
import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.config.TargetsConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * This replica in the {@code replica} table, and what it knows of the others: it records itself at start (before the
 * delivery worker decides anything about removed targets) and every {@code bridge.replicas.heartbeat}. Replicas seen
 * within {@code bridge.replicas.grace} are live. Live replicas whose sources and targets differ (a canary with a
 * narrower configuration, a rollout half done) are a WARN when that starts or changes, the gauge
 * {@code bridge_replicas_configurations} above 1, and a line on the operator page.
 */
@ApplicationScoped
public class ReplicaRegistry {

    private static final Logger LOG = Logger.getLogger(ReplicaRegistry.class);

    /**
     * In the version this replica records: it numbers a delivery when the delivery is first claimed. A live replica
     * without it (an older release, during a rollout or a rollback) numbers deliveries when it stores them.
     */
    static final String NUMBERS_AT_CLAIM = "numbers deliveries when claimed";

    /**
     * In the version this replica records: the statement that stores events takes their delivery rows' order locks
     * before its first row. A live replica without it (an older release) takes them after its event insert; the two
     * orders side by side can deadlock (one waits in the insert on an idempotency key the other inserted, the other
     * on the first one's order lock), so while one is live this one takes them after its insert too.
     */
    static final String LOCKS_BEFORE_STORING = "locks delivery order before storing events";

    /** Rows of replicas gone this long are deleted: history, not fleet. */
    private static final String FORGET_AFTER = "7 days";

    private static final String UPSERT = """
            INSERT INTO replica AS r (instance, version, fingerprint, targets, target_specs, sources)
            VALUES (:instance, :version, :fingerprint, CAST(:targets AS text[]), CAST(:specs AS jsonb),
                    CAST(:sources AS text[]))
            ON CONFLICT (instance) DO UPDATE SET version = excluded.version, fingerprint = excluded.fingerprint,
                targets = excluded.targets, target_specs = excluded.target_specs, sources = excluded.sources,
                last_seen = now()
            """;

    /** The targets of the other live replicas (the newest word on each name), as JSON text. */
    private static final String FOREIGN = """
            SELECT DISTINCT ON (s->>'name') CAST(s AS text) AS spec
              FROM replica r, jsonb_array_elements(r.target_specs) s
             WHERE r.last_seen >= now() - make_interval(secs => :grace) AND r.instance <> :instance
             ORDER BY s->>'name', r.last_seen DESC""";

    @Inject
    StatelessSession session;

    @Inject
    ReplicasConfig config;

    @Inject
    SourcesConfig sources;

    @Inject
    TargetsConfig targets;

    @Inject
    MeterRegistry registry;

    @Inject
    Scheduler scheduler;

    @Inject
    Instance<Flyway> flyway;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String applicationVersion;

    private String version;
    private String fingerprint;
    private String ownSpecs;
    /** Targets only other live replicas have, refreshed every heartbeat; read by the outbox in every transaction. */
    private volatile List<TargetSpec> foreign = List.of();
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong configurations = new AtomicLong();
    private volatile String mismatch = "";
    /** Until the first look at the fleet, as if an older release were live: numbers in order either way. */
    private volatile boolean numbersAtStore = true;
    /** Likewise: until the first look, as if a replica that locks after storing were live. */
    private volatile boolean locksAfterStoring = true;

    /** Before the other start observers: the delivery worker retires targets by what live replicas serve. */
    void start(@Observes @Priority(1000) StartupEvent ignored) {
        checkTiming(config.heartbeat(), config.grace());
        version = applicationVersion + " (schema " + schemaVersion() + "; " + NUMBERS_AT_CLAIM + "; "
                + LOCKS_BEFORE_STORING + ")";
        fingerprint = ReplicaFingerprint.of(sources, targets);
        ownSpecs = specsJson();
        Gauge.builder("bridge.replicas.live", live, AtomicLong::get)
                .description("Replicas seen within bridge.replicas.grace, this one included").register(registry);
        Gauge.builder("bridge.replicas.configurations", configurations, AtomicLong::get)
                .description("Different source and target configurations among live replicas (above 1: they disagree)")
                .register(registry);
        try {
            heartbeat();
        } catch (RuntimeException e) { // the database is away: the next beat records it
            LOG.warnf("Could not record this replica yet: %s", e.getClass().getSimpleName());
        }
        LOG.infof("Replica %s, %s, configuration %s", InstanceName.get(), version, fingerprint);
        scheduler.newJob("replica-heartbeat").setInterval(config.heartbeat().toSeconds() + "s")
                .setConcurrentExecution(ConcurrentExecution.SKIP).setTask(execution -> {
                    try {
                        heartbeat();
                    } catch (RuntimeException e) {
                        LOG.debugf("Replica heartbeat not recorded: %s", e.getClass().getSimpleName());
                    }
                }).schedule();
    }

    /**
     * A replica is counted live for {@code grace} after its last heartbeat, so the grace must cover several beats (a
     * slow database, a GC pause): else a running replica would look gone and its targets' deliveries be retired.
     */
    static void checkTiming(java.time.Duration heartbeat, java.time.Duration grace) {
        if (heartbeat.toMillis() < 1000) {
            throw new IllegalArgumentException("bridge.replicas.heartbeat (" + heartbeat + ") must be at least 1s");
        }
        if (grace.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("bridge.replicas.grace (" + grace + ") must be at least three times"
                    + " bridge.replicas.heartbeat (" + heartbeat + "): a replica is taken for gone after the grace");
        }
    }

    private String specsJson() {
        List<TargetSpec> specs = new ArrayList<>();
        for (var e : new java.util.TreeMap<>(targets.targets()).entrySet()) {
            specs.add(new TargetSpec(e.getKey(), e.getValue().format(), e.getValue().events()
                    .map(l -> (Set<String>) new TreeSet<>(l.stream().map(String::trim).toList())).orElse(Set.of())));
        }
        try {
            return mapper.writeValueAsString(specs);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The targets that other live replicas deliver to and this one does not have: the outbox writes their rows too,
     * so an event taken in here reaches them (another replica claims them). Known within one heartbeat of a replica
     * starting; dropped once it has not been seen for the grace period.
     */
    public List<TargetSpec> foreignTargets() {
        return foreign;
    }

    private void refreshForeign() {
        List<String> rows = QuarkusTransaction.requiringNew().call(() -> NativeColumn.values(NativeColumn.select(
                session, FOREIGN, "spec", String.class).setParameter("grace", (double) config.grace().toSeconds())
                .setParameter("instance", InstanceName.get()).getResultList(), String.class));
        List<TargetSpec> specs = new ArrayList<>();
        for (String row : rows) {
            try {
                TargetSpec spec = mapper.readValue(row, TargetSpec.class);
                if (!targets.targets().containsKey(spec.name())) { // this replica's own configuration of it wins
                    specs.add(spec);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                LOG.warnf("A replica's target description could not be read (%s): skipped",
                        e.getClass().getSimpleName());
            }
        }
        foreign = List.copyOf(specs);
    }

    /** The newest migration this release carries (not the database's, which a newer replica may have moved on). */
    private String schemaVersion() {
        if (!flyway.isResolvable()) {
            return "?";
        }
        String newest = "?";
        for (MigrationInfo m : flyway.get().info().all()) {
            if (m.getVersion() != null && !m.getState().name().startsWith("FUTURE")) {
                newest = m.getVersion().getVersion();
            }
        }
        return newest;
    }

    void heartbeat() {
        QuarkusTransaction.requiringNew().run(() -> {
            session.createNativeMutationQuery(UPSERT).setParameter("instance", InstanceName.get())
                    .setParameter("version", version).setParameter("fingerprint", fingerprint)
                    .setParameter("targets", new TreeSet<>(targets.targets().keySet()).toArray(new String[0]))
                    .setParameter("sources", new TreeSet<>(sources.sources().keySet()).toArray(new String[0]))
                    .setParameter("specs", ownSpecs).executeUpdate();
            session.createNativeMutationQuery("DELETE FROM replica WHERE last_seen < now() - CAST(:age AS interval)")
                    .setParameter("age", FORGET_AFTER).executeUpdate();
        });
        refreshForeign();
        observe(replicas());
    }

    private void observe(List<ReplicaView> all) {
        List<ReplicaView> alive = all.stream().filter(ReplicaView::live).toList();
        Set<String> prints = new TreeSet<>();
        alive.forEach(r -> prints.add(r.fingerprint()));
        live.set(alive.size());
        numbersAtStore = alive.stream().anyMatch(r -> r.version() == null || !r.version().contains(NUMBERS_AT_CLAIM));
        locksAfterStoring = alive.stream()
                .anyMatch(r -> r.version() == null || !r.version().contains(LOCKS_BEFORE_STORING));
        configurations.set(prints.size());
        String now = prints.size() > 1 ? String.join(", ", alive.stream().map(r -> r.instance() + " " + r.version()
                + " configuration " + r.fingerprint() + " targets " + r.targets() + " sources " + r.sources()).toList())
                : "";
        if (!now.equals(mismatch)) {
            if (!now.isEmpty()) {
                LOG.warnf("Live replicas are configured differently (%d configurations): %s. Each delivers only to"
                        + " its own targets and polls only its own sources; a target's pending deliveries stay while"
                        + " any live replica has it", prints.size(), now);
            } else {
                LOG.infof("Live replicas are configured alike again");
            }
            mismatch = now;
        }
    }

    /** Every replica recorded, newest first; {@code live} when seen within the grace period. */
    public List<ReplicaView> replicas() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> session.createNativeQuery("""
                SELECT instance, version, fingerprint, array_to_string(targets, ',') AS target_names,
                       array_to_string(sources, ',') AS source_names, started_at, last_seen,
                       last_seen >= now() - make_interval(secs => :grace) AS live
                  FROM replica ORDER BY last_seen DESC, instance""", Object[].class)
                .addScalar("instance", String.class).addScalar("version", String.class)
                .addScalar("fingerprint", String.class).addScalar("target_names", String.class)
                .addScalar("source_names", String.class).addScalar("started_at", OffsetDateTime.class)
                .addScalar("last_seen", OffsetDateTime.class).addScalar("live", Boolean.class)
                .setParameter("grace", (double) config.grace().toSeconds()).getResultList());
        List<ReplicaView> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new ReplicaView((String) r[0], (String) r[1], (String) r[2], names((String) r[3]),
                    names((String) r[4]), utc(r[5]), utc(r[6]), (Boolean) r[7], InstanceName.get().equals(r[0])));
        }
        return out;
    }

    /** The targets some live replica has, this one's included whatever the database says. */
    public Set<String> liveTargets(Collection<String> own) {
        Set<String> names = new TreeSet<>(own);
        names.addAll(QuarkusTransaction.requiringNew().call(() -> NativeColumn.values(NativeColumn.select(session, """
                SELECT DISTINCT unnest(targets) AS target FROM replica
                 WHERE last_seen >= now() - make_interval(secs => :grace)""", "target", String.class)
                .setParameter("grace", (double) config.grace().toSeconds()).getResultList(), String.class)));
        return names;
    }

    /**
     * Whether a live replica numbers deliveries when it stores them (an older release): then this one does so too, in
     * the storing transaction, so that one appointment's numbers follow its events whichever replica stored them.
     */
    public boolean numbersAtStore() {
        return numbersAtStore;
    }

    /**
     * Whether a live replica takes the order locks of its delivery rows after inserting their events (an older
     * release): then this one does so too (see {@link #LOCKS_BEFORE_STORING}).
     */
    public boolean locksAfterStoring() {
        return locksAfterStoring;
    }

    /** How long a replica not seen still counts. */
    public java.time.Duration grace() {
        return config.grace();
    }

    /** What the live replicas disagree on, empty when they agree. */
    public String mismatch() {
        return mismatch;
    }

    private static List<String> names(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }

    private static String utc(Object time) {
        return time == null ? null : ((OffsetDateTime) time).withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
}
