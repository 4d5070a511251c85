#!/usr/bin/env bash
# The delivery queue under incidents, ratios measured side by side in one run (issue 25). Autovacuum is switched ON
# for the run, as in production (this machine's PostgreSQL runs with it off; it is switched back at the end).
#  1. stored:   WARM + N events stored with delivery off, then drained by a fresh process (as bench/delivery.sh);
#               the rate over the N after the first WARM.
#  2. disabled: the same with 100,000 due deliveries of a disabled target in the table (and the disabled target
#               configured, so every new event queues one more for it).
#  3. live:     pushes at full speed for LIVE_SECONDS while the same process delivers; the rate at which that process
#               drains the backlog left when the pushes stop (the ratio), the rate while they arrive and from the
#               first push to the last receipt, and the seconds with no receipt while pushes arrived.
#  4. snapshot: a REPEATABLE READ transaction held open during SNAPSHOT_SECONDS of steady traffic (RATE/s, delivered
#               as it arrives), then a stored backlog drained as in 1 while the snapshot is still held.
# Prints each rate and the ratios disabled/stored, live/stored and snapshot/stored.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-20000}
WARM=${WARM:-10000}
LIVE_SECONDS=${LIVE_SECONDS:-15}
SNAPSHOT_SECONDS=${SNAPSHOT_SECONDS:-120}
RATE=${RATE:-400}
DISABLED_ROWS=${DISABLED_ROWS:-100000}
BRIDGE_PORT=${BRIDGE_PORT:-18086}
RECV_PORT=${RECV_PORT:-18099}
DB=appointment_bridge_bench_incidents
OUT=bench/results/delivery-incidents
mkdir -p "$OUT"; rm -f "$OUT"/*.log "$OUT"/*.out
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ensure_jar

AUTOVACUUM_BEFORE=$($PSQL -c 'SHOW autovacuum')
restore() {
  kill ${BRIDGE:-} ${RECV:-} ${HOLDER:-} ${WRK:-} 2>/dev/null || true
  exec 7>&- 2>/dev/null || true
  if [ "$AUTOVACUUM_BEFORE" != on ]; then
    $PSQL -c "ALTER SYSTEM SET autovacuum = $AUTOVACUUM_BEFORE" -c 'SELECT pg_reload_conf()' >/dev/null || true
  fi
}
trap restore EXIT
$PSQL -c 'ALTER SYSTEM SET autovacuum = on' -c 'SELECT pg_reload_conf()' >/dev/null
sleep 1
echo "autovacuum: $($PSQL -c 'SHOW autovacuum') for this run (was $AUTOVACUUM_BEFORE)"

start_bridge() { # $1 = delivery enabled; $2 = extra env (e.g. the disabled target)
  env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$BRIDGE_PORT QUARKUS_MANAGEMENT_PORT=$(( BRIDGE_PORT + 1000 )) \
  BRIDGE_POLL_ENABLED=false BRIDGE_DELIVERY_ENABLED=$1 BRIDGE_TARGETS_BENCH_URL=http://127.0.0.1:$RECV_PORT/hook \
  BRIDGE_TARGETS_BENCH_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ${2:-} \
    java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >>"$OUT/bridge.log" 2>&1 &
  BRIDGE=$!
  wait_http "http://127.0.0.1:$(( BRIDGE_PORT + 1000 ))/q/health/ready" 60
}
stop_bridge() { kill "$BRIDGE"; wait "$BRIDGE" 2>/dev/null || true; BRIDGE=; }
received() { wc -l <"$OUT/received.log" 2>/dev/null || echo 0; }
events() { $PSQL -d $DB -c 'SELECT count(*) FROM event' 2>/dev/null || echo 0; }

# store COUNT [ENV]: COUNT more events with delivery off
store() {
  start_bridge false "${2:-}"
  local before target began
  before=$(events); target=$(( before + $1 )); began=$(date +%s%3N)
  wrk -t 2 -c 32 -d 120s -s bench/inbound.lua "http://127.0.0.1:$BRIDGE_PORT" >/dev/null &
  WRK=$!
  until [ "$(events)" -ge "$target" ]; do sleep 0.2; done
  kill $WRK 2>/dev/null || true; wait $WRK 2>/dev/null || true; WRK=
  echo "stored $(( $(events) - before )) events with delivery off at $(( ($(events) - before) * 1000 / ($(date +%s%3N) - began) ))/s"
  stop_bridge
}

# drain NAME [ENV]: a fresh process drains the pending deliveries of target bench; prints and returns the rate
# over the deliveries after the first WARM (the JIT warms up on those)
drain() {
  local pending
  pending=$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE target = 'bench' AND status = 'pending'")
  : >"$OUT/received.log"
  start_bridge true "${2:-}"
  until [ "$(received)" -ge "$pending" ]; do sleep 0.2; done
  stop_bridge
  cut -f3 "$OUT/received.log" | sort -n >"$OUT/receipts-$1.txt"
  RESULT=$(awk -v w="$WARM" 'NR == w { m = $1 } { l = $1 } END { printf "%.0f", (NR - w) / ((l - m) / 1000) }' \
    "$OUT/receipts-$1.txt")
  echo "$1: $pending deliveries drained; $RESULT deliveries/s over the $((pending - WARM)) after the first $WARM"
}

java -cp 'target/quarkus-app/lib/main/*' bench/Receiver.java "$RECV_PORT" 0 "$OUT/received.log" >"$OUT/receiver.out" 2>&1 &
RECV=$!
sleep 2

echo "== 1. stored backlog"
fresh_db $DB
store $((WARM + N))
drain stored; STORED=$RESULT

echo "== 2. stored backlog beside $DISABLED_ROWS due deliveries of a disabled target"
GONE="BRIDGE_TARGETS_GONE_URL=http://127.0.0.1:$RECV_PORT/gone"
$PSQL -d $DB >/dev/null <<SQL
INSERT INTO target_state (name, enabled, disabled_reason) VALUES ('gone', false, 'bench: answered 410')
    ON CONFLICT (name) DO UPDATE SET enabled = false;
WITH e AS (INSERT INTO event (uuid, type, source, appointment_id, occurred_at, payload)
           SELECT gen_random_uuid(), 'appointment.scheduled', 'inbound', 'gone-' || g, now(), '{}'
             FROM generate_series(1, $DISABLED_ROWS) g RETURNING id, appointment_id)
INSERT INTO delivery (event_id, target, status, appointment_id, source) SELECT id, 'gone', 'pending', appointment_id, 'inbound' FROM e;
SQL
store $((WARM + N)) "$GONE"
echo "disabled target's due rows: $($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE target = 'gone' AND status = 'pending'")"
drain disabled "$GONE"; DISABLED=$RESULT

echo "== 3. live: pushes at full speed for $LIVE_SECONDS s while the same process delivers"
fresh_db $DB
: >"$OUT/received.log"
start_bridge true
# warm the delivery path first, as the drains above do
java bench/Load.java "http://127.0.0.1:$BRIDGE_PORT" 2000 "$WARM" warm >/dev/null
until [ "$(received)" -ge "$WARM" ]; do sleep 0.2; done
: >"$OUT/received.log"
BEFORE=$(events)
LIVE_START=$(date +%s%3N)
wrk -t 2 -c 32 -d "${LIVE_SECONDS}s" -s bench/inbound.lua "http://127.0.0.1:$BRIDGE_PORT" >"$OUT/wrk-live.out"
PUSH_END=$(date +%s%3N)
LIVE_PUSHED=$(( $(events) - BEFORE ))
until [ "$(received)" -ge "$LIVE_PUSHED" ]; do sleep 0.2; done
stop_bridge
cut -f3 "$OUT/received.log" | sort -n >"$OUT/receipts-live.txt"
LIVE_ALL=$(awk -v s="$LIVE_START" '{ l = $1 } END { printf "%.0f", NR / ((l - s) / 1000) }' "$OUT/receipts-live.txt")
# the backlog built while delivering, drained by the same process once pushes stop
LIVE=$(awk -v e="$PUSH_END" '$1 > e { n++; l = $1 } END { printf "%.0f", n / ((l - e) / 1000) }' "$OUT/receipts-live.txt")
DURING=$(awk -v s="$LIVE_START" -v e="$PUSH_END" '$1 >= s && $1 <= e { n++ } END { printf "%.0f", n / ((e - s) / 1000) }' \
  "$OUT/receipts-live.txt")
STALLS=$(awk -v s="$LIVE_START" -v d="$LIVE_SECONDS" '{ b = int(($1 - s) / 1000); if (b >= 0 && b < d) n[b]++ }
  END { z = 0; for (i = 0; i < d; i++) if (!(i in n)) z++; print z }' "$OUT/receipts-live.txt")
echo "live: $LIVE_PUSHED events pushed in $LIVE_SECONDS s ($(grep -o 'requests_per_sec=[0-9]*' "$OUT/wrk-live.out")); $DURING deliveries/s while pushes arrived, $LIVE/s for the backlog left when they stopped, $LIVE_ALL/s from the first push to the last receipt; seconds without a receipt while pushes arrived: $STALLS of $LIVE_SECONDS"

echo "== 4. a REPEATABLE READ snapshot held through $SNAPSHOT_SECONDS s of traffic at $RATE/s, then a stored backlog"
fresh_db $DB
mkfifo "$OUT/holder.fifo" 2>/dev/null || true
$PSQL -d $DB <"$OUT/holder.fifo" >"$OUT/holder.out" 2>&1 &
HOLDER=$!
exec 7>"$OUT/holder.fifo"
echo "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM pg_class;" >&7
: >"$OUT/received.log"
start_bridge true
java bench/Load.java "http://127.0.0.1:$BRIDGE_PORT" "$RATE" $((RATE * SNAPSHOT_SECONDS)) steady >"$OUT/load-steady.out"
until [ "$(received)" -ge $((RATE * SNAPSHOT_SECONDS)) ]; do sleep 0.2; done
stop_bridge
echo "held snapshot: $($PSQL -d $DB -c "SELECT round(extract(epoch FROM max(now() - xact_start))) || ' s old' FROM pg_stat_activity WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()"); delivery dead tuples: $($PSQL -d $DB -c "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'delivery'")"
store $((WARM + N))
drain snapshot; SNAPSHOT=$RESULT
echo "COMMIT;" >&7; exec 7>&-; wait $HOLDER 2>/dev/null || true; HOLDER=

awk -v s="$STORED" -v d="$DISABLED" -v l="$LIVE" -v h="$SNAPSHOT" 'BEGIN {
  printf "RESULT stored=%d/s disabled=%d/s (%.0f%%) live=%d/s (%.0f%%) snapshot=%d/s (%.0f%%)\n",
    s, d, 100 * d / s, l, 100 * l / s, h, 100 * h / s }'
