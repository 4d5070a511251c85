#!/usr/bin/env bash
# End-to-end check of the bridge against a real FHIR server (HAPI FHIR JPA, which the user runs; this script
# never builds or starts it). Creates patients, practitioners, locations and N booked future appointments in
# HAPI, starts the packaged bridge on a fresh database (its first poll is a silent baseline), then makes a few
# hundred timed changes over ~75 s (reschedules, practitioner swaps, participant reorders, cancellations,
# no-shows, completions, comment edits, rebookings with the R5 "replaces" extension, deletes, new bookings,
# double changes) and compares the bridge's `event` table with the events those changes must produce:
# per category expected / missing / unexpected / duplicate, and the change→event latency.
# The source also runs its reconciliation sweep (issue 18) every RECONCILE (default 20s; 0 = off) over the
# appointments' 32 days: at the end the script prints the drift it counted. On a server whose cursor misses
# nothing that is 0, and an event sent twice (once by a sweep, once by the cursor) is a duplicate below.
# Everything this run creates carries the identifier system urn:bench-run; only the appointment ids this run
# created are judged, so HAPI may hold data of earlier runs. Exit 1 on any missing, unexpected or duplicate event.
#   HAPI=http://127.0.0.1:8090/fhir bench/hapi.sh
#   N=1000 POLL=2s DURATION=75 SEED=42 APP=/tmp/other-build/quarkus-app PORT=18085 bench/hapi.sh
#   MODE=window RPS=0 POLL=5s bench/hapi.sh     # a window source over the run's locations (issue 18)
# Results (driver output, bridge log, events.tsv, expect.tsv, problems.txt) go to bench/results/hapi-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
HAPI=${HAPI:-http://127.0.0.1:8090/fhir}
HAPI=${HAPI%/}
N=${N:-1000}
POLL=${POLL:-2s}
RECONCILE=${RECONCILE:-20s}
MODE=${MODE:-cursor}                # window: scan the run's locations day by day instead (issue 18)
RPS=${RPS:-10}                      # the source's max-requests-per-second
PORT=${PORT:-18085}
APP=${APP:-target/quarkus-app}     # the packaged bridge to test
DURATION=${DURATION:-75}           # seconds the changes are spread over
SEED=${SEED:-$RANDOM}
DB=appointment_bridge_bench_hapi
RUN=bench-$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/hapi-${RUN#bench-}
BRIDGE=http://127.0.0.1:$PORT

case $POLL in
  *ms) POLL_MS=${POLL%ms} ;;
  *s)  POLL_MS=$(( ${POLL%s} * 1000 )) ;;
  *m)  POLL_MS=$(( ${POLL%m} * 60000 )) ;;
  *)   fail "POLL must look like 2s, 500ms or 1m" ;;
esac
driver() { java bench/HapiDriver.java "$@"; }
event_count() { $PSQL -d $DB -c "SELECT count(*) FROM event WHERE source='hapi'"; }

[ "$APP" = target/quarkus-app ] && ensure_jar
[ -f "$APP/quarkus-run.jar" ] || fail "no $APP/quarkus-run.jar"
curl -fs -o /dev/null "$HAPI/metadata" || fail "no FHIR server at $HAPI (start it first, e.g. sh /work/hapi/run.sh)"
mkdir -p "$OUT"
echo "run $RUN: HAPI $HAPI, N=$N, POLL=$POLL, bridge $APP, results in $OUT"

# 1. Setup data first: the bridge's first successful poll only takes a silent baseline of it.
driver setup "$HAPI" "$N" "$OUT" "$RUN" | tee "$OUT/driver.out"

fresh_db $DB
WINDOW_OPTS=()
if [ "$MODE" = window ]; then
  SCOPES=$(cut -f5 "$OUT/appointments.tsv" | sort -u | sed 's/^Location\///; s/^/location:/' | paste -sd, -)
  WINDOW_OPTS=(-Dbridge.sources.hapi.mode=window "-Dbridge.sources.hapi.scopes=$SCOPES")
  echo "window mode, scopes $SCOPES"
