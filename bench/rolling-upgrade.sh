#!/usr/bin/env bash
# Rolling upgrade under load (issue 36; exits non-zero on failure). The previous release is the last commit before
# the newest migration (by version number) was added, built from git in a scratch worktree; the new release is the
# current checkout's jar. On a fresh database:
#  1. the previous release migrates the empty database, then ROWS delivery rows (with their events and one attempt
#     each: most sent, 1 % dead, numbered as the target's sequence) are bulk-inserted with SQL and analyzed;
#  2. the previous release runs alone with one webhook target while bench/PacedLoad.java pushes RATE events/s
#     (one event per push) and records every push's latency and status;
#  3. the new release starts on the same database (its Flyway migrates at start) while the pushes go on; once it is
#     ready both take pushes for a few seconds, then the load moves to the new one alone and the old one gets
#     SIGTERM (as a rolling update takes a pod out of the service before stopping it); pushes go on to the new one.
# Meanwhile one psql session samples pg_locks every 50 ms for the writer-blocking table locks (Share, Share Row
# Exclusive, Exclusive, Access Exclusive) held on tables that existed before the new release started.
# It fails unless: every push answered 2xx is one stored event and reached the receiver, no 5xx or unanswered push,
# push p99 < 1 s, no gap > 2 s between deliveries while pushes were arriving, and no such lock held > 1 s.
#   bench/rolling-upgrade.sh
#   ROWS=200000 RATE=300 bench/rolling-upgrade.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${ROWS:-1000000}
RATE=${RATE:-200}
WARM=${WARM:-10}               # seconds of pushes to the old release before measuring (a running replica is warm)
OLD_ALONE=${OLD_ALONE:-10}     # seconds of measured pushes to the old release alone
BOTH=${BOTH:-5}                # seconds both take pushes once the new one is ready
NEW_ALONE=${NEW_ALONE:-15}     # seconds of pushes to the new release alone after the old one was stopped
MAX_P99_MS=${MAX_P99_MS:-1000}
MAX_GAP_MS=${MAX_GAP_MS:-2000}
MAX_LOCK_MS=${MAX_LOCK_MS:-1000}
OLD_PORT=${OLD_PORT:-18200}
NEW_PORT=${NEW_PORT:-18202}
RECV_PORT=${RECV_PORT:-18209}
DB=upgrade_rolling
OUT=bench/results/rolling-upgrade
MIGRATIONS=src/main/resources/db/migration
mkdir -p "$OUT"; rm -f "$OUT"/*.log "$OUT"/*.out "$OUT"/*.tsv "$OUT"/*.txt "$OUT"/stop "$OUT"/targets
T0=$(date +%s)

# --- the two releases
NEWEST=$(ls "$MIGRATIONS" | grep -E '^V[0-9]+__' | sort -V | tail -n 1)   # by version number: V10 after V9
ADDED=$(git log --diff-filter=A --format=%H -- "$MIGRATIONS/$NEWEST" | tail -n 1)
[ -n "$ADDED" ] || fail "$NEWEST is not committed: commit it first (the previous release is the commit before it was added)"
PREV=$(git rev-parse "$ADDED^")
echo "newest migration $NEWEST, added in $(git log -1 --format='%h %cs' "$ADDED"); previous release $(git log -1 --format='%h %cs %s' "$PREV" | cut -c1-100)"
OLD_APP=target/rolling-upgrade/old-$PREV
if [ ! -f "$OLD_APP/quarkus-run.jar" ]; then
  WT=target/rolling-upgrade/worktree
  git worktree remove --force "$WT" 2>/dev/null || rm -rf "$WT"
  git worktree prune
  git worktree add -q -f --detach "$WT" "$PREV"
  BUILD_START=$(date +%s)
  (cd "$WT" && flock /tmp/bridge-mvn.lock ./mvnw -B -q package -DskipTests) >"$OUT/build-old.out" 2>&1 \
    || { tail -n 30 "$OUT/build-old.out" >&2; git worktree remove --force "$WT"; fail "building $PREV failed"; }
  rm -rf "$OLD_APP"; mkdir -p "$(dirname "$OLD_APP")"
  cp -r "$WT/target/quarkus-app" "$OLD_APP"
  git worktree remove --force "$WT"
  echo "built the previous release in $(( $(date +%s) - BUILD_START )) s"
fi
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then flock /tmp/bridge-mvn.lock ./mvnw -q -B package -DskipTests; fi
OLD_LAST=$(git ls-tree --name-only "$PREV" "$MIGRATIONS/" | xargs -n1 basename | sed -E 's/^V([0-9]+)__.*/\1/' | sort -n | tail -n 1)

