#!/usr/bin/env bash
# A dependency down never slows the rest (exits non-zero on failure), with autovacuum as the server has it:
#  A. A Kafka target pointed at a closed port beside an HTTP target, 2,000 pushes: push answers (p99), readiness,
#     liveness and HL7 v2 acknowledgements (each sampled every 200 ms, p95 of about 30 samples; the worst is printed:
#     one sample can meet a GC pause on a machine the pushes saturate) stay under 1 s, and the HTTP target gets every
#     event.
#  B. A healthy target beside four targets that accept connections and never answer, against the same four
#     answering: the healthy target's delivery rate keeps at least 90 % (both runs in this script, side by side; the
#     events are queued first, so the rate is the delivery path's, not the pushing processes').
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-2000}
PORT=${PORT:-18120}
RECV_PORT=${RECV_PORT:-18128}
HANG_PORT=${HANG_PORT:-18129}
DB=appointment_bridge_dependency
OUT=bench/results/dependency-down
mkdir -p "$OUT"; rm -f "$OUT"/*.log "$OUT"/*.out "$OUT"/*.txt
ensure_jar
cleanup() { kill -9 ${APP:-} ${RECV:-} ${HANG:-} ${PROBE:-} 2>/dev/null || true; }
trap cleanup EXIT
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
MGMT=$((PORT + 1000))

start_bridge() { # extra env as arguments; KEEP_DB=1 keeps the database of the run before
  [ "${KEEP_DB:-0}" = 1 ] || fresh_db $DB
  env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT \
    BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/portal BRIDGE_TARGETS_PORTAL_SECRET=$SECRET \
    BRIDGE_INBOUND_HL7V2_ZONE=UTC "$@" java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar >"$OUT/bridge-$PHASE.log" 2>&1 &
  APP=$!
  wait_http "http://127.0.0.1:$MGMT/q/health/ready" 90
}
stop_bridge() { kill ${APP} 2>/dev/null || true; wait ${APP} 2>/dev/null || true; APP=; }

# push_all PREFIX: N pushes, 16 at a time; "code seconds" per push in $OUT/push-$PHASE.txt
push_all() {
  seq 1 "$N" | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST \
    "http://127.0.0.1:$PORT/webhook/appointment" -H 'Content-Type: application/json' \
    -d "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"$1-{}\",\"patient_id\":\"p-{}\",\"timestamp\":\"2026-12-07T10:00:00Z\"}" \
    >>"$OUT/push-$PHASE.txt"
}
# portal_count PREFIX: distinct deliveries of PREFIX at the portal
portal_count() { grep -c "" "$OUT/received.log" 2>/dev/null | head -1 >/dev/null; cut -f1 "$OUT/received.log" 2>/dev/null | sort -u | wc -l; }
p99() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print 0; exit} i=int(NR*0.99); if (i<1) i=1; print a[i]}'; }

echo "== A. Kafka target on a closed port beside an HTTP target ($N pushes)"
PHASE=kafka
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
start_receiver $RECV_PORT 5
start_bridge BRIDGE_TARGETS_LOG_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$CLOSED BRIDGE_TARGETS_LOG_KAFKA_TOPIC=appointments \
  BRIDGE_TARGETS_LOG_SECRET=$SECRET BRIDGE_TARGETS_LOG_TIMEOUT=8s
HL7=$'MSH|^~\\&|EPIC|CLINIC|BRIDGE|BRIDGE|20261204093000||SIU^S12^SIU_S12|MSGID|P|2.5\rSCH|PL-1|FL-1||||||ROUTINE|30|MIN|^^30^20261210103000+0100^20261210110000+0100\rPID|1||PAT-7^^^MRN\r'
( i=0; while true; do i=$((i + 1))
    printf 'ready %s\n' "$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$MGMT/q/health/ready")"
    printf 'live %s\n' "$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$MGMT/q/health/live")"
    printf 'hl7 %s\n' "$(curl -s -o /dev/null -w '%{time_total}' -X POST "http://127.0.0.1:$PORT/webhook/hl7v2" \
      -H 'Content-Type: x-application/hl7-v2+er7' --data-binary "${HL7//MSGID/P$i}")"
    sleep 0.2; done >"$OUT/probes.txt" ) & PROBE=$!
START=$(date +%s%N)
push_all kafka
PUSH_S=$(( ($(date +%s%N) - START) / 1000000 ))
for _ in $(seq 1 120); do [ "$(portal_count)" -ge "$N" ] && break; sleep 0.5; done
kill $PROBE 2>/dev/null || true; wait $PROBE 2>/dev/null || true; PROBE=
GOT=$(portal_count)
NON2XX=$(awk '$1 !~ /^2/' "$OUT/push-kafka.txt" | wc -l)
PUSH_P99=$(awk '{print $2}' "$OUT/push-kafka.txt" | p99)
worst() { awk -v k="$1" '$1==k {print $2}' "$OUT/probes.txt" | sort -n | tail -1; }
READY=$(worst ready); LIVE=$(worst live); ACK=$(worst hl7); SAMPLES=$(grep -c '^ready' "$OUT/probes.txt")
p95() { awk -v k="$1" '$1==k {print $2}' "$OUT/probes.txt" | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.95); if (i<1) i=1; print a[i]}'; }
ACK95=$(p95 hl7); READY95=$(p95 ready); LIVE95=$(p95 live)
KAFKA_PENDING=$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE target = 'log' AND status = 'pending'")
echo "pushes: $N in ${PUSH_S} ms, non-2xx $NON2XX, p99 ${PUSH_P99}s; HTTP target got $GOT/$N; Kafka deliveries pending $KAFKA_PENDING"
echo "of $SAMPLES samples, p95 (worst): readiness ${READY95}s (${READY}s), liveness ${LIVE95}s (${LIVE}s), HL7 ACK ${ACK95}s (${ACK}s)"
stop_bridge
kill $RECV 2>/dev/null || true; wait $RECV 2>/dev/null || true; RECV=
[ "$NON2XX" -eq 0 ] || fail "$NON2XX pushes not answered 2xx"
[ "$GOT" -ge "$N" ] || fail "the HTTP target got $GOT of $N"
awk -v p="$PUSH_P99" 'BEGIN {exit !(p < 1.0)}' || fail "push p99 ${PUSH_P99}s"
for v in "$READY95" "$LIVE95" "$ACK95"; do awk -v p="$v" 'BEGIN {exit !(p < 1.0)}' || fail "a probe or ACK took ${v}s"; done

echo "== B. A healthy target beside four that answer, then beside four that hang ($N pushes each)"
rate_beside() { # MODE (ok|hang): prints the healthy target's deliveries per second, first delivery to last
  # The events are queued first by a bridge that delivers nothing, then a bridge that delivers drains the queue:
  # the rate is the delivery path's own, not the pushing curl processes' (which made two runs differ by 20 %).
  PHASE=$1
  rm -f "$OUT/received.log"
  local env=()
  for t in a b c d; do env+=("BRIDGE_TARGETS_OTHER${t^^}_URL=http://127.0.0.1:$HANG_PORT/$t" "BRIDGE_TARGETS_OTHER${t^^}_SECRET=$SECRET"); done
  start_bridge BRIDGE_DELIVERY_ENABLED=false "${env[@]}"
  push_all "$1"
  stop_bridge
  start_receiver $RECV_PORT 5
  java -cp 'target/quarkus-app/lib/main/*' bench/Receiver.java $HANG_PORT 5 "$OUT/others.log" >>"$OUT/others.out" 2>&1 & HANG=$!
  wait_http "http://127.0.0.1:$HANG_PORT/control/ok" 30 >/dev/null
  curl -fs -X POST "http://127.0.0.1:$HANG_PORT/control/$1" >/dev/null
  KEEP_DB=1 start_bridge "${env[@]}"
  for _ in $(seq 1 240); do [ "$(portal_count)" -ge "$N" ] && break; sleep 0.25; done
  local got=$(portal_count)
  local first=$(cut -f3 "$OUT/received.log" | sort -n | head -1) last=$(cut -f3 "$OUT/received.log" | sort -n | tail -1)
  stop_bridge
  kill $RECV $HANG 2>/dev/null || true; wait $RECV $HANG 2>/dev/null || true; RECV=; HANG=
  [ "$got" -ge "$N" ] || fail "beside four that $1: the healthy target got $got of $N"
  awk -v n="$N" -v f="$first" -v l="$last" 'BEGIN {printf "%.0f\n", (n - 1) / ((l - f) / 1000)}'
}
OK_RATE=$(rate_beside ok)
HANG_RATE=$(rate_beside hang)
RATIO=$(awk -v a="$HANG_RATE" -v b="$OK_RATE" 'BEGIN {printf "%.2f", a / b}')
echo "healthy target: ${OK_RATE}/s beside four answering, ${HANG_RATE}/s beside four hanging: ratio $RATIO"
echo "(autovacuum $($PSQL -c 'SHOW autovacuum'), $(nproc) cores, $(date -u +%F))"
awk -v r="$RATIO" 'BEGIN {exit !(r >= 0.9)}' || fail "beside hung targets the healthy one kept only $RATIO of its speed"
echo "PASS"
