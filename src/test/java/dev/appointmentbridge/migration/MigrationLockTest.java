package dev.appointmentbridge.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 36: a migration must not stop a running release. Replicas are upgraded one by one and the first new one
 * migrates at start while the old ones keep taking pushes and delivering, so no migration may hold a lock that
 * blocks writers on a table while it does work that grows with a large table (rewrite, update, scan, index build):
 * on a production-sized table that is minutes of refused pushes and stalled deliveries.
 *
 * <p>Deterministic, no clock: every {@code V*.sql} migration (all of them, so one added later is checked too) is
 * applied in order to its own database, {@value #DB}, statement by statement on one connection, as Flyway runs it
 * (one transaction per migration; each statement on its own when the migration cannot run in a transaction, as with
 * {@code CREATE INDEX CONCURRENTLY}). Each large table is filled with {@value #ROWS} rows as soon as the migration
 * creating it has run (with the columns it had then, as production rows written by that release), so every later
 * migration meets a full table. After each statement the test reads, on the same backend:
 * <ul>
 * <li>the table locks the transaction holds ({@code pg_locks}): Share, Share Row Exclusive, Exclusive and Access
 * Exclusive block INSERT/UPDATE/DELETE on a table that existed before the migration (an index's lock counts for its
 * table);</li>
 * <li>the work done on the large tables: rows inserted, updated, deleted and read by the statement
 * ({@code pg_stat_xact_user_tables}, the transaction's own counters), and whether the table or one of its indexes
 * got a new file (a rewrite, or an index built or rebuilt).</li>
 * </ul>
 * A statement violates the rule when it does work on a large table (a new file, or at least a tenth of its rows
 * read or written) while the transaction holds a writer-blocking lock, or when it updates or deletes at least a tenth
 * of a large table's rows at all (each stays locked until commit). Released migrations cannot change (Flyway
 * records their checksums on every deployed database), so those that break the rule are listed in
 * {@link #HISTORICAL}, each with the reason; the test fails for any other, and for a listed one that no longer
 * breaks it (the list must say what is true).
 */
class MigrationLockTest {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DB = "migration_locks";
    static final int ROWS = 20_000;
    static final int WORK_ROWS = ROWS / 10;
    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /**
     * Released migrations that break the rule, measured by this test. They ran at a time when the bridge was
     * upgraded by stopping it; a new migration must not be added here.
     */
    static final Map<String, String> HISTORICAL = Map.of(
            "4", "V4__delivery_order: adds delivery.appointment_id and fills it with an UPDATE of every delivery row"
                    + " under the ACCESS EXCLUSIVE lock of ADD COLUMN, then a non-concurrent index",
            "7", "V7__retention_indexes: two non-concurrent CREATE INDEX (SHARE lock) on delivery and delivery_attempt",
            "8", "V8__delivery_claim_fence: a non-concurrent CREATE INDEX on delivery_attempt (the ADD COLUMN with a"
                    + " constant default beside it is a catalogue change)",
            "9", "V9__window_scans: a non-concurrent CREATE INDEX on appointment_snapshot",
            "10", "V10__window_slices_and_sweeps: a non-concurrent CREATE INDEX on appointment_snapshot",
            "14", "V14__delivery_head_of_line: an UPDATE reading every delivery row and two non-concurrent indexes,"
                    + " under the ACCESS EXCLUSIVE lock of ADD COLUMN delivery.head",
            "15", "V15__target_sequence: numbers every existing delivery with an UPDATE of every row and builds a"
                    + " non-concurrent unique index, under the ACCESS EXCLUSIVE lock of ADD COLUMN delivery.sequence");

    /**
     * The tables that grow with traffic, each filled right after the migration that creates it, with the columns
     * that migration gave it: mostly sent deliveries, a few dead and pending, one attempt each. A table that grows
     * with traffic and is added later needs its fill here.
     */
    static final Map<String, String> FILLS = new LinkedHashMap<>();
    static {
        FILLS.put("event", """
                INSERT INTO event (uuid, type, source, appointment_id, patient_id, occurred_at, received_at, payload)
                SELECT md5('e' || g)::uuid, 'appointment.scheduled', 'inbound', 'a-' || g, 'p-' || (g % 500),
                       now() - g * interval '1 minute', now() - g * interval '1 minute',
                       '{"event_type":"appointment.scheduled","appointment_id":"a-' || g || '"}'
                  FROM generate_series(1, :rows) g""".replace(":rows", String.valueOf(ROWS)));
        FILLS.put("appointment_snapshot", """
                INSERT INTO appointment_snapshot (source, appointment_id, status, start_at, end_at, duration_minutes,
                                                  provider_id, location_id, patient_id, content_hash, last_updated)
                SELECT 'clinic', 'a-' || g, 'booked', now() + g * interval '10 minutes',
                       now() + g * interval '10 minutes' + interval '30 minutes', 30, 'pr-' || (g % 20),
                       'loc-' || (g % 5), 'p-' || (g % 500), md5('s' || g), now()
                  FROM generate_series(1, :rows) g""".replace(":rows", String.valueOf(ROWS)));
        FILLS.put("delivery", """
                INSERT INTO delivery (event_id, target, status, attempts, next_attempt_at, created_at, last_attempt_at,
                                      last_status_code, sent_at)
                SELECT id, 'portal', CASE id % 100 WHEN 0 THEN 'dead' WHEN 1 THEN 'pending' ELSE 'sent' END,
                       CASE id % 100 WHEN 0 THEN 8 WHEN 1 THEN 0 ELSE 1 END, received_at, received_at,
                       received_at, 200, CASE WHEN id % 100 > 1 THEN received_at END
                  FROM event""");
        FILLS.put("delivery_attempt", """
                INSERT INTO delivery_attempt (delivery_id, attempt, attempted_at, status_code, duration_ms)
                SELECT id, 1, created_at, 200, 10 FROM delivery WHERE status <> 'pending'""");
    }

    /** Table lock modes that conflict with ROW EXCLUSIVE, the lock INSERT, UPDATE and DELETE take. */
    static final Set<String> BLOCKS_WRITERS = Set.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock",
            "AccessExclusiveLock");

    /** Statements PostgreSQL refuses inside a transaction block; Flyway runs a migration holding one outside. */
    static final Pattern NON_TRANSACTIONAL = Pattern.compile(
            "^(CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY|DROP\\s+INDEX\\s+CONCURRENTLY|REINDEX\\b.*\\bCONCURRENTLY"
                    + "|VACUUM|ALTER\\s+SYSTEM|(CREATE|DROP)\\s+(DATABASE|TABLESPACE|SUBSCRIPTION)|DISCARD\\s+ALL)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    static final Pattern FILE_NAME = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.*\\.sql");

    record Migration(MigrationVersion version, String name, Path file) {
    }

    record Tables(Map<String, long[]> stats, Map<String, Set<String>> files) {
    }

    @BeforeAll
    static void createDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DB);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @Test
    void noMigrationHoldsAWriterBlockingLockWhileWorkingThroughALargeTable() throws Exception {
        List<Migration> migrations = migrations();
        assertTrue(migrations.size() >= 16, "migrations found: " + migrations);
        Map<String, List<String>> violations = new TreeMap<>();
        StringBuilder report = new StringBuilder();
        try (Connection c = DriverManager.getConnection(SERVER + DB, "postgres", "")) {
            try (Statement s = c.createStatement()) {
                // every row the statements read is counted on this backend, not in parallel workers
                s.execute("SET max_parallel_maintenance_workers = 0");
                s.execute("SET max_parallel_workers_per_gather = 0");
            }
            Set<String> filled = new TreeSet<>();
            for (Migration m : migrations) {
                List<String> found = apply(c, m);
                report.append(m.name()).append(found.isEmpty() ? ": ok" : ": " + String.join("; ", found)).append('\n');
                if (!found.isEmpty()) {
                    violations.put(m.version().getVersion(), found);
                }
                fill(c, filled);
            }
            assertEquals(FILLS.keySet(), filled, "large tables the migrations never created");
        }
        System.out.print("Migration locks on tables of " + ROWS + " rows:\n" + report);
        List<String> problems = new ArrayList<>();
        violations.forEach((version, found) -> {
            if (!HISTORICAL.containsKey(version)) {
                problems.add("V" + version + " blocks writers while working through a large table: "
                        + String.join("; ", found));
            }
        });
        HISTORICAL.keySet().stream().filter(v -> !violations.containsKey(v)).sorted()
                .forEach(v -> problems.add("V" + v + " is listed as a historical exception but breaks no rule ("
                        + HISTORICAL.get(v) + "): take it off the list"));
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\nA migration must not rewrite, update, scan or index a large table"
                    + " while holding a lock that blocks writers (docs/operations.md, Upgrading): add nullable columns"
                    + " without a volatile default, backfill in batches outside the migration's transaction, and"
                    + " build indexes with CREATE INDEX CONCURRENTLY in a migration of their own.");
        }
    }

    /** Runs one migration as Flyway would and returns what it did wrong, one entry per statement. */
    List<String> apply(Connection c, Migration m) throws IOException, SQLException {
        List<String> statements = split(Files.readString(m.file()));
        boolean transactional = statements.stream().noneMatch(st -> NON_TRANSACTIONAL.matcher(st).find())
                && !executeInTransactionOff(m.file());
        Set<String> existing = relations(c);
        Map<String, Long> sizes = sizes(c, existing);
        List<String> found = new ArrayList<>();
        c.setAutoCommit(!transactional);
        try {
            for (int i = 0; i < statements.size(); i++) {
                String sql = statements.get(i);
                boolean own = !transactional && !NON_TRANSACTIONAL.matcher(sql).find();
                if (own) {
                    c.setAutoCommit(false); // the statement alone in a transaction, as in autocommit, but observed
                }
                Tables before = snapshot(c);
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                if (transactional || own) {
                    Tables after = snapshot(c);
                    String why = judge(sizes, before, after, locks(c, existing));
                    if (why != null) {
                        found.add("statement " + (i + 1) + " (" + abbreviate(sql) + "): " + why);
                    }
                }
                if (own) {
                    c.commit();
                    c.setAutoCommit(true);
                }
            }
            if (transactional) {
                c.commit();
            }
        } catch (SQLException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            throw new AssertionError(m.name() + " failed: " + e.getMessage(), e);
        }
        c.setAutoCommit(true);
        return found;
    }

    /** null when fine, else what the statement did to a large table and under which lock. */
    static String judge(Map<String, Long> sizes, Tables before, Tables after, Set<String> locks) {
        List<String> work = new ArrayList<>();
        List<String> rowLocks = new ArrayList<>();
        for (String table : FILLS.keySet()) {
            long[] b = before.stats().get(table);
            long[] a = after.stats().get(table);
            long rows = sizes.getOrDefault(table, 0L);
            if (a == null || b == null || rows < WORK_ROWS) {
                continue; // created by this migration, or not filled yet: nobody else writes it
            }
            long written = a[0] - b[0], changed = a[1] - b[1], read = a[2] - b[2];
            if (a[3] != b[3]) {
                work.add("rewrites " + table + " (" + rows + " rows)");
            }
            Set<String> built = new TreeSet<>(after.files().get(table));
            built.removeAll(before.files().get(table));
            for (String index : built) {
                work.add("builds index " + index.substring(0, index.indexOf(':')) + " on " + table + " (" + rows
                        + " rows)");
            }
            if (written >= WORK_ROWS) {
                work.add("writes " + written + " rows of " + table + " (" + rows + " rows)");
            }
            if (read >= WORK_ROWS) {
                work.add("reads " + read + " rows of " + table + " (" + rows + " rows)");
            }
            if (changed >= WORK_ROWS) {
                rowLocks.add("updates or deletes " + changed + " rows of " + table + " (" + rows
                        + " rows), each locked against writers until commit");
            }
        }
        if (!work.isEmpty() && !locks.isEmpty()) {
            return String.join(", ", work) + " while holding " + String.join(", ", locks);
        }
        return rowLocks.isEmpty() ? null : String.join(", ", rowLocks);
    }

    /** The large tables' row counts before a migration. */
    static Map<String, Long> sizes(Connection c, Set<String> existing) throws SQLException {
        Map<String, Long> sizes = new TreeMap<>();
        for (String table : FILLS.keySet()) {
            if (existing.contains(table)) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                    r.next();
                    sizes.put(table, r.getLong(1));
                }
            }
        }
        return sizes;
    }

    /**
     * Per table, this transaction's counters {ins+upd+del, upd+del, seq_tup_read+idx_tup_fetch} and the table's
     * file; per table, its indexes' files. Read on the migration's own backend inside its transaction, where no
     * statistics are flushed, so the differences between two snapshots are exactly what the statement between did.
     */
    static Tables snapshot(Connection c) throws SQLException {
        Map<String, long[]> stats = new TreeMap<>();
        Map<String, Set<String>> files = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT c.relname, coalesce(x.n_tup_ins + x.n_tup_upd + x.n_tup_del, 0),
                       coalesce(x.n_tup_upd + x.n_tup_del, 0),
                       coalesce(x.seq_tup_read, 0) + coalesce(x.idx_tup_fetch, 0), pg_relation_filenode(c.oid)
                  FROM pg_class c
                  LEFT JOIN pg_stat_xact_user_tables x ON x.relid = c.oid
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')""")) {
            while (r.next()) {
                stats.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)});
                files.put(r.getString(1), new TreeSet<>());
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT t.relname, i.indexrelid::regclass::text || ':' || pg_relation_filenode(i.indexrelid)
                  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                 WHERE t.relnamespace = 'public'::regnamespace""")) {
            while (r.next()) {
                files.computeIfAbsent(r.getString(1), k -> new TreeSet<>()).add(r.getString(2));
            }
        }
        return new Tables(stats, files);
    }

    /**
     * The writer-blocking locks this backend holds on tables and indexes that existed before the migration (a lock on
     * an index is named with its table; a relation this migration created is invisible to everyone else).
     */
    static Set<String> locks(Connection c, Set<String> existing) throws SQLException {
        Set<String> held = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT c.relname, coalesce(t.relname, c.relname), l.mode
                  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                  LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
                 WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted""")) {
            while (r.next()) {
                if (existing.contains(r.getString(1)) && BLOCKS_WRITERS.contains(r.getString(3))) {
                    held.add(r.getString(3) + " on " + r.getString(2));
                }
            }
        }
        return held;
    }

    static Set<String> tables(Connection c) throws SQLException {
        return relations(c, "'r', 'p'");
    }

    /** Tables and indexes. */
    static Set<String> relations(Connection c) throws SQLException {
        return relations(c, "'r', 'p', 'i', 'I'");
    }

    static Set<String> relations(Connection c, String kinds) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN (" + kinds + ")")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    /** Fills each large table once, right after the migration that created it. */
    static void fill(Connection c, Set<String> filled) throws SQLException {
        Set<String> present = tables(c);
        for (Map.Entry<String, String> f : FILLS.entrySet()) {
            if (!filled.contains(f.getKey()) && present.contains(f.getKey())) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(f.getValue());
                    s.execute("ANALYZE " + f.getKey());
                }
                filled.add(f.getKey());
            }
        }
    }

    /** Every V*.sql migration, in Flyway's order (by version number, not by name). */
    static List<Migration> migrations() throws IOException {
        List<Migration> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.toList()) {
                Matcher m = FILE_NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    all.add(new Migration(MigrationVersion.fromVersion(m.group(1).replace('_', '.')),
                            f.getFileName().toString(), f));
                }
            }
        }
        all.sort((a, b) -> a.version().compareTo(b.version()));
        return all;
    }

    /** Flyway's per-script configuration: {@code V1__x.sql.conf} holding {@code executeInTransaction=false}. */
    static boolean executeInTransactionOff(Path file) throws IOException {
        Path conf = file.resolveSibling(file.getFileName() + ".conf");
        return Files.exists(conf) && Files.readString(conf).replace(" ", "").contains("executeInTransaction=false");
    }

    /**
     * Splits a script into statements at semicolons outside comments, quoted strings, quoted names and
     * dollar-quoted bodies; comments are kept inside the statements, empty statements dropped.
     */
    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0, n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                i = end; // a line comment: dropped
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0, j = i;
                do {
                    if (sql.startsWith("/*", j)) {
                        depth++;
                        j += 2;
                    } else if (sql.startsWith("*/", j)) {
                        depth--;
                        j += 2;
                    } else {
                        j++;
                    }
                } while (depth > 0 && j < n);
                i = j; // a block comment: dropped
            } else if (ch == '\'' || ch == '"') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == ch) {
                        if (j + 1 < n && sql.charAt(j + 1) == ch) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    if (ch == '\'' && sql.charAt(j) == '\\' && i > 0 && Character.toUpperCase(sql.charAt(i - 1)) == 'E') {
                        j++;
                    }
                    j++;
                }
                cur.append(sql, i, Math.min(j + 1, n));
                i = j + 1;
            } else if (ch == '$') {
                Matcher tag = Pattern.compile("\\$[A-Za-z_]*\\$").matcher(sql).region(i, n);
                if (tag.lookingAt()) {
                    int end = sql.indexOf(tag.group(), tag.end());
                    end = end < 0 ? n : end + tag.group().length();
                    cur.append(sql, i, end);
                    i = end;
                } else {
                    cur.append(ch);
                    i++;
                }
            } else if (ch == ';') {
                add(out, cur);
                i++;
            } else {
                cur.append(ch);
                i++;
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String st = cur.toString().strip();
        if (!st.isEmpty()) {
            out.add(st);
        }
        cur.setLength(0);
    }

    static String abbreviate(String sql) {
        String one = sql.replaceAll("\\s+", " ");
        return one.length() > 70 ? one.substring(0, 67) + "..." : one;
    }
}