cleanup() { kill -9 ${OLD:-} ${NEW:-} ${RECV:-} ${LOAD:-} ${SAMPLER:-} 2>/dev/null || true; }
trap cleanup EXIT
fresh_db $DB
start_bridge() { # start_bridge NAME JAR PORT: sets BRIDGE to its pid
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_DATASOURCE_JDBC_MAX_SIZE=16 \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  QUARKUS_HTTP_PORT=$3 QUARKUS_MANAGEMENT_PORT=$(( $3 + 1000 )) BRIDGE_POLL_ENABLED=false \
  BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook BRIDGE_TARGETS_PORTAL_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw \
    ${NICE:-} java ${JAVA_OPTS:-} -jar "$2" >>"$OUT/$1.log" 2>&1 &
  BRIDGE=$!
}

echo "== 1. previous release (V$OLD_LAST) migrates an empty database, then $ROWS deliveries are filled in"
start_bridge old "$OLD_APP/quarkus-run.jar" $OLD_PORT; OLD=$BRIDGE
wait_http "http://127.0.0.1:$(( OLD_PORT + 1000 ))/q/health/ready" 120
kill $OLD; wait $OLD 2>/dev/null || true; OLD=
FILL_START=$(date +%s%N)
# The schema of the previous release: event (V1), delivery (V3: + appointment_id V4, claim V8, source V11, head V14,
# sequence V15), delivery_attempt (V3, instance V5), target_sequence (V15). 20 days of history (inside retention),
# 99 % sent (10 % of them after a retry), 1 % dead after 8 attempts; every row numbered 1..ROWS for the target.
$PSQL -d $DB -v ON_ERROR_STOP=1 -v rows="$ROWS" >/dev/null <<'SQL'
SET synchronous_commit = off;
INSERT INTO event (id, uuid, type, source, appointment_id, patient_id, occurred_at, received_at, payload)
SELECT g, md5('fill-' || g)::uuid, 'appointment.scheduled', 'inbound', 'fill-' || g, 'p-' || (g % 50000), t, t,
       format('{"event_id":%s,"event_type":"appointment.scheduled","appointment_id":"fill-%s","patient_id":"p-%s","timestamp":"%s","source":"inbound"}',
              g, g, g % 50000, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
  FROM generate_series(1, :rows) g, LATERAL (SELECT now() - interval '20 days' * (1 - g::float8 / :rows) AS t) x;
INSERT INTO delivery (id, event_id, target, status, attempts, next_attempt_at, created_at, last_attempt_at,
                      last_status_code, last_error, sent_at, appointment_id, claim, source, head, sequence)
SELECT g, g, 'portal', CASE WHEN dead THEN 'dead' ELSE 'sent' END, n, t, t, t + interval '1 second' * n,
       CASE WHEN dead THEN 500 ELSE 200 END, CASE WHEN dead THEN 'HTTP 500' END,
       CASE WHEN dead THEN NULL ELSE t + interval '1 second' * n END, 'fill-' || g, n, 'inbound', true, g
  FROM generate_series(1, :rows) g,
       LATERAL (SELECT now() - interval '20 days' * (1 - g::float8 / :rows) AS t, g % 100 = 0 AS dead) x,
       LATERAL (SELECT CASE WHEN dead THEN 8 WHEN g % 10 = 0 THEN 2 ELSE 1 END AS n) y;
INSERT INTO delivery_attempt (id, delivery_id, attempt, attempted_at, status_code, duration_ms, error, instance)
SELECT g, g, 1, now() - interval '20 days' * (1 - g::float8 / :rows), CASE WHEN g % 10 = 0 OR g % 100 = 0 THEN 500 ELSE 200 END,
       5 + g % 40, CASE WHEN g % 10 = 0 OR g % 100 = 0 THEN 'HTTP 500' END, 'fill'
  FROM generate_series(1, :rows) g;
INSERT INTO target_sequence (target, last) VALUES ('portal', :rows);
SELECT setval('event_id_seq', :rows), setval('delivery_id_seq', :rows), setval('delivery_attempt_id_seq', :rows);
ANALYZE;
SQL
FILL_MS=$(( ($(date +%s%N) - FILL_START) / 1000000 ))
SIZE=$($PSQL -d $DB -c "SELECT pg_size_pretty(pg_database_size('$DB'))")
echo "filled $ROWS events, deliveries and attempts in $FILL_MS ms (database $SIZE)"

echo "== 2. previous release alone under $RATE pushes/s"
start_receiver $RECV_PORT 0
start_bridge old "$OLD_APP/quarkus-run.jar" $OLD_PORT; OLD=$BRIDGE
wait_http "http://127.0.0.1:$(( OLD_PORT + 1000 ))/q/health/ready" 120
$PSQL -d $DB -c "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace
                 AND relname <> 'flyway_schema_history' ORDER BY 1" >"$OUT/tables-before.txt"
# One session, one sample every 50 ms: every writer-blocking lock on a table (an index's lock counts for its table),
# with the holder's transaction start; plus one 'tick' line per sample, so the resolution is known.
(
  while :; do
    echo "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 'tick', '', '', '', '';"
    echo "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint, l.pid, (extract(epoch FROM a.xact_start) * 1000000)::bigint,
                 coalesce(t.relname, c.relname), l.mode, left(regexp_replace(a.query, '\s+', ' ', 'g'), 100)
            FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
             AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock');"
    echo "SELECT pg_sleep(0.05);"
  done
) | $PSQL -d $DB -F $'\t' >"$OUT/locks.tsv" 2>"$OUT/sampler.out" &
SAMPLER=$!
echo "http://127.0.0.1:$OLD_PORT" >"$OUT/targets"
java bench/PacedLoad.java "$OUT/targets" "$RATE" "ru$$" "$OUT/stop" "$OUT/pushes.tsv" >"$OUT/load.out" 2>&1 &
LOAD=$!
sleep "$WARM"
PUSH_START=$(date +%s%3N)      # the measured window starts here
sleep "$OLD_ALONE"

echo "== 3. new release ($(git rev-parse --short HEAD), migrations up to ${NEWEST%%__*}) starts on the same database"
NEW_START=$(date +%s%3N)
# In a fleet the new replica starts on a pod of its own; on this one machine its start-up (JIT on 2 cores) would
# otherwise take the CPU the old replica answers pushes with, and measure the bench, not the upgrade. Until it is
# ready (its receiving path warmed up, bridge.inbound.warm-up-rounds) it runs at nice 10.
NICE="nice -n 10" start_bridge new target/quarkus-app/quarkus-run.jar $NEW_PORT; NEW=$BRIDGE
wait_http "http://127.0.0.1:$(( NEW_PORT + 1000 ))/q/health/ready" 180
NEW_READY_S=$(( ($(date +%s%3N) - NEW_START) ))
# Ready, it takes its share of the pushes and would have its pod's CPU to itself: from here it competes as an equal.
# nice is per thread on Linux, so every thread of the JVM (a thread started later inherits its starter's nice).
for task in /proc/$NEW/task/*; do renice -n 0 -p "${task##*/}" >/dev/null 2>&1 || true; done
echo "new release ready after $NEW_READY_S ms; both take pushes for $BOTH s"
echo "http://127.0.0.1:$OLD_PORT http://127.0.0.1:$NEW_PORT" >"$OUT/targets"
sleep "$BOTH"
echo "http://127.0.0.1:$NEW_PORT" >"$OUT/targets"
sleep 1 # the pushes already sent to the old one are answered before it stops
STOP_START=$(date +%s%3N)
kill -TERM $OLD; wait $OLD 2>/dev/null || true; OLD=
echo "previous release stopped (SIGTERM) in $(( $(date +%s%3N) - STOP_START )) ms; new release alone for $NEW_ALONE s"
sleep "$NEW_ALONE"
touch "$OUT/stop"
wait $LOAD; LOAD=
PUSH_END=$(date +%s%3N)
cat "$OUT/load.out"
kill $SAMPLER 2>/dev/null || true; wait $SAMPLER 2>/dev/null || true; SAMPLER=