fi
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) \
BRIDGE_SOURCES_HAPI_BASE_URL=$HAPI BRIDGE_SOURCES_HAPI_POLL_INTERVAL=$POLL BRIDGE_SOURCES_HAPI_PAGE_SIZE=100 \
BRIDGE_SOURCES_HAPI_EMIT_ON_FIRST_SYNC=false BRIDGE_DELIVERY_ALLOW_PRIVATE_TARGETS=true BRIDGE_ADMIN_API_KEY=bench-admin-key \
BRIDGE_SOURCES_HAPI_RECONCILE_INTERVAL=$RECONCILE BRIDGE_SOURCES_HAPI_WINDOW_AHEAD=32d \
BRIDGE_SOURCES_HAPI_MAX_REQUESTS_PER_SECOND=$RPS \
  java ${JAVA_OPTS:-} "${WINDOW_OPTS[@]}" -jar "$APP/quarkus-run.jar" >"$OUT/bridge.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 60 || fail "bridge not ready (see $OUT/bridge.log)"

# Baseline done: /admin/sources says so, and every appointment of this run has a snapshot.
IDS="{$(cut -f1 "$OUT/appointments.tsv" | paste -sd,)}"
ours_in_snapshots() {
  $PSQL -d $DB -c "SELECT count(*) FROM appointment_snapshot WHERE source='hapi' AND appointment_id = ANY('$IDS')"
}
baseline=""
for _ in $(seq 1 180); do
  baseline=$(curl -fs -H "X-API-Key: bench-admin-key" "$BRIDGE/admin/sources" | python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin) if x.get("name") == "hapi"][0]
print(s.get("baseline_done"), s.get("snapshots"), s.get("last_result"), s.get("last_error"))' 2>/dev/null || true)
  case $baseline in
    True\ *) [ "$(echo "$baseline" | cut -d' ' -f2)" -ge "$N" ] && [ "$(ours_in_snapshots)" -ge "$N" ] && break ;;
  esac
  sleep 1
done
OURS=$(ours_in_snapshots)
echo "baseline: baseline_done/snapshots/last_result/last_error = $baseline; $OURS of this run's $N appointments in snapshots; events so far: $(event_count)"
[ "$OURS" -ge "$N" ] || echo "WARN: baseline lacks $(( N - OURS )) of this run's appointments; their changes will look new to the bridge"

# 2. The changes, at random moments over DURATION seconds.
driver changes "$HAPI" "$OUT" "$POLL_MS" "$DURATION" "$SEED" | tee -a "$OUT/driver.out"

# 3. Catch up: until no new event for 3 x POLL + 5 s (at most 120 s).
quiet_ms=$(( 3 * POLL_MS + 5000 ))
last=$(event_count); since=$(date +%s%3N); began=$since
while :; do
  sleep 1
  now=$(date +%s%3N); count=$(event_count)
  if [ "$count" != "$last" ]; then last=$count; since=$now; fi
  (( now - since >= quiet_ms )) && break
  (( now - began >= 120000 )) && { echo "WARN: events still arriving after 120 s"; break; }
done
echo "caught up: $last events (source hapi) after $(( (now - began) / 1000 )) s of waiting"

# 4. Compare.
$PSQL -d $DB -F $'\t' -c "SELECT appointment_id, type, (extract(epoch FROM received_at) * 1000)::bigint, payload
  FROM event WHERE source = 'hapi' ORDER BY id" >"$OUT/events.tsv"
curl -fs -H "X-API-Key: bench-admin-key" "$BRIDGE/admin/sources" >"$OUT/sources.json" || true
curl -fs "http://127.0.0.1:$(( PORT + 1000 ))/q/metrics" | grep '^bridge_reconcile_drift_total{.*source="hapi"' | sed 's/^/drift: /' \
  | tee -a "$OUT/driver.out" || echo "drift: no series (RECONCILE=$RECONCILE)" | tee -a "$OUT/driver.out"
echo "sweep: $(python3 -c 'import json,sys; print([s for s in json.load(open(sys.argv[1])) if s["name"] == "hapi"][0].get("reconcile"))' "$OUT/sources.json")" \
  | tee -a "$OUT/driver.out"
echo "events with reason reconciled: $(grep -c '"reason":"reconciled"' "$OUT/events.tsv" || true)" | tee -a "$OUT/driver.out"
set +e
driver compare "$OUT" "$POLL_MS" | tee -a "$OUT/driver.out"
rc=${PIPESTATUS[0]}
exit "$rc"
