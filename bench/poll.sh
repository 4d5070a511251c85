#!/usr/bin/env bash
# Poll benchmark: a local FHIR stub with N appointments (default 100,000); times the first sync (silent
# baseline) and an incremental poll of C changes (default 10,000) over that store, through
# POST /admin/sources/bench/poll on the packaged jar; prints records/s and the bridge's peak RSS.
#   bench/poll.sh
#   N=20000 C=2000 PAGE=500 bench/poll.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-100000}
C=${C:-10000}
PAGE=${PAGE:-1000}
PORT=${PORT:-18081}
STUB_PORT=${STUB_PORT:-18090}
DB=appointment_bridge_bench_poll

ensure_jar
fresh_db $DB
mkdir -p bench/results

java -Xmx1g bench/FhirStub.java "$STUB_PORT" "$N" >bench/results/poll-stub.log 2>&1 &
STUB=$!
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) \
BRIDGE_POLL_ENABLED=false BRIDGE_ADMIN_API_KEY=bench-admin-key \
BRIDGE_SOURCES_BENCH_BASE_URL=http://127.0.0.1:$STUB_PORT/fhir BRIDGE_SOURCES_BENCH_PAGE_SIZE=$PAGE \
BRIDGE_SOURCES_BENCH_INCLUDE_PATIENT=false \
BRIDGE_SOURCES_WARM_BASE_URL=http://127.0.0.1:$STUB_PORT/fhir BRIDGE_SOURCES_WARM_PAGE_SIZE=$PAGE \
BRIDGE_SOURCES_WARM_INCLUDE_PATIENT=false \
  java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >bench/results/poll-service.log 2>&1 &
PID=$!
trap 'kill $PID $STUB 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" >/dev/null && grep -q "FHIR stub" bench/results/poll-stub.log && break
  sleep 1
done

poll() { curl -fs -X POST -H 'X-API-Key: bench-admin-key' -w ' %{time_total}' "http://127.0.0.1:$PORT/admin/sources/${1:-bench}/poll"; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }

OUT=$(poll); T=${OUT##* }
echo "first sync:   $(echo "$OUT" | grep -o '"records":[0-9]*') in ${T}s = $(rate "$N" "$T") appointments/s (baseline, $(echo "$OUT" | grep -o '"events":[0-9]*'); JVM just started)"
OUT=$(poll warm); T=${OUT##* }
echo "first sync of a second source on the running bridge: $(echo "$OUT" | grep -o '"records":[0-9]*') in ${T}s = $(rate "$N" "$T") appointments/s"
OUT=$(poll); T=${OUT##* }
echo "no-change poll: $(echo "$OUT" | grep -o '"records":[0-9]*') in ${T}s"
for round in 1 2 3; do
  curl -fs -X POST "http://127.0.0.1:$STUB_PORT/control/change?n=$C" >/dev/null
  OUT=$(poll); T=${OUT##* }
  echo "incremental #$round: $C changes over a store of $N: $(echo "$OUT" | grep -o '"records":[0-9]*'), $(echo "$OUT" | grep -o '"events":[0-9]*') in ${T}s = $(rate "$C" "$T") changes/s"
done
echo "snapshots: $($PSQL -d $DB -c 'SELECT count(*) FROM appointment_snapshot')   events: $($PSQL -d $DB -c 'SELECT count(*) FROM event')"
echo "bridge peak RSS: $(( $(awk '/VmHWM/ {print $2}' /proc/$PID/status) / 1024 )) MiB"
