#!/usr/bin/env bash
# The native executable (native-link/README.md, CI-only route) and the jar side by side in one run, container-sized
# (-XX:MaxRAM=768m for the jar; the executable's own default heap is sized from the host, so -Xmx256m is set):
# time to ready, RSS idle, received/s and p99 under the receive benchmark (wrk, 64 connections, unique
# appointments, one target, delivery off) with peak RSS, then delivered/s draining that backlog to a receiver.
#   bench/native.sh                      # 15 s per measured run
#   DURATION=30 ROUNDS=2 bench/native.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-1} PORT=${PORT:-18180} RECV_PORT=${RECV_PORT:-18188}
DB=appointment_bridge_native_bench
OUT=bench/results/native
mkdir -p "$OUT"; rm -f "$OUT"/*
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
EXE=${BRIDGE_NATIVE:-$(ls target/native-check/out/*-runner 2>/dev/null | head -1)}
[ -x "$EXE" ] || { echo "no native executable: ./mvnw verify -Pnative-check -DskipTests -Dnative.link=true" >&2; exit 1; }
ensure_jar
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
cleanup() { kill -9 ${APP:-} ${RECV:-} 2>/dev/null || true; }
trap cleanup EXIT
rss() { awk '/VmRSS/ {print int($2 / 1024)}' /proc/$1/status; }
peak() { awk '/VmHWM/ {print int($2 / 1024)}' /proc/$1/status; }

run() { # KIND (jar|native) DELIVERY(true|false): starts it; sets APP and READY (ms to ready)
  local cmd
  if [ "$1" = jar ]; then cmd=(java -XX:MaxRAM=768m -jar target/quarkus-app/quarkus-run.jar); else cmd=("$EXE" -Xmx256m); fi
  local began=$(date +%s%N)
  env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) BRIDGE_DELIVERY_ENABLED=$2 \
    BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/portal BRIDGE_TARGETS_PORTAL_SECRET=$SECRET \
    "${cmd[@]}" >>"$OUT/$1.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null 2>&1 && break; sleep 0.05; done
  READY=$(( ($(date +%s%N) - began) / 1000000 ))
}

measure() { # KIND: one round, one line of figures
  fresh_db $DB
  local ready idle
  run "$1" false; ready=$READY
  sleep 2; idle=$(rss $APP)
  wrk -t 2 -c 64 -d 5s -s bench/inbound.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up
  local out rate p99 peak_rss stored
  out=$(wrk -t 2 -c 64 -d "${DURATION}s" -s bench/inbound.lua --latency --timeout 5s "http://127.0.0.1:$PORT")
  rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  peak_rss=$(peak $APP)
  kill $APP; wait $APP 2>/dev/null || true
  stored=$($PSQL -d $DB -c "select count(*) from delivery where status = 'pending'")
  rm -f "$OUT/received.log"
  start_receiver $RECV_PORT 0
  wait_http "http://127.0.0.1:$RECV_PORT/control/ok" 30 >/dev/null 2>&1 || true
  run "$1" true
  local began=$(date +%s%N)
  for _ in $(seq 1 1200); do
    [ "$($PSQL -d $DB -c "select count(*) from delivery where status = 'pending'")" = 0 ] && break; sleep 0.25
  done
  local ms=$(( ($(date +%s%N) - began) / 1000000 ))
  kill $APP; wait $APP 2>/dev/null || true; kill $RECV; wait $RECV 2>/dev/null || true
  printf '%-7s ready %5d ms | RSS idle %4d MiB | received %6d/s p99 %7s peak RSS %4d MiB | delivered %6d/s (%d)\n' \
    "$1" "$ready" "$idle" "$rate" "$p99" "$peak_rss" $(( stored * 1000 / (ms > 0 ? ms : 1) )) "$stored"
}

echo "native: $EXE ($(du -m "$EXE" | cut -f1) MB); jar: -XX:MaxRAM=768m; autovacuum $($PSQL -c 'SHOW autovacuum'), $(nproc) cores, $(date -u +%F)"
for r in $(seq 1 "$ROUNDS"); do
  measure jar
  measure native
done
