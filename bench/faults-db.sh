#!/usr/bin/env bash
# PostgreSQL restarted under the running service (exits non-zero on failure):
#  1. mid-poll-cycle: a first sync of 10,000 appointments over 100 slow pages; PostgreSQL restarts while
#     the cycle is half-way. Pages commit one by one, so the pages before the restart keep their events; the
#     cycle fails, and the next one resumes from the last committed page: every appointment gets exactly one
#     event.
#  2. mid-delivery: the same 10,000 events go to a receiver that holds each request 300 ms; PostgreSQL
#     restarts with deliveries in flight. Every event must still arrive.
# The same bridge process must survive both restarts and report ready afterwards.
# It restarts the machine's PostgreSQL cluster: do not run it while anything else uses that server.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-10000}
BRIDGE_PORT=${BRIDGE_PORT:-18088}
STUB_PORT=${STUB_PORT:-18092}
RECV_PORT=${RECV_PORT:-18099}
DB=appointment_bridge_faults
OUT=bench/results/faults-db
mkdir -p "$OUT"; rm -f "$OUT"/*.log "$OUT"/*.out
ensure_jar
fresh_db $DB
cleanup() { kill -9 ${BRIDGE:-} ${STUB:-} ${RECV:-} 2>/dev/null || true; }
trap cleanup EXIT
restart_pg() {
  local t0; t0=$(date +%s%N)
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main restart
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 0.2; done
  echo "PostgreSQL restarted in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}
metric() { # metric NAME FILTER: sum of a counter on the bridge
  curl -fs "http://127.0.0.1:$(( BRIDGE_PORT + 1000 ))/q/metrics" | grep "^$1" | grep -- "$2" | awk '{s += $2} END {printf "%d", s}'
}
events() { $PSQL -d $DB -c "SELECT count(*) FROM event"; }

java bench/FhirStub.java $STUB_PORT $N 40 >"$OUT/stub.out" 2>&1 & STUB=$!
start_receiver $RECV_PORT 300
wait_http "http://127.0.0.1:$STUB_PORT/control/stats" 30
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$BRIDGE_PORT QUARKUS_MANAGEMENT_PORT=$(( BRIDGE_PORT + 1000 )) \
BRIDGE_SOURCES_CLINIC_BASE_URL=http://127.0.0.1:$STUB_PORT/fhir BRIDGE_SOURCES_CLINIC_PAGE_SIZE=100 \
BRIDGE_SOURCES_CLINIC_INCLUDE_PATIENT=false BRIDGE_SOURCES_CLINIC_POLL_INTERVAL=2s \
BRIDGE_SOURCES_CLINIC_EMIT_ON_FIRST_SYNC=true BRIDGE_POLL_INITIAL_DELAY=3s \
BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook BRIDGE_TARGETS_PORTAL_TIMEOUT=5s \
BRIDGE_DELIVERY_LEASE=10s BRIDGE_DELIVERY_RETRY_SCHEDULE=1s,2s,4s,8s,15s,30s \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/bridge.log" 2>&1 &
BRIDGE=$!
wait_http "http://127.0.0.1:$(( BRIDGE_PORT + 1000 ))/q/health/ready" 60

echo "== 1: restart mid-cycle"
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$STUB_PORT/control/stats" | grep -q '"open_cycles":1' && break; sleep 0.1
done
sleep 1.5 # about a third of the 100 pages
echo "stub before the restart: $(curl -fs "http://127.0.0.1:$STUB_PORT/control/stats"), events committed: $(events)"
restart_pg
EARLY=$(events)
for _ in $(seq 1 90); do [ "$(events)" -ge "$N" ] && break; sleep 1; done
FAILED_CYCLES=$(metric bridge_poll_cycles_total 'result="failed"')
echo "events right after the restart: $EARLY; after recovery: $(events); failed cycles: $FAILED_CYCLES"

echo "== 2: restart mid-delivery"
for _ in $(seq 1 60); do [ "$(distinct)" -ge $((N / 4)) ] && break; sleep 0.5; done
echo "received before the restart: $(distinct) of $N"
restart_pg
for _ in $(seq 1 120); do [ "$(distinct)" -ge "$N" ] && break; sleep 1; done
echo "received after recovery: $(distinct) of $N"
sleep 3

echo "== checks"
EVENTS=$(events)
TWICE=$($PSQL -d $DB -c "SELECT count(*) FROM (SELECT 1 FROM event GROUP BY appointment_id HAVING count(*) > 1) t")
MISSING=$(missing_at_receiver $DB)
NOT_SENT=$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE status <> 'sent'")
REPEATS=$(( $(wc -l <"$OUT/received.log") - $(distinct) ))
echo "events $EVENTS (expected $N), appointments with more than one event $TWICE, missing at the target $MISSING," \
  "not sent $NOT_SENT, repeated requests (same webhook-id) $REPEATS"
[ "$EARLY" -lt "$N" ] || fail "the restart did not interrupt the first sync"
[ "$FAILED_CYCLES" -ge 1 ] || fail "no poll cycle failed: the restart did not hit a cycle"
[ "$EVENTS" -eq "$N" ] || fail "expected $N events, found $EVENTS"
[ "$TWICE" -eq 0 ] || fail "$TWICE appointments got more than one event"
[ "$MISSING" -eq 0 ] || fail "$MISSING events never reached the target"
[ "$NOT_SENT" -eq 0 ] || fail "$NOT_SENT deliveries not sent"
kill -0 $BRIDGE 2>/dev/null || fail "the bridge process died"
curl -fs "http://127.0.0.1:$(( BRIDGE_PORT + 1000 ))/q/health/ready" >/dev/null || fail "the bridge is not ready after the restarts"
echo "PASS"
