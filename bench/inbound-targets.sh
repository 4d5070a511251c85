#!/usr/bin/env bash
# What configured targets cost the receiving path: the load of bench/inbound.sh (wrk, 64 connections, a unique
# appointment per request) against the packaged jar with 0, 1 and 3 targets, side by side in one run (ROUNDS rounds,
# each round the three in turn, each on a fresh database), delivery off: each stored event writes its outbox rows,
# takes its order locks and its targets' numbers, nothing is sent. Prints each run, the medians and the ratios to
# the no-target rate; CHECK=1 exits non-zero unless 1 target keeps >= 70 % and 3 targets >= 60 % of it at p99 < 25 ms.
# AUTOVACUUM=on|off sets the server's autovacuum for the run (ALTER SYSTEM, put back afterwards); the run says which
# it used. BREAKDOWN=1 prints the per-event database time of each step of the write (event insert, outbox insert and
# its head check, order locks, sequence, NOTIFY, commit) from pg_stat_statements, which must be preloaded
# (shared_preload_libraries; the script says how when it is not). JFR=1 records a flight recording of each run
# under target/bench-inbound-targets/ (JFR_SETTINGS=profile by default: a .jfc file for another sampling period).
#   bench/inbound-targets.sh
#   ROUNDS=3 AUTOVACUUM=on CHECK=1 bench/inbound-targets.sh
#   ROUNDS=1 BREAKDOWN=1 JFR=1 bench/inbound-targets.sh
#   JAR=/path/to/quarkus-app/quarkus-run.jar COUNTS="1 3" bench/inbound-targets.sh   (another build, to compare)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${DURATION:-12}
WARMUP=${WARMUP:-10}
ROUNDS=${ROUNDS:-2}
COUNTS=${COUNTS:-"0 1 3"}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18380}
DB=appointment_bridge_inbound_targets
OUT=target/bench-inbound-targets
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ensure_jar
# The JVM as src/main/docker/Dockerfile.jvm runs it in deploy/kubernetes.yaml's 768 MiB: run-java.sh's options
# (ParallelGC and its heap ratios) with JAVA_MAX_MEM_RATIO=25. JAVA_OPTS=... overrides.
IMAGE_JVM="-XX:MaxRAM=768m -XX:MaxRAMPercentage=25.0 -XX:+UseParallelGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
IMAGE_JVM="$IMAGE_JVM -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError"
[ "${JAVA_OPTS:-}" != "-XX:MaxRAM=768m" ] || JAVA_OPTS=$IMAGE_JVM

