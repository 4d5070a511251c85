#!/usr/bin/env bash
# Two replicas of the packaged service on one database, one FHIR source and one target (exits non-zero
# on failure). Both poll the same source every second and both run a delivery worker. It checks:
#  - the source is never polled by both at once (the stub counts open cycles) and each replica polled;
#  - every change becomes exactly one event (2,000 first-sync events, then 3 x 300 reschedules);
#  - every event reaches the target, and both replicas made a fair share of the delivery attempts.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-2000}
CHANGES=${CHANGES:-300}
ROUNDS=3
PORT_A=${PORT_A:-18086}
PORT_B=${PORT_B:-18087}
STUB_PORT=${STUB_PORT:-18091}
RECV_PORT=${RECV_PORT:-18098}
DB=appointment_bridge_replicas
OUT=bench/results/replicas
mkdir -p "$OUT"; rm -f "$OUT"/*.log "$OUT"/*.out
ensure_jar
fresh_db $DB
cleanup() { kill -9 ${A:-} ${B:-} ${STUB:-} ${RECV:-} 2>/dev/null || true; }
trap cleanup EXIT

java bench/FhirStub.java $STUB_PORT $N >"$OUT/stub.out" 2>&1 & STUB=$!
start_receiver $RECV_PORT 20
start_replica() {
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$1 QUARKUS_MANAGEMENT_PORT=$(( $1 + 1000 )) \
  BRIDGE_SOURCES_CLINIC_BASE_URL=http://127.0.0.1:$STUB_PORT/fhir BRIDGE_SOURCES_CLINIC_PAGE_SIZE=200 \
  BRIDGE_SOURCES_CLINIC_INCLUDE_PATIENT=false BRIDGE_SOURCES_CLINIC_POLL_INTERVAL=1s \
  BRIDGE_SOURCES_CLINIC_EMIT_ON_FIRST_SYNC=true \
  BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook \
  BRIDGE_TARGETS_PORTAL_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw BRIDGE_DELIVERY_MAX_IN_FLIGHT=64 BRIDGE_TARGETS_PORTAL_MAX_IN_FLIGHT=64 \
    java -jar target/quarkus-app/quarkus-run.jar >"$OUT/replica-$1.log" 2>&1 &
}
start_replica $PORT_A; A=$!
start_replica $PORT_B; B=$!
wait_http "http://127.0.0.1:$(( PORT_A + 1000 ))/q/health/ready" 60
wait_http "http://127.0.0.1:$(( PORT_B + 1000 ))/q/health/ready" 60
wait_http "http://127.0.0.1:$STUB_PORT/control/stats" 30

events() { $PSQL -d $DB -c "SELECT count(*) FROM event"; }
await_events() {
  for _ in $(seq 1 60); do [ "$(events)" -ge "$1" ] && return 0; sleep 1; done
  fail "only $(events) of $1 events after 60 s"
}
await_events $N
echo "first sync: $(events) events"
for round in $(seq 1 $ROUNDS); do
  curl -fs -X POST "http://127.0.0.1:$STUB_PORT/control/change?n=$CHANGES" >/dev/null
  await_events $((N + round * CHANGES))
  sleep 2 # a few more cycles that must find nothing new
done
TOTAL=$((N + ROUNDS * CHANGES))
for _ in $(seq 1 90); do [ "$(distinct)" -ge "$TOTAL" ] && break; sleep 1; done
sleep 3 # anything derived twice would now show

echo "== checks"
STATS=$(curl -fs "http://127.0.0.1:$STUB_PORT/control/stats")
MAX_OPEN=$(echo "$STATS" | grep -o '"max_open_cycles":[0-9]*' | cut -d: -f2)
cycles() { # cycles PORT RESULT: this replica's poll cycles that ended so
  curl -fs "http://127.0.0.1:$(( $1 + 1000 ))/q/metrics" | grep '^bridge_poll_cycles_total' | grep "result=\"$2\"" \
    | awk '{s += $2} END {printf "%d", s}'
}
OK_A=$(cycles $PORT_A ok); OK_B=$(cycles $PORT_B ok)
SKIPPED=$(( $(cycles $PORT_A skipped) + $(cycles $PORT_B skipped) ))
EVENTS=$(events)
TWICE=$($PSQL -d $DB -c "SELECT count(*) FROM (SELECT 1 FROM event GROUP BY appointment_id, type HAVING count(*) > 1) t")
MISSING=$(missing_at_receiver $DB)
NOT_SENT=$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE status <> 'sent'")
$PSQL -d $DB -F ' ' -c "SELECT instance, count(*) FROM delivery_attempt GROUP BY 1 ORDER BY 2 DESC" >"$OUT/spread.txt"
INSTANCES=$(wc -l <"$OUT/spread.txt")
SMALLEST=$(tail -n 1 "$OUT/spread.txt" | awk '{print $2}')
ATTEMPTS=$(awk '{s += $2} END {print s}' "$OUT/spread.txt")
echo "source: $STATS; successful cycles: replica A $OK_A, replica B $OK_B; skipped because the other held the source: $SKIPPED"
echo "events: $EVENTS (expected $TOTAL), appointment+type pairs derived twice: $TWICE"
echo "target: $(distinct) distinct webhook-ids, missing $MISSING, deliveries not sent $NOT_SENT"
echo "delivery attempts by replica:"; sed 's/^/  /' "$OUT/spread.txt"
[ "$MAX_OPEN" -eq 1 ] || fail "the source was polled by $MAX_OPEN cycles at once"
[ "$OK_A" -gt 0 ] && [ "$OK_B" -gt 0 ] || fail "only one replica ever polled (A $OK_A, B $OK_B)"
[ "$EVENTS" -eq "$TOTAL" ] || fail "expected $TOTAL events, found $EVENTS"
[ "$TWICE" -eq 0 ] || fail "$TWICE changes were derived twice"
[ "$MISSING" -eq 0 ] || fail "$MISSING events never reached the target"
[ "$NOT_SENT" -eq 0 ] || fail "$NOT_SENT deliveries not sent"
[ "$INSTANCES" -eq 2 ] || fail "deliveries were made by $INSTANCES replicas, not 2"
[ $((SMALLEST * 10)) -ge "$ATTEMPTS" ] || fail "one replica made only $SMALLEST of $ATTEMPTS attempts (< 10%)"
if grep -h ' ERROR ' "$OUT"/replica-*.log; then fail "a replica logged an ERROR"; fi
echo "PASS"
