#!/usr/bin/env bash
# Fault test: 10,000 generated malformed requests to POST /webhook/appointment against the packaged jar;
# exits non-zero on any 5xx or any refusal that is not a 4xx in the contract's error shape.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
COUNT=${COUNT:-10000}
PORT=${PORT:-18085}
DB=appointment_bridge_malformed
mkdir -p bench/results
ensure_jar
fresh_db $DB
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) BRIDGE_POLL_ENABLED=false \
  java -jar target/quarkus-app/quarkus-run.jar >bench/results/malformed-service.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 60
java bench/Malformed.java "http://127.0.0.1:$PORT" "$COUNT"
if grep -q "ERROR" bench/results/malformed-service.log; then
  echo "FAIL: the service logged errors:" >&2; grep "ERROR" bench/results/malformed-service.log | head -5 >&2; exit 1
fi
