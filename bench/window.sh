#!/usr/bin/env bash
# Window-scan benchmark (issue 18): a FHIR server under Oracle Health Millennium's search contract
# (dev.appointmentbridge.support.WindowBenchServer, from the test classes) holding N appointments (default
# 100,000) over DAYS days (30) in LOCATIONS locations (20); a window source with one scope per location,
# day slices, a day back and DAYS ahead, paced at RPS requests/s (5). Runs two sweeps through
# POST /admin/sources/mill/poll (the first sync, then a steady-state one) and prints, for each, the requests
# and seconds it took, then the bridge's memory and any request that broke the contract.
#   bench/window.sh
#   RPS=0 bench/window.sh          # unpaced: what the sweep costs the bridge itself
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-100000}
LOCATIONS=${LOCATIONS:-20}
DAYS=${DAYS:-30}
RPS=${RPS:-5}
PAGE=${PAGE:-100}
PORT=${PORT:-18083}
DB=appointment_bridge_bench_window

ensure_jar
[ -f target/test-classes/dev/appointmentbridge/support/WindowBenchServer.class ] || ./mvnw -q -B test-compile
fresh_db $DB
mkdir -p bench/results

java -Xmx2g -cp target/test-classes dev.appointmentbridge.support.WindowBenchServer "$N" "$LOCATIONS" "$DAYS" \
  >bench/results/window-stub.log 2>&1 &
STUB=$!
trap 'kill $STUB ${PID:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q '^http' bench/results/window-stub.log && break; sleep 1; done
BASE=$(grep -m1 '^http' bench/results/window-stub.log) || fail "the stub did not start"
STATS=${BASE%/fhir}/stats
SCOPES=$(seq 0 $((LOCATIONS - 1)) | sed 's/^/location:loc-/' | paste -sd, -)

java ${JAVA_OPTS:-} -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB -Dquarkus.http.port=$PORT \
  -Dbridge.poll.enabled=false -Dbridge.admin.api-key=bench-admin-key \
  -Dbridge.sources.mill.base-url="$BASE" -Dbridge.sources.mill.mode=window -Dbridge.sources.mill.scopes="$SCOPES" \
  -Dbridge.sources.mill.window.back=1d -Dbridge.sources.mill.window.ahead="${DAYS}d" -Dbridge.sources.mill.window.slice=1d \
  -Dbridge.sources.mill.page-size=$PAGE -Dbridge.sources.mill.include-patient=false \
  -Dbridge.sources.mill.max-requests-per-second=$RPS -Dbridge.sources.mill.request-timeout=60s \
  -jar target/quarkus-app/quarkus-run.jar >bench/results/window-service.log 2>&1 &
PID=$!
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 60

requests() { curl -fs "$STATS" | grep -o '"requests":[0-9]*' | cut -d: -f2; }
sweep() {
  local before out t after
  before=$(requests)
  out=$(curl -fs -X POST -H 'X-API-Key: bench-admin-key' -w ' %{time_total}' "http://127.0.0.1:$PORT/admin/sources/mill/poll")
  t=${out##* }
  after=$(requests)
  echo "$1: $((after - before)) requests, ${t}s at max-requests-per-second=$RPS ($(awk -v r=$((after - before)) -v t="$t" 'BEGIN { printf "%.1f", r / t }') req/s);" \
    "$(echo "$out" | grep -o '"records":[0-9]*'), $(echo "$out" | grep -o '"events":[0-9]*')"
}
echo "$N appointments, $LOCATIONS locations, $DAYS days; window: 1 day back, $DAYS ahead, day slices, pages of $PAGE"
sweep "sweep 1 (first sync, silent baseline)"
sweep "sweep 2 (steady state)"
echo "scan note: $(curl -fs -H 'X-API-Key: bench-admin-key' "http://127.0.0.1:$PORT/admin/sources" | grep -o '"window":"[^"]*"' | cut -c1-220)"
jcmd $PID GC.run >/dev/null
echo "bridge heap in use after a full GC: $(jcmd $PID GC.heap_info | grep -o 'used [0-9]*K' | head -1 | awk '{ printf "%d MiB", $2 / 1024 }')," \
  "peak RSS: $(( $(awk '/VmHWM/ {print $2}' /proc/$PID/status) / 1024 )) MiB (JAVA_OPTS=${JAVA_OPTS:-})"
echo "snapshots: $($PSQL -d $DB -c 'SELECT count(*) FROM appointment_snapshot'); requests that broke the contract: $(curl -fs "$STATS" | grep -o '"violations":[0-9]*' | cut -d: -f2)"