AUTOVACUUM_BEFORE=$($PSQL -c "SHOW autovacuum")
restore() {
  [ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null || true
  if [ -n "${AUTOVACUUM:-}" ] && [ "$AUTOVACUUM" != "$AUTOVACUUM_BEFORE" ]; then
    $PSQL -c "ALTER SYSTEM SET autovacuum = $AUTOVACUUM_BEFORE" -c "SELECT pg_reload_conf()" >/dev/null
  fi
}
trap restore EXIT
if [ -n "${AUTOVACUUM:-}" ]; then
  $PSQL -c "ALTER SYSTEM SET autovacuum = $AUTOVACUUM" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
fi
if [ "${BREAKDOWN:-0}" = 1 ] && ! $PSQL -c "SHOW shared_preload_libraries" | grep -q pg_stat_statements; then
  echo "BREAKDOWN=1 needs pg_stat_statements preloaded: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'," >&2
  echo "then restart PostgreSQL (pg_ctlcluster --skip-systemctl-redirect 15 main restart)" >&2
  exit 1
fi
echo "autovacuum=$($PSQL -c "SHOW autovacuum") synchronous_commit=$($PSQL -c "SHOW synchronous_commit")" \
     "fsync=$($PSQL -c "SHOW fsync"); JVM options: ${JAVA_OPTS:-(none)}; $CONNECTIONS connections, ${DURATION}s after ${WARMUP}s"

# metric NAME PHASE: the sum of a bridge_event_log_batch_seconds phase, from the management port
metric() { curl -s "http://127.0.0.1:$(( PORT + 1000 ))/q/metrics" | awk -v p="$1" '$1 == p {print $2}'; }
# breakdown N EVENTS STATEMENTS_S COMMIT_S: per-event microseconds of each step of the write path, from pg_stat_statements of the run's database
breakdown() {
  $PSQL -d $DB -F $'\t' -c "
    WITH s AS (
      SELECT CASE WHEN query ~* '^\s*INSERT INTO event' THEN '1 event insert'
                  WHEN query ~* '^\s*INSERT INTO delivery ' THEN '2 outbox insert + head check'
                  WHEN query ~* 'pg_advisory_xact_lock' THEN '3 order locks'
                  WHEN query ~* 'INSERT INTO target_sequence' THEN '4 sequence'
                  WHEN query ~* 'pg_notify' THEN '5 NOTIFY (statement)'
                  WHEN query ~* '^\s*COMMIT' THEN '6 commit'
                  ELSE '7 other' END AS step, calls, total_exec_time
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$DB')
    SELECT step, sum(calls), round(sum(total_exec_time)::numeric, 1),
           round((sum(total_exec_time) / NULLIF($2, 0) * 1000)::numeric, 1)
      FROM s GROUP BY step ORDER BY step" |
  awk -F'\t' -v n="$1" 'BEGIN {printf "  breakdown, %s target(s): step | statements | total ms | us per event\n", n}
                       {printf "    %-30s %8d %10.1f %8.1f\n", $1, $2, $3, $4}'
  awk -v n="$2" -v s="$3" -v c="$4" 'BEGIN {
    printf "    %-30s %8s %10.1f %8.1f\n", "writer: statements (JDBC)", "", s * 1000, s * 1e6 / n
    printf "    %-30s %8s %10.1f %8.1f\n", "writer: commit", "", c * 1000, c * 1e6 / n}'
}

# CPU time (clock ticks) of a process, and of every PostgreSQL process: per stored event, what the machine's two
# cores were spent on, which stays comparable when the rate swings with the neighbours' load
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { local t=0 p; for p in $(pgrep -u postgres); do t=$(( t + $(ticks "$p") )); done; echo "$t"; }
per_event_us() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (n > 0) ? (t * 1000000 / hz / n) : 0}'; }

