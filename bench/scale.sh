#!/usr/bin/env bash
# How far replicas on one PostgreSQL go: 1, 2 and 4 replicas of the packaged jar on one fresh database, each with
# the same SOURCES quiet JSON sources (bench/JsonStub.java, polled every INTERVAL) and one signed target
# (bench/Receiver.java), while wrk pushes unique appointments to every replica at once (64 connections split between
# them). For DURATION seconds after WARM seconds it measures, side by side in one run:
#   received/s   201 answers per second, all replicas together;
#   delivered/s  deliveries the receiver logged per second (per-appointment order is the claim's, as always);
#   polls/s      completed source polls per second (source_state.polls_ok), against SOURCES/INTERVAL offered;
#   PostgreSQL's share of the machine's CPU (its processes' utime+stime), and the whole machine's busy share.
# Prints one row per replica count and the ratios to one replica.
#   bench/scale.sh
#   SOURCES=1000 INTERVAL=30s DURATION=30 WARM=20 REPLICAS="1 2 4" bench/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SOURCES=${SOURCES:-1000}
INTERVAL=${INTERVAL:-30s}
DURATION=${DURATION:-30}
WARM=${WARM:-20}
REPLICAS=${REPLICAS:-"1 2 4"}
PORT=${PORT:-18300}
STUB_PORT=${STUB_PORT:-18390}
RECV_PORT=${RECV_PORT:-18391}
DB=appointment_bridge_scale
OUT=target/bench-scale
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ensure_jar

# The sources, as a configuration file every replica reads (quarkus.config.locations).
CONF="$PWD/$OUT/sources.properties"
python3 - "$SOURCES" "$STUB_PORT" "$INTERVAL" >"$CONF" <<'PY'
import sys
n, port, interval = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(1, n + 1):
    p = f"bridge.sources.s{i:04d}."
    print(f"{p}type=json\n{p}url=http://127.0.0.1:{port}/s/{i}?since={{cursor}}\n{p}poll-interval={interval}")
    print(f"{p}items=/items\n{p}fields.id=/id\n{p}fields.status=/status\n{p}fields.start=/start")
    print(f"{p}fields.updated=/updated\n{p}status-map.booked=booked")
PY

java -cp 'target/quarkus-app/lib/main/*' bench/JsonStub.java "$STUB_PORT" >"$OUT/stub.log" 2>&1 & STUB=$!
: >"$OUT/received.log"
start_receiver "$RECV_PORT" 0
PIDS=()
cleanup() { kill -9 ${PIDS[@]:-} $STUB ${RECV:-} 2>/dev/null || true; }
trap cleanup EXIT
HZ=$(getconf CLK_TCK)
CORES=$(nproc)
pg_ticks() { # utime+stime of every postgres process
  local total=0
  for p in $(pgrep -x postgres); do
    [ -r /proc/$p/stat ] && total=$(( total + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0) ))
  done
  echo $total
}
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
all_ticks() { awk '/^cpu / {s = 0; for (i = 2; i <= NF; i++) s += $i; print s; exit}' /proc/stat; }

echo "autovacuum=$($PSQL -c 'SHOW autovacuum') synchronous_commit=$($PSQL -c 'SHOW synchronous_commit'); $CORES cores;" \
  "$SOURCES sources every $INTERVAL (offered $(python3 -c "import re;s='$INTERVAL';v=float(re.sub('[a-z]+','',s));u={'s':1,'m':60}[re.sub('[0-9.]+','',s)];print(round($SOURCES/(v*u),1))") polls/s);" \
  "wrk 64 connections; ${WARM}s warm-up, ${DURATION}s measured"
printf '%-9s %12s %12s %9s %10s %10s\n' replicas received/s delivered/s polls/s "pg cpu" "all cpu" | tee "$OUT/table.txt"
for n in $REPLICAS; do
  fresh_db $DB
  PIDS=()
  for i in $(seq 0 $(( n - 1 ))); do
    QUARKUS_CONFIG_LOCATIONS="file:$CONF" QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
    QUARKUS_HTTP_PORT=$(( PORT + i )) QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 + i )) \
    BRIDGE_TARGETS_SINK_URL=http://127.0.0.1:$RECV_PORT/hook \
    BRIDGE_TARGETS_SINK_SECRET=whsec_c2NhbGUtYmVuY2gtc2VjcmV0LW5vdC1mb3ItdXNlIQ== \
      java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$OUT/replica-$n-$i.log" 2>&1 &
    PIDS+=($!)
  done
  for i in $(seq 0 $(( n - 1 ))); do
    wait_http "http://127.0.0.1:$(( PORT + 1000 + i ))/q/health/ready" 180 \
      || fail "replica $i of $n did not become ready; see $OUT/replica-$n-$i.log"
  done
  load() { # load SECONDS: wrk against every replica at once; prints the summed 201/s
    local pids=() i
    for i in $(seq 0 $(( n - 1 ))); do
      wrk -t 1 -c $(( 64 / n )) -d "$1s" -s bench/inbound.lua --timeout 5s "http://127.0.0.1:$(( PORT + i ))" \
        >"$OUT/wrk-$n-$i.txt" 2>&1 & pids+=($!)
    done
    wait "${pids[@]}"
    cat "$OUT"/wrk-$n-*.txt | awk '/^RESULT/ {for (f = 1; f <= NF; f++) if ($f ~ /^created=/) {split($f, a, "="); c += a[2]}} END {print c + 0}'
  }
  load "$WARM" >/dev/null
  d0=$(wc -l <"$OUT/received.log"); p0=$($PSQL -d $DB -c "SELECT COALESCE(sum(polls_ok), 0) FROM source_state")
  g0=$(pg_ticks); b0=$(busy_ticks); a0=$(all_ticks)
  created=$(load "$DURATION")
  d1=$(wc -l <"$OUT/received.log"); p1=$($PSQL -d $DB -c "SELECT COALESCE(sum(polls_ok), 0) FROM source_state")
  g1=$(pg_ticks); b1=$(busy_ticks); a1=$(all_ticks)
  python3 - "$n" "$created" "$(( d1 - d0 ))" "$(( p1 - p0 ))" "$(( g1 - g0 ))" "$(( b1 - b0 ))" "$(( a1 - a0 ))" \
    "$DURATION" "$HZ" "$CORES" <<'PY' | tee -a "$OUT/table.txt"
import sys
n, created, delivered, polls, pg, busy, allt, d, hz, cores = map(float, sys.argv[1:])
print(f"{int(n):<9d} {created / d:12.0f} {delivered / d:12.0f} {polls / d:9.1f} {pg / (d * hz * cores) * 100:9.0f}% "
      f"{busy / allt * 100:9.0f}%")
PY
  kill "${PIDS[@]}" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "${PIDS[@]}" 2>/dev/null || break; sleep 1; done
  kill -9 "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true
done
python3 - "$OUT/table.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:] if l.strip()]
base = rows[0]
for r in rows[1:]:
    print(f"{r[0]} replicas / 1: received {float(r[1]) / float(base[1]):.2f}, delivered {float(r[2]) / float(base[2]):.2f},"
          f" polls {float(r[3]) / max(float(base[3]), 0.1):.2f}")
PY
