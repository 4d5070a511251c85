#!/usr/bin/env bash
# Browser test of the /admin operator page (exits non-zero on failure). Installs what it needs when it
# is missing (Debian's chromium, playwright-core from npm), starts the packaged service against a fresh
# database with a fake FHIR source, a receiving target and a target on a closed port (one retry, so its
# deliveries go dead within seconds), waits for a delivered and a dead delivery, then runs
# admin-page.test.mjs in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source bench/lib.sh
PORT=${PORT:-18071}
STUB_PORT=${STUB_PORT:-18093}
RECV_PORT=${RECV_PORT:-18094}
DB=appointment_bridge_browser
OUT=target/browser-test
ADMIN_KEY=admin-key-for-the-browser-test
mkdir -p "$OUT"

if ! command -v chromium >/dev/null; then
  echo "installing Debian's chromium"
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
(cd src/test/browser && npm ci --no-audit --no-fund --silent)
ensure_jar
fresh_db $DB
cleanup() { kill -9 ${BRIDGE:-} ${STUB:-} ${RECV:-} 2>/dev/null || true; }
trap cleanup EXIT

java bench/FhirStub.java $STUB_PORT 3 >"$OUT/stub.out" 2>&1 & STUB=$!
start_receiver $RECV_PORT 0
wait_http "http://127.0.0.1:$STUB_PORT/control/stats" 30
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) \
BRIDGE_ADMIN_API_KEY=$ADMIN_KEY \
BRIDGE_SOURCES_CLINIC_BASE_URL=http://127.0.0.1:$STUB_PORT/fhir BRIDGE_SOURCES_CLINIC_INCLUDE_PATIENT=false \
BRIDGE_SOURCES_CLINIC_POLL_INTERVAL=2s BRIDGE_SOURCES_CLINIC_EMIT_ON_FIRST_SYNC=true \
BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook \
BRIDGE_TARGETS_BROKEN_URL=http://127.0.0.1:9/closed-port BRIDGE_TARGETS_BROKEN_CONNECT_TIMEOUT=1s \
BRIDGE_DELIVERY_RETRY_SCHEDULE=1s BRIDGE_DELIVERY_JITTER=0 \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/bridge.log" 2>&1 &
BRIDGE=$!
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 60
for _ in $(seq 1 30); do
  [ "$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE status = 'sent'")" -ge 3 ] \
    && [ "$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE status = 'dead'")" -ge 1 ] && break; sleep 0.5
done

BRIDGE_URL=http://127.0.0.1:$PORT ADMIN_KEY=$ADMIN_KEY APPOINTMENT=apt-0 SCREENSHOT=$OUT/admin-page.png \
  node src/test/browser/admin-page.test.mjs
