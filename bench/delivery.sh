#!/usr/bin/env bash
# Delivery benchmark against a local receiver (signed, standard format):
#  1. throughput: WARM (10,000) + N (20,000) events are stored with delivery off, then the bridge starts
#     with delivery on and drains them; prints deliveries/s over the N that follow the first WARM (the JIT
#     compiles the delivery path during those) and over everything from JVM start.
#  2. latency: events arrive at 200/s for 30 s; prints p50/p99 from event commit to receipt.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-20000}
WARM=${WARM:-10000}
RATE=${RATE:-200}
SECONDS_AT_RATE=${SECONDS_AT_RATE:-30}
BRIDGE_PORT=${BRIDGE_PORT:-18084}
RECV_PORT=${RECV_PORT:-18097}
DB=appointment_bridge_bench_delivery
OUT=bench/results/delivery
mkdir -p "$OUT"; rm -f "$OUT"/*.log
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ensure_jar
fresh_db $DB

start_bridge() { # $1 = delivery enabled; BRIDGE_ENV="BRIDGE_DELIVERY_MAX_IN_FLIGHT=1024 ..." to try settings
  env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$BRIDGE_PORT QUARKUS_MANAGEMENT_PORT=$(( BRIDGE_PORT + 1000 )) \
  BRIDGE_POLL_ENABLED=false BRIDGE_DELIVERY_ENABLED=$1 BRIDGE_TARGETS_BENCH_URL=http://127.0.0.1:$RECV_PORT/hook \
  BRIDGE_TARGETS_BENCH_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ${BRIDGE_ENV:-} \
    java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >>"$OUT/bridge.log" 2>&1 &
  BRIDGE=$!
}
received() { wc -l <"$OUT/received.log" 2>/dev/null || echo 0; }
trap 'kill ${BRIDGE:-} ${RECV:-} 2>/dev/null || true' EXIT

java -cp 'target/quarkus-app/lib/main/*' bench/Receiver.java "$RECV_PORT" 0 "$OUT/received.log" >"$OUT/receiver.out" 2>&1 &
RECV=$!
start_bridge false
wait_http "http://127.0.0.1:$(( BRIDGE_PORT + 1000 ))/q/health/ready" 60
echo "== storing $WARM + $N events with delivery off"
wrk -t 2 -c 32 -d 60s -s bench/inbound.lua "http://127.0.0.1:$BRIDGE_PORT" >/dev/null &
WRK=$!
until [ "$($PSQL -d $DB -c 'SELECT count(*) FROM event')" -ge "$((WARM + N))" ]; do sleep 0.2; done
kill $WRK 2>/dev/null || true; wait $WRK 2>/dev/null || true
STORED=$($PSQL -d $DB -c 'SELECT count(*) FROM event')
kill $BRIDGE; wait $BRIDGE 2>/dev/null || true
wait_http "http://127.0.0.1:$RECV_PORT/" 1 2>/dev/null || true
: >"$OUT/received.log"

echo "== draining $STORED deliveries (signed, standard format)"
START=$(date +%s.%N)
start_bridge true
until [ "$(received)" -ge "$STORED" ]; do sleep 0.2; done
END=$(date +%s.%N)
READY=$(grep -o 'started in [0-9.]*s' "$OUT/bridge.log" | tail -1)
awk -v n="$STORED" -v s="$START" -v e="$END" 'BEGIN { printf "throughput: %d deliveries in %.2f s = %.0f deliveries/s (including JVM start)\n", n, e - s, n / (e - s) }'
cut -f3 "$OUT/received.log" | sort -n >"$OUT/receipt-times.txt"
awk -v w="$WARM" -v s="$START" 'NR == 1 { f = $1 } NR == w { m = $1 } { l = $1 }
  END { printf "throughput: first receipt %.1f s after the start; sustained over the %d after the first %d: %.0f deliveries/s\n",
        f / 1000 - s, NR - w, w, (NR - w) / ((l - m) / 1000) }' "$OUT/receipt-times.txt"
echo "bridge $READY; peak RSS $(( $(awk '/VmHWM/ {print $2}' /proc/$BRIDGE/status) / 1024 )) MiB"

echo "== latency at $RATE events/s for $SECONDS_AT_RATE s (after 10 s at that rate to warm up the JIT)"
java bench/Load.java "http://127.0.0.1:$BRIDGE_PORT" "$RATE" $((RATE * 10)) warm >/dev/null
: >"$OUT/received.log"
java bench/Load.java "http://127.0.0.1:$BRIDGE_PORT" "$RATE" $((RATE * SECONDS_AT_RATE)) lat
sleep 2
$PSQL -d $DB -F $'\t' -c "SELECT uuid, (extract(epoch FROM received_at) * 1000)::bigint FROM event WHERE appointment_id LIKE 'lat-%'" \
  | sort >"$OUT/committed.tsv"
sort -t $'\t' -k1,1 -k3,3n "$OUT/received.log" | awk -F'\t' '!seen[$1]++ { print $1 "\t" $3 }' | sort >"$OUT/first-receipt.tsv"
join -t $'\t' "$OUT/committed.tsv" "$OUT/first-receipt.tsv" | awk -F'\t' '{ print $3 - $2 }' | sort -n >"$OUT/latency-ms.txt"
COUNT=$(wc -l <"$OUT/latency-ms.txt")
pct() { awk -v p="$1" -v n="$COUNT" 'NR == int((n - 1) * p / 100) + 1 { print; exit }' "$OUT/latency-ms.txt"; }
echo "commit-to-receipt over $COUNT events: p50 $(pct 50) ms, p90 $(pct 90) ms, p99 $(pct 99) ms, max $(awk 'END { print }' "$OUT/latency-ms.txt") ms"