echo "== checks"
awk -F'\t' '$5 >= 200 && $5 < 300 {print $1}' "$OUT/pushes.tsv" | sort >"$OUT/pushed-ok.txt"
PUSHES=$(wc -l <"$OUT/pushes.tsv")
OK=$(wc -l <"$OUT/pushed-ok.txt")
S5XX=$(awk -F'\t' '$5 >= 500' "$OUT/pushes.tsv" | wc -l)
NO_ANSWER=$(awk -F'\t' '$5 == 0' "$OUT/pushes.tsv" | wc -l)
OTHER=$(( PUSHES - OK - S5XX - NO_ANSWER ))
MEASURED=$(awk -F'\t' -v s="$PUSH_START" '$3 >= s' "$OUT/pushes.tsv" | wc -l)
read -r P50 P99 MAXLAT <<<"$(awk -F'\t' -v s="$PUSH_START" '$3 >= s {print $4}' "$OUT/pushes.tsv" | sort -n | awk '{a[NR] = $1} END {
  p50 = a[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]; p99 = a[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]; print p50, p99, a[NR]}')"
$PSQL -d $DB -c "SELECT appointment_id FROM event WHERE appointment_id LIKE 'ru$$-%' ORDER BY 1" >"$OUT/stored.txt"
NOT_STORED=$(comm -23 "$OUT/pushed-ok.txt" "$OUT/stored.txt" | wc -l)
STORED=$(wc -l <"$OUT/stored.txt")
# every stored event of the run must reach the receiver (it delivers what was stored, including any push that
# was stored but not answered 2xx)
for _ in $(seq 1 60); do
  $PSQL -d $DB -c "SELECT uuid FROM event WHERE appointment_id LIKE 'ru$$-%' ORDER BY 1" >"$OUT/events.txt"
  cut -f1 "$OUT/received.log" | sort -u >"$OUT/received-ids.txt"
  MISSING=$(comm -23 "$OUT/events.txt" "$OUT/received-ids.txt" | wc -l)
  [ "$MISSING" -eq 0 ] && break
  sleep 1
