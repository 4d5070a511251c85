#!/usr/bin/env bash
# A target that fails for a while (exits non-zero on failure): 200 appointments get four events each,
# one round at a time, while the target answers 200, then HTTP 500, then hangs past the request
# timeout, then recovers. Every event must be acknowledged by the target in the end, and for each
# appointment the target must have acknowledged its events in the order they were created.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
M=${M:-200}
BRIDGE_PORT=${BRIDGE_PORT:-18089}
RECV_PORT=${RECV_PORT:-18095}
DB=appointment_bridge_target_faults
OUT=bench/results/faults-target
mkdir -p "$OUT"; rm -f "$OUT"/*.log "$OUT"/*.out "$OUT"/*.tsv
ensure_jar
fresh_db $DB
cleanup() { kill -9 ${BRIDGE:-} ${RECV:-} 2>/dev/null || true; }
trap cleanup EXIT

start_receiver $RECV_PORT 0
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$BRIDGE_PORT QUARKUS_MANAGEMENT_PORT=$(( BRIDGE_PORT + 1000 )) BRIDGE_POLL_ENABLED=false \
BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook BRIDGE_TARGETS_PORTAL_TIMEOUT=1s \
BRIDGE_DELIVERY_LEASE=10s BRIDGE_DELIVERY_RETRY_SCHEDULE=1s,1s,2s,2s,3s,3s,5s,5s,5s,5s,10s,10s \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/bridge.log" 2>&1 &
BRIDGE=$!
wait_http "http://127.0.0.1:$(( BRIDGE_PORT + 1000 ))/q/health/ready" 60
wait_http "http://127.0.0.1:$RECV_PORT/control/ok" 30 # (GET is fine: any request to /control/ok sets the mode)

target_mode() { curl -fs -X POST "http://127.0.0.1:$RECV_PORT/control/$1" >/dev/null; echo "target now answers: $1"; }
round() { # round TYPE: one event of TYPE for each appointment; returns when all are stored
  seq 1 "$M" | xargs -P 8 -I{} curl -fs -o /dev/null -X POST "http://127.0.0.1:$BRIDGE_PORT/webhook/appointment" \
    -H 'Content-Type: application/json' \
    -d "{\"event_type\":\"$1\",\"appointment_id\":\"apt-{}\",\"patient_id\":\"p-{}\",\"timestamp\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
  echo "stored $M x $1"
}
acknowledged() { awk -F'\t' '$4 == "ok"' "$OUT/received.log" 2>/dev/null | cut -f1 | sort -u | wc -l; }

round appointment.scheduled
sleep 1
target_mode 500
round appointment.rescheduled
sleep 4
target_mode hang
round appointment.cancelled
sleep 4
round appointment.scheduled
sleep 2
target_mode ok
TOTAL=$((M * 4))
START=$(date +%s)
for _ in $(seq 1 120); do [ "$(acknowledged)" -ge "$TOTAL" ] && break; sleep 1; done
echo "after recovery: $(acknowledged) of $TOTAL events acknowledged in $(( $(date +%s) - START )) s"
sleep 2

echo "== checks"
ANSWERS=$(cut -f4 "$OUT/received.log" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}')
# Each event's first acknowledged request, numbered in arrival order.
awk -F'\t' '$4 == "ok" && !seen[$1]++ { print $1 "\t" ++n }' "$OUT/received.log" >"$OUT/acked.tsv"
$PSQL -d $DB >"$OUT/order-check.txt" <<SQL
CREATE TEMP TABLE acked (uuid uuid, seq int);
\copy acked FROM '$OUT/acked.tsv'
SELECT count(*) FROM event e LEFT JOIN acked a ON a.uuid = e.uuid WHERE a.seq IS NULL;
SELECT count(*) FROM (
  SELECT a.seq < lag(a.seq) OVER (PARTITION BY e.appointment_id ORDER BY e.id) AS out_of_order
    FROM event e JOIN acked a ON a.uuid = e.uuid) t WHERE out_of_order;
SQL
read -r NEVER OUT_OF_ORDER < <(xargs <"$OUT/order-check.txt")
EVENTS=$($PSQL -d $DB -c "SELECT count(*) FROM event")
NOT_SENT=$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE status <> 'sent'")
echo "target answers: ${ANSWERS%, }"
echo "events $EVENTS, never acknowledged $NEVER, acknowledged out of creation order $OUT_OF_ORDER, deliveries not sent $NOT_SENT"
[ "$EVENTS" -eq "$TOTAL" ] || fail "expected $TOTAL events, found $EVENTS"
grep -q $'\t500$' "$OUT/received.log" || fail "the target never answered 500: the test did not test anything"
grep -q $'\thang$' "$OUT/received.log" || fail "the target never hung: the test did not test anything"
[ "$NEVER" -eq 0 ] || fail "$NEVER events were never acknowledged"
[ "$OUT_OF_ORDER" -eq 0 ] || fail "$OUT_OF_ORDER events were acknowledged before an older event of their appointment"
[ "$NOT_SENT" -eq 0 ] || fail "$NOT_SENT deliveries not sent"
echo "PASS"
