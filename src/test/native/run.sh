#!/usr/bin/env bash
# Native smoke suite (issue 38): the linked executable (native-link/README.md, or BRIDGE_NATIVE=<path>) as a user
# runs it, with JSON logs on: a FHIR source polled from a fake server (create, reschedule, cancel), a JSON source,
# POST /webhook/appointment and the Canvas shape, an HL7 v2 SIU over MLLP with its ACK, signed HTTP deliveries
# each verified by the official standardwebhooks library (npm), the feed, /admin, /q/health/ready and /q/metrics
# on the management port, every log line JSON, and a SIGTERM with deliveries in flight (all finished first).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source bench/lib.sh
EXE=${BRIDGE_NATIVE:-$(ls target/native-check/out/*-runner 2>/dev/null | head -1)}
[ -x "$EXE" ] || { echo "FAIL: no native executable (./mvnw verify -Pnative-check -DskipTests -Dnative.link=true)"; exit 1; }
PORT=${PORT:-18160} MGMT=18161 MLLP=18162 FAKE=18163 RECV=18164 SLOW=18165
DB=appointment_bridge_native
OUT=target/native-smoke
mkdir -p "$OUT"; rm -f "$OUT"/*
(cd src/test/signing && npm ci --no-audit --no-fund --silent)
fresh_db $DB
cleanup() { kill -9 ${APP:-} ${FAKES:-} ${RECEIVER:-} ${SLOWRECV:-} 2>/dev/null || true; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -30 "$OUT/bridge.log" | cut -c1-300; exit 1; }
SECRET=whsec_$(head -c 32 /dev/urandom | base64 -w0)
ADMIN=native-admin-key-0123456789abcdef INBOUND=native-inbound-key-0123456789abcd FEED=native-feed-key-0123456789abcdef

python3 src/test/native/fakes.py $FAKE & FAKES=$!
node src/test/signing/receiver.mjs $RECV "$SECRET" "$OUT/verified.txt" >"$OUT/receiver.out" 2>&1 & RECEIVER=$!
java -cp 'target/quarkus-app/lib/main/*' bench/Receiver.java $SLOW 1500 "$OUT/slow.log" >"$OUT/slow.out" 2>&1 & SLOWRECV=$!
wait_http "http://127.0.0.1:$FAKE/json/appointments" 30 || fail "the fake sources did not start"
# The executable is ready in about a second, before the JVM receivers have compiled and bound: a first attempt
# refused there is retried later, and would still wait for that retry when the SIGTERM check below runs.
wait_tcp $SLOW 60 || fail "the slow receiver did not start"
wait_tcp $RECV 60 || fail "the signing receiver did not start"
for id in f1 f2; do curl -fs -X POST "http://127.0.0.1:$FAKE/control/fhir/create/$id" >/dev/null; done
curl -fs -X POST "http://127.0.0.1:$FAKE/control/json/create/j1" >/dev/null

start_native() {
  env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_LOG_CONSOLE_JSON_ENABLED=true \
    BRIDGE_ADMIN_API_KEY=$ADMIN BRIDGE_INBOUND_API_KEY=$INBOUND \
    BRIDGE_INBOUND_MLLP_PORT=$MLLP BRIDGE_INBOUND_HL7V2_ZONE=UTC BRIDGE_INBOUND_CANVAS_ZONE=UTC \
    BRIDGE_DELIVERY_ALLOW_PRIVATE_TARGETS=true \
    BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV/hook BRIDGE_TARGETS_PORTAL_SECRET=$SECRET \
    BRIDGE_TARGETS_PORTAL_FEED_KEY=$FEED \
    BRIDGE_TARGETS_SLOW_URL=http://127.0.0.1:$SLOW/slow BRIDGE_TARGETS_SLOW_SECRET=$SECRET \
    BRIDGE_SOURCES_EHR_TYPE=fhir BRIDGE_SOURCES_EHR_BASE_URL=http://127.0.0.1:$FAKE/fhir \
    BRIDGE_SOURCES_EHR_POLL_INTERVAL=1h BRIDGE_SOURCES_EHR_EMIT_ON_FIRST_SYNC=true \
    BRIDGE_SOURCES_EHR_DETECT_DELETES=off BRIDGE_SOURCES_EHR_INCLUDE_PATIENT=false \
    BRIDGE_SOURCES_PRACTICE_TYPE=json BRIDGE_SOURCES_PRACTICE_POLL_INTERVAL=1h \
    BRIDGE_SOURCES_PRACTICE_EMIT_ON_FIRST_SYNC=true \
    "BRIDGE_SOURCES_PRACTICE_URL=http://127.0.0.1:$FAKE/json/appointments?updated_since={cursor}" \
    BRIDGE_SOURCES_PRACTICE_ITEMS=/data BRIDGE_SOURCES_PRACTICE_FIELDS_ID=/id \
    BRIDGE_SOURCES_PRACTICE_FIELDS_STATUS=/state BRIDGE_SOURCES_PRACTICE_FIELDS_START=/starts_at \
    BRIDGE_SOURCES_PRACTICE_FIELDS_END=/ends_at BRIDGE_SOURCES_PRACTICE_FIELDS_UPDATED=/updated_at \
    BRIDGE_SOURCES_PRACTICE_STATUS_MAP_BOOKED=booked BRIDGE_SOURCES_PRACTICE_STATUS_MAP_CANCELLED=cancelled \
    "$EXE" >>"$OUT/bridge.log" 2>&1 &
  APP=$!
  local began=$(date +%s%N)
  wait_http "http://127.0.0.1:$MGMT/q/health/ready" 60 || fail "not ready"
  echo "ready after $(( ($(date +%s%N) - began) / 1000000 )) ms (pid $APP)"
}
admin() { curl -fs -H "X-API-Key: $ADMIN" "$@"; }
events_of() { admin "http://127.0.0.1:$PORT/webhook/events?appointment_id=$1" | python3 -c 'import json,sys; print(" ".join(e["event_type"] for e in json.load(sys.stdin)["events"]))'; }

echo "== a zone that is no zone stops the start (it failed every HL7 message instead, AR over MLLP: resent for ever)"
set +e
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT \
  BRIDGE_INBOUND_HL7V2_ZONE=Mars/Olympus timeout 60 "$EXE" >"$OUT/refused.log" 2>&1
rc=$?
set -e
{ [ $rc -ne 0 ] && [ $rc -ne 124 ]; } || fail "started with bridge.inbound.hl7v2.zone=Mars/Olympus (exit $rc)"
grep -q "bridge.inbound.hl7v2.zone" "$OUT/refused.log" || fail "the refusal does not name the setting"

echo "== start"
start_native

echo "== FHIR source: create, reschedule, cancel"
admin -X POST "http://127.0.0.1:$PORT/admin/sources/ehr/poll" >/dev/null || fail "poll ehr"
curl -fs -X POST "http://127.0.0.1:$FAKE/control/fhir/move/f1" >/dev/null
curl -fs -X POST "http://127.0.0.1:$FAKE/control/fhir/cancel/f2" >/dev/null
admin -X POST "http://127.0.0.1:$PORT/admin/sources/ehr/poll" >/dev/null || fail "poll ehr"
[ "$(events_of f1)" = "appointment.rescheduled appointment.scheduled" ] || fail "f1: $(events_of f1)"
[ "$(events_of f2)" = "appointment.cancelled appointment.scheduled" ] || fail "f2: $(events_of f2)"

echo "== JSON source"
admin -X POST "http://127.0.0.1:$PORT/admin/sources/practice/poll" >/dev/null || fail "poll practice"
curl -fs -X POST "http://127.0.0.1:$FAKE/control/json/move/j1" >/dev/null
admin -X POST "http://127.0.0.1:$PORT/admin/sources/practice/poll" >/dev/null || fail "poll practice"
[ "$(events_of j1)" = "appointment.rescheduled appointment.scheduled" ] || fail "j1: $(events_of j1)"

echo "== pushes: the published contract and the Canvas shape"
code=$(curl -s -o "$OUT/push.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/webhook/appointment" \
  -H "X-API-Key: $INBOUND" -H 'Content-Type: application/json' \
  -d '{"event_type":"appointment.scheduled","appointment_id":"w1","patient_id":"p-1","timestamp":"2026-12-07T10:00:00Z"}')
[ "$code" = 201 ] || fail "POST /webhook/appointment answered $code"
code=$(curl -s -o "$OUT/canvas.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/webhook/canvas" \
  -H "X-API-Key: $INBOUND" -H 'Content-Type: application/json' -d '{"event_type": "appointment_created",
  "appointment": {"id": "c1", "provider_id": "dr-1", "start_time": "2027-01-15T10:00:00", "duration_minutes": 30},
  "patient": {"id": "p-1"}, "timestamp": "2026-12-07T09:00:00"}')
[ "$code" = 201 ] || [ "$code" = 200 ] || fail "POST /webhook/canvas answered $code: $(cat "$OUT/canvas.json")"
[ "$(events_of c1)" = "appointment.scheduled" ] || fail "c1: $(events_of c1)"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/webhook/appointment" \
  -H "X-API-Key: $INBOUND" -H 'Content-Type: application/json' -d '{"event_type":"nope"}')
[ "$code" = 422 ] || fail "a bad push answered $code"

echo "== HL7 v2 SIU over MLLP"
ack=$(python3 - "$MLLP" <<'PY'
import socket, sys
msg = "\r".join(["MSH|^~\\&|EPIC|CLINIC|BRIDGE|BRIDGE|20261207093000||SIU^S12^SIU_S12|NATIVE-1|P|2.5",
                 "SCH|PL-h1|h1||||||ROUTINE|30|MIN|^^30^20270110103000^20270110110000",
                 "PID|1||PAT-7^^^MRN||Doe^Jane", "AIP|1||DR-1^Smith^John"]) + "\r"
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(b"\x0b" + msg.encode() + b"\x1c\r")
data = b""
while not data.endswith(b"\x1c\r"):
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace").replace("\r", "/"))
PY
)
[[ "$ack" == *"MSA|AA|NATIVE-1"* ]] || fail "MLLP ACK: $ack"
[ "$(events_of h1)" = "appointment.scheduled" ] || fail "h1: $(events_of h1)"

echo "== signed deliveries verified by standardwebhooks"
expected=$(admin "http://127.0.0.1:$PORT/webhook/events?limit=100" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
for _ in $(seq 1 60); do [ "$(grep -c '^ok ' "$OUT/verified.txt" 2>/dev/null || echo 0)" -ge "$expected" ] && break; sleep 0.5; done
ok=$(grep -c '^ok ' "$OUT/verified.txt" || true)
[ "$ok" -ge "$expected" ] || fail "$ok of $expected deliveries verified: $(sort "$OUT/verified.txt" | uniq -c | head)"
if grep -qv '^ok ' "$OUT/verified.txt"; then fail "a delivery did not verify: $(grep -v '^ok ' "$OUT/verified.txt" | head -3)"; fi
echo "$ok deliveries, every one verified"

echo "== feed, /admin, health, metrics"
curl -fsL -H "X-API-Key: $ADMIN" "http://127.0.0.1:$PORT/admin" | grep -qi "<html" || fail "/admin page"
admin "http://127.0.0.1:$PORT/admin/targets" | grep -q portal || fail "/admin/targets"
fed=$(curl -fs "http://127.0.0.1:$PORT/feed/portal?after=0&limit=100" -H "Authorization: Bearer $FEED" \
  | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["deliveries"]))') || fail "GET /feed/portal"
[ "$fed" -ge "$expected" ] || fail "the feed lists $fed of $expected deliveries"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/feed/portal" -H "Authorization: Bearer $ADMIN")
[ "$code" = 401 ] || fail "the feed with another key answered $code"
curl -fs "http://127.0.0.1:$MGMT/q/health/ready" | grep -q '"UP"' || fail "ready"
# its name is read when it starts, not when the image was built (every replica of an image had the builder's)
admin "http://127.0.0.1:$PORT/admin/replicas" | grep -q ":$APP\"" \
  || fail "/admin/replicas does not name this process ($APP): $(admin "http://127.0.0.1:$PORT/admin/replicas" | head -c 300)"
curl -fs "http://127.0.0.1:$MGMT/q/metrics" | grep -q '^bridge_' || fail "metrics"

echo "== SIGTERM with deliveries in flight"
for i in $(seq 1 20); do
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$PORT/webhook/appointment" -H "X-API-Key: $INBOUND" \
    -H 'Content-Type: application/json' \
    -d "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"t$i\",\"patient_id\":\"p-1\",\"timestamp\":\"2026-12-07T10:00:00Z\"}"
done
total=$($PSQL -d $DB -c "select count(*) from delivery where target = 'slow'")
for _ in $(seq 1 60); do
  inflight=$($PSQL -d $DB -c "select count(*) from delivery where target = 'slow' and status = 'pending' and attempts > 0")
  [ "$inflight" -ge 20 ] && break; sleep 0.25
done
[ "$inflight" -ge 20 ] || fail "only $inflight deliveries in flight to the slow target"
kill -TERM $APP
began=$(date +%s%N)
wait $APP || true
echo "stopped $(( ($(date +%s%N) - began) / 1000000 )) ms after SIGTERM with $inflight deliveries in flight"
sent=$($PSQL -d $DB -c "select count(*) from delivery where target = 'slow' and status = 'sent'")
left=$($PSQL -d $DB -c "select count(*) from delivery where target = 'slow' and status = 'pending' and attempts > 0")
[ "$sent" -ge "$inflight" ] && [ "$left" -eq 0 ] \
  || fail "$sent sent, $left left mid-attempt, of the $inflight in flight at SIGTERM"
echo "slow target: the $inflight in flight at SIGTERM finished and recorded ($sent sent, $total queued)"

echo "== JSON logs"
python3 - "$OUT/bridge.log" <<'PY' || fail "a log line is not JSON"
import json, sys
n = 0
for line in open(sys.argv[1]):
    if line.strip():
        json.loads(line); n += 1
print(f"{n} log lines, every one JSON")
PY
echo "PASS"