done
DELIVERED=$(comm -12 "$OUT/events.txt" "$OUT/received-ids.txt" | wc -l)
# The longest time without a delivery while pushes were arriving: receipts of this run's events, from the first
# push to the last push.
sort -u "$OUT/events.txt" >"$OUT/events-sorted.txt"
awk -F'\t' 'NR == FNR {run[$1] = 1; next} ($1 in run) {print $3}' "$OUT/events-sorted.txt" "$OUT/received.log" | sort -n >"$OUT/arrivals.txt"
read -r GAP GAP_AT <<<"$(awk -v s="$PUSH_START" -v e="$PUSH_END" 'BEGIN {prev = s; max = 0; at = s}
  $1 >= s && $1 <= e {if ($1 - prev > max) {max = $1 - prev; at = prev}; prev = $1}
  END {print max, at}' "$OUT/arrivals.txt")"
LAST_ANSWER=$(awk -F'\t' '$3 + $4 > m {m = $3 + $4} END {print m}' "$OUT/pushes.tsv")
DRAIN=$(( $(tail -n 1 "$OUT/arrivals.txt") - LAST_ANSWER ))
# Lock holds: per holder transaction and table, the span between its first and last sample; a transaction is a
# migration when Flyway recorded that version with installed_on = the transaction's start (now() in its transaction).
$PSQL -d $DB -F $'\t' -c "SELECT (extract(epoch FROM installed_on) * 1000000)::bigint, version, description, execution_time
                          FROM flyway_schema_history WHERE version IS NOT NULL AND version::text ~ '^[0-9.]+$'
                           AND string_to_array(version, '.')::int[] > ARRAY[$OLD_LAST] ORDER BY installed_rank" >"$OUT/applied.tsv"
TICKS=$(grep -c $'\ttick\t' "$OUT/locks.tsv" || true)
RESOLUTION=$(awk -F'\t' '$2 == "tick" {if (p) {d = $1 - p; if (d > m) m = d}; p = $1} END {print m + 0}' "$OUT/locks.tsv")
python3 - "$OUT/locks.tsv" "$OUT/applied.tsv" "$OUT/tables-before.txt" "$MIGRATIONS" >"$OUT/lock-report.txt" <<'PY'
import os, re, sys
locks, applied, before, folder = sys.argv[1:5]
norm = lambda text: re.sub(r'\s+', ' ', text).strip()
scripts = {}
for name in os.listdir(folder):
    m = re.match(r'V([0-9._]+)__', name)
    if m:
        scripts[m.group(1).replace('_', '.')] = norm(open(os.path.join(folder, name)).read())
hot = {l.strip() for l in open(before) if l.strip()}
versions = {}
for line in open(applied):
    f = line.rstrip('\n').split('\t')
    if len(f) >= 4:
        versions[int(f[0])] = (f[1], f[2], f[3])