run() { # run N ROUND: one measured run with N targets; appends "N req/s p99 rss" to $OUT/runs.tsv
  local n=$1 targets=() pid
  for i in $(seq 1 "$n"); do targets+=("BRIDGE_TARGETS_T${i}_URL=http://127.0.0.1:9/t$i"); done
  fresh_db $DB
  if [ "${BREAKDOWN:-0}" = 1 ]; then $PSQL -d $DB -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null; fi
  local jfr=""
  if [ "${JFR:-0}" = 1 ]; then jfr="-XX:StartFlightRecording=filename=$OUT/targets-$n-round-$2.jfr,settings=${JFR_SETTINGS:-profile},delay=${WARMUP}s,duration=${DURATION}s"; fi
  env ${targets[@]+"${targets[@]}"} BRIDGE_DELIVERY_ENABLED=false BRIDGE_POLL_ENABLED=false \
    QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) java ${JAVA_OPTS:-} $jfr -jar "${JAR:-target/quarkus-app/quarkus-run.jar}" \
    >"$OUT/targets-$n.log" 2>&1 &
  PID=$!
  wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 90
  wrk -t 2 -c "$CONNECTIONS" -d "${WARMUP}s" -s bench/inbound.lua "http://127.0.0.1:$PORT" >/dev/null
  local s0 c0
  if [ "${BREAKDOWN:-0}" = 1 ]; then $PSQL -d $DB -c "SELECT pg_stat_statements_reset()" >/dev/null; fi
  s0=$(metric 'bridge_event_log_batch_seconds_sum{phase="statements"}')
  c0=$(metric 'bridge_event_log_batch_seconds_sum{phase="commit"}')
  local before after result
  before=$($PSQL -d $DB -c "SELECT count(*) FROM event")
  local jvm0 pg0
  jvm0=$(ticks "$PID"); pg0=$(pg_ticks)
  result=$(wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" -s bench/inbound.lua --timeout 5s "http://127.0.0.1:$PORT" | grep RESULT)
  local jvm_us pg_us created
  created=$(sed -E 's/.*created=([0-9]+).*/\1/' <<<"$result")
  jvm_us=$(per_event_us $(( $(ticks "$PID") - jvm0 )) "$created")
  pg_us=$(per_event_us $(( $(pg_ticks) - pg0 )) "$created")
  after=$($PSQL -d $DB -c "SELECT count(*) FROM event")
  local rps p99 rss rows
  rps=$(sed -E 's/.*requests_per_sec=([0-9]+).*/\1/' <<<"$result")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$result")
  rss=$(( $(awk '/VmHWM/ {print $2}' /proc/$PID/status) / 1024 ))
  rows=$($PSQL -d $DB -c "SELECT count(*) FROM delivery")
  if [ "${BREAKDOWN:-0}" = 1 ]; then
    breakdown "$n" $(( after - before )) \
      "$(awk -v a="$(metric 'bridge_event_log_batch_seconds_sum{phase="statements"}')" -v b="$s0" 'BEGIN {print a - b}')" \
      "$(awk -v a="$(metric 'bridge_event_log_batch_seconds_sum{phase="commit"}')" -v b="$c0" 'BEGIN {print a - b}')"
  fi
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  [ $(( after - before )) -ge "$created" ] || fail "$n target(s): $created answered 201 but $(( after - before )) rows committed"
  printf '  round %s, %s target(s): %6s req/s  p99 %6s ms  peak RSS %s MiB  CPU per event: JVM %s µs, PostgreSQL %s µs  (201: %s, delivery rows in all: %s)\n' \
    "$2" "$n" "$rps" "$p99" "$rss" "$jvm_us" "$pg_us" "$created" "$rows"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$rps" "$p99" "$rss" "$jvm_us" "$pg_us" >>"$OUT/runs.tsv"
}

rm -f "$OUT/runs.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for n in $COUNTS; do run "$n" "$round"; done
done

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "medians over $ROUNDS round(s):"
BASE=""
STATUS=0
for n in $COUNTS; do
  rps=$(awk -F'\t' -v n="$n" '$1 == n {print $2}' "$OUT/runs.tsv" | median)
  p99=$(awk -F'\t' -v n="$n" '$1 == n {print $3}' "$OUT/runs.tsv" | median)
  rss=$(awk -F'\t' -v n="$n" '$1 == n {print $4}' "$OUT/runs.tsv" | sort -n | tail -n 1)
  jvm_us=$(awk -F'\t' -v n="$n" '$1 == n {print $5}' "$OUT/runs.tsv" | median)
  pg_us=$(awk -F'\t' -v n="$n" '$1 == n {print $6}' "$OUT/runs.tsv" | median)
  [ -n "$BASE" ] || BASE=$rps
  ratio=$(awk -v a="$rps" -v b="$BASE" 'BEGIN {printf "%.2f", a / b}')
  echo "  $n target(s): $rps req/s (x$ratio of no target), p99 $p99 ms, peak RSS $rss MiB, CPU per event: JVM $jvm_us µs, PostgreSQL $pg_us µs"
  if [ "${CHECK:-0}" = 1 ]; then
    want=$(case $n in 0) echo 0 ;; 1) echo 0.70 ;; *) echo 0.60 ;; esac)
    awk -v r="$ratio" -v w="$want" 'BEGIN {exit !(r >= w)}' || { echo "FAIL: $n target(s) at x$ratio < x$want" >&2; STATUS=1; }
    awk -v p="$p99" 'BEGIN {exit !(p < 25)}' || { echo "FAIL: $n target(s) p99 $p99 ms >= 25 ms" >&2; STATUS=1; }
    [ "$rss" -lt 300 ] || { echo "FAIL: $n target(s) peak RSS $rss MiB >= 300" >&2; STATUS=1; }
  fi
done
exit $STATUS
