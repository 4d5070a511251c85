#!/usr/bin/env bash
# JSON logging option (exits non-zero on failure): the packaged service with
# QUARKUS_LOG_CONSOLE_JSON_ENABLED=true receives an event, refuses a bad one and shuts down; every line
# it wrote to the console must be one JSON object with timestamp, level, loggerName and message, and
# the stored event's line must be among them.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${PORT:-18072}
DB=appointment_bridge_json_logs
OUT=bench/results/json-logs
mkdir -p "$OUT"
ensure_jar
fresh_db $DB
QUARKUS_LOG_CONSOLE_JSON_ENABLED=true QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) BRIDGE_POLL_ENABLED=false \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/console.log" 2>&1 &
BRIDGE=$!
trap 'kill -9 $BRIDGE 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 60
curl -fs -o /dev/null -X POST "http://127.0.0.1:$PORT/webhook/appointment" -H 'Content-Type: application/json' \
  -d '{"event_type":"appointment.scheduled","appointment_id":"apt-json-1","patient_id":"p-1","timestamp":"2025-01-10T12:30:00Z"}'
curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/webhook/appointment" -H 'Content-Type: application/json' -d '{"event_type":'
kill -TERM $BRIDGE; wait $BRIDGE 2>/dev/null || true
python3 - "$OUT/console.log" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l.strip()]
bad = []
records = []
for n, line in enumerate(lines, 1):
    try:
        r = json.loads(line)
        if not isinstance(r, dict) or not all(k in r for k in ("timestamp", "level", "loggerName", "message")):
            raise ValueError("missing fields")
        records.append(r)
    except ValueError as e:
        bad.append(f"line {n}: {e}: {line[:120]}")
stored = [r for r in records if "Received event id=" in r["message"] and "apt-json-1" in r["message"]]
stopped = [r for r in records if "stopped in" in r["message"]]
print(f"{len(lines)} console lines, {len(records)} JSON log records, {len(bad)} not JSON")
for b in bad[:5]:
    print("  " + b)
if bad or not stored or not stopped:
    print("FAIL: " + ("lines that are not JSON log records" if bad else
                      "the stored event's line is missing" if not stored else "the shutdown line is missing"))
    sys.exit(1)
print("PASS")
PY