holds = {}
for line in open(locks):
    f = line.rstrip('\n').split('\t')
    if len(f) < 6 or f[1] == 'tick' or f[3] not in hot:
        continue
    t, pid, xact, rel, mode, query = int(f[0]), f[1], int(f[2] or 0), f[3], f[4], f[5]
    key = (pid, xact, rel)
    h = holds.setdefault(key, {'first': t, 'last': t, 'modes': set(), 'query': query, 'samples': 0})
    h['last'] = t
    h['samples'] += 1
    h['modes'].add(mode)
def label(query):
    # Flyway sends each statement as written in the script (comments included): the sampled text names the script
    q = norm(query)[:90]
    for v, d, ms in versions.values():
        if len(q) >= 20 and q in scripts.get(v, ''):
            return f"V{v} {d}"
    return None
per_version = {f"V{v} {d}": (0, '', int(ms)) for v, d, ms in versions.values()}
worst = 0
for (pid, xact, rel), h in sorted(holds.items(), key=lambda kv: kv[1]['first']):
    span = h['last'] - h['first']
    name = label(h['query']) or f"not a migration (pid {pid}: {h['query'][:60]})"
    worst = max(worst, span)
    what = f"{rel} {'/'.join(sorted(h['modes']))} {span} ms ({h['samples']} sample{'s' if h['samples'] > 1 else ''})"
    if name in per_version:
        old = per_version[name]
        if span >= old[0]:
            per_version[name] = (span, what, old[2])
    else:
        per_version[name] = (span, what, None)
for name, (span, what, ms) in per_version.items():
    took = f", ran {ms} ms (flyway_schema_history)" if ms is not None else ""
    print(f"  {name}: longest writer-blocking lock {what or 'none seen'}{took}")
if not per_version:
    print("  no migration ran and no writer-blocking lock was seen")
print(f"WORST {worst}")
PY
WORST_LOCK=$(awk '/^WORST/ {print $2}' "$OUT/lock-report.txt")
APPLIED=$(cut -f2 "$OUT/applied.tsv" | sed 's/^/V/' | xargs)
echo "fill: $ROWS deliveries, events and attempts in $FILL_MS ms; database $SIZE"
echo "upgrade: previous release $(git rev-parse --short "$PREV") (V$OLD_LAST) -> $(git rev-parse --short HEAD) (${NEWEST%%__*}); applied at start: ${APPLIED:-none}; new release ready after $NEW_READY_S ms"
echo "locks (sampled every 50 ms, longest gap between samples $RESOLUTION ms, $TICKS samples):"
grep -v '^WORST' "$OUT/lock-report.txt"
echo "pushes: $PUSHES at $RATE/s ($MEASURED after the ${WARM} s warm-up), 2xx $OK, 5xx $S5XX, unanswered $NO_ANSWER, other $OTHER; latency after the warm-up p50 $P50 ms, p99 $P99 ms, max $MAXLAT ms"
echo "events: $STORED stored for the run, 2xx pushes not stored $NOT_STORED; delivered $DELIVERED, missing at receiver $MISSING"
echo "deliveries: longest gap $GAP ms while pushes arrived (from $(( GAP_AT - PUSH_START )) ms into the pushes), last receipt $DRAIN ms after the last push was answered"
echo "runtime: $(( $(date +%s) - T0 )) s"
[ "$PUSHES" -gt 0 ] || fail "no push was sent"
[ "$S5XX" -eq 0 ] || fail "$S5XX pushes answered 5xx"
[ "$NO_ANSWER" -eq 0 ] || fail "$NO_ANSWER pushes got no answer"
[ "$OTHER" -eq 0 ] || fail "$OTHER pushes answered neither 2xx nor 5xx"
[ "$NOT_STORED" -eq 0 ] || fail "$NOT_STORED pushes answered 2xx are not stored"
[ "$STORED" -eq "$OK" ] || fail "$OK pushes answered 2xx, but $STORED events stored"
[ "$MISSING" -eq 0 ] || fail "$MISSING events never reached the receiver"
[ "$P99" -lt "$MAX_P99_MS" ] || fail "push p99 $P99 ms >= $MAX_P99_MS ms"
[ "$GAP" -le "$MAX_GAP_MS" ] || fail "deliveries stopped for $GAP ms while pushes arrived"
[ "$WORST_LOCK" -le "$MAX_LOCK_MS" ] || fail "a writer-blocking lock was held $WORST_LOCK ms"
if grep -h ' ERROR ' "$OUT"/old.log "$OUT"/new.log; then fail "a release logged an ERROR"; fi
echo "PASS"
