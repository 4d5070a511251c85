#!/usr/bin/env bash
# Load test of the receiving endpoint: wrk, 64 connections, DURATION seconds, a unique appointment per
# request, against the packaged jar and the local PostgreSQL (fresh database each run). Prints req/s,
# p50/p99 latency and checks that every 201 is a committed row.
#   bench/inbound.sh                # 30 s
#   DURATION=10 bench/inbound.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
DB=appointment_bridge_bench

command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ensure_jar
fresh_db $DB
mkdir -p bench/results
LOG=bench/results/inbound-service.log
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) \
  java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 60 || { echo "service did not start; see $LOG" >&2; exit 1; }

WARMUP=${WARMUP:-15}
echo "warm-up (${WARMUP} s)"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" -s bench/inbound.lua "http://127.0.0.1:$PORT" | grep RESULT
BEFORE=$($PSQL -d $DB -c "SELECT count(*) FROM event")

echo "JVM options: ${JAVA_OPTS:-(none)}"
echo "PostgreSQL synchronous_commit=$($PSQL -c "SHOW synchronous_commit") fsync=$($PSQL -c "SHOW fsync")"
echo "measured run: $CONNECTIONS connections, ${DURATION}s"
OUT=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" -s bench/inbound.lua --timeout 5s "http://127.0.0.1:$PORT")
echo "$OUT" | grep -v RESULT
RESULT=$(echo "$OUT" | grep RESULT)
echo "$RESULT"
CREATED=$(echo "$RESULT" | sed -E 's/.*created=([0-9]+).*/\1/')
AFTER=$($PSQL -d $DB -c "SELECT count(*) FROM event")
STORED=$((AFTER - BEFORE))
RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
echo "201 responses: $CREATED   rows committed: $STORED   peak RSS: $((RSS_KB / 1024)) MiB"
if [ "$STORED" -lt "$CREATED" ]; then
  echo "FAIL: fewer committed rows than 201 answers" >&2
  exit 1
fi
