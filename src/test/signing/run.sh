#!/usr/bin/env bash
# Signing keys and signatures against the reference implementation (issue 17), on the packaged jar:
#  1. weak or malformed signing keys stop the start with a message that names the setting, never the key;
#  2. real deliveries, from events posted plain, gzip- and deflate-encoded, all verify with the official
#     Standard Webhooks verifier from npm (`standardwebhooks`, installed here), and a changed body does not.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source bench/lib.sh
PORT=${PORT:-18075}
RECV_PORT=${RECV_PORT:-18096}
DB=appointment_bridge_signing
OUT=target/signing-test
COUNT=${COUNT:-30}
mkdir -p "$OUT"; rm -f "$OUT"/*
(cd src/test/signing && npm ci --no-audit --no-fund --silent)
ensure_jar
fresh_db $DB
cleanup() { kill -9 ${BRIDGE:-} ${RECV:-} 2>/dev/null || true; }
trap cleanup EXIT
jdbc=jdbc:postgresql://127.0.0.1:5432/$DB
b64() { head -c "$1" /dev/urandom | base64 -w0; }

echo "== 1. signing keys the Standard Webhooks spec does not allow are refused at start"
key32=$(b64 32)
bad_keys=(
  "whsec_AAAA"                                   # 3 bytes (the field report)
  "whsec_$(b64 23)"                              # one byte short
  "whsec_$(b64 65)"                              # one byte long
  "whsec_$(b64 33 | tr '+/' '-_')x"              # URL-safe alphabet, not standard base64
  "whsec_${key32%=}"                             # padding dropped
  "$key32"                                       # no whsec_ prefix
)
for key in "${bad_keys[@]}"; do
  log="$OUT/refusal.log"
  set +e
  QUARKUS_DATASOURCE_JDBC_URL=$jdbc QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) BRIDGE_POLL_ENABLED=false \
  BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook BRIDGE_TARGETS_PORTAL_SECRET="$key" \
    timeout 60 java -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1
  rc=$?
  set -e
  secret_part=${key#whsec_}
  if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then
    echo "FAIL: key of the form ${key:0:8}... was not refused at start (exit $rc)"; tail -5 "$log"; exit 1
  fi
  grep -q "bridge.targets.portal.secret" "$log" || { echo "FAIL: refusal does not name the setting"; tail -20 "$log"; exit 1; }
  if grep -qF -- "$secret_part" "$log"; then echo "FAIL: the log quotes the key"; exit 1; fi
  echo "refused (exit $rc): $(grep -o 'bridge.targets.portal.secret[^"]*' "$log" | head -n 1 | cut -c1-150)"
done

echo "== 1b. receiving settings that cannot work are refused at start, naming the setting (issue 24 review)"
# An empty Clockwise .key (an unset \${CLOCKWISE_KEY:}) read as no key at all made the entry's name, a guessable
# label, the key; a zone that is no zone answered every Canvas push 500 instead of stopping the start.
for setting in "bridge.inbound.clockwise.frontdesk.key=" "bridge.inbound.canvas.zone=Mars/Olympus"; do
  log="$OUT/refusal.log"
  set +e
  QUARKUS_DATASOURCE_JDBC_URL=$jdbc QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) BRIDGE_POLL_ENABLED=false \
    timeout 60 java "-D$setting" -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1
  rc=$?
  set -e
  name=${setting%%=*}
  if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then
    echo "FAIL: $setting was not refused at start (exit $rc)"; tail -5 "$log"; exit 1
  fi
  grep -q "${name%.frontdesk.key}" "$log" || { echo "FAIL: refusal of $setting does not name it"; tail -20 "$log"; exit 1; }
  echo "refused (exit $rc): $setting"
done

echo "== 2. real deliveries verified by the reference implementation"
secret="whsec_$key32"
node src/test/signing/receiver.mjs $RECV_PORT "$secret" "$OUT/results.txt" >"$OUT/receiver.out" 2>&1 & RECV=$!
QUARKUS_DATASOURCE_JDBC_URL=$jdbc QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) BRIDGE_POLL_ENABLED=false \
BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook BRIDGE_TARGETS_PORTAL_SECRET="$secret" \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/bridge.log" 2>&1 &
BRIDGE=$!
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 60
node src/test/signing/post.mjs "http://127.0.0.1:$PORT" "$COUNT" "sig-$$"
for _ in $(seq 1 60); do
  [ "$(wc -l <"$OUT/results.txt" 2>/dev/null || echo 0)" -ge "$COUNT" ] && break; sleep 0.5
done
ok=$(grep -c '^ok ' "$OUT/results.txt" || true)
echo "reference verifier: $ok of $COUNT deliveries verified; $(grep -vc '^ok ' "$OUT/results.txt" || true) not"
grep -v '^ok ' "$OUT/results.txt" | head -5 || true
[ "$ok" -eq "$COUNT" ] || { echo "FAIL: not every delivery verified with the reference implementation"; exit 1; }
echo "signing test passed"
