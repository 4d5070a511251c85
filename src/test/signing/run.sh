#!/usr/bin/env bash
# Signing keys and signatures against the reference implementation (issue 17), on the packaged jar:
#  1. weak or malformed signing keys stop the start with a message that names the setting, never the key;
#  2. real deliveries, from events posted plain, gzip- and deflate-encoded, all verify with the official
#     Standard Webhooks verifier from npm (`standardwebhooks`, installed here), and a changed body does not;
#  3. during a key rotation with an Ed25519 key as well (issue 27), every delivery verifies with the current secret
#     alone, the previous one alone (standardwebhooks) and the whpk_ public key alone (Node's crypto.verify), across
#     two replicas, a kill -9, retries and a replay; the bridge-sequence numbers are 1..N with no gap and no number
#     given to two deliveries, and the feed returns exactly those N deliveries in order.
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

echo "== 1a. a bad previous secret or Ed25519 key is refused the same way, naming which one"
for setting in "BRIDGE_TARGETS_PORTAL_PREVIOUS_SECRETS=whsec_$(b64 32),whsec_$(b64 16)|previous-secrets[1]" \
               "BRIDGE_TARGETS_PORTAL_SIGNING_KEY=whsk_$(b64 31)|signing-key" \
               "BRIDGE_TARGETS_PORTAL_SIGNING_KEY=whsk_$(b64 32 | tr '+/' '-_' | tr -d '=')|signing-key"; do
  log="$OUT/refusal.log"
  env_setting=${setting%%|*}
  key=${env_setting#*=}
  set +e
  env "$env_setting" QUARKUS_DATASOURCE_JDBC_URL=$jdbc QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) \
    BRIDGE_POLL_ENABLED=false BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook \
    BRIDGE_TARGETS_PORTAL_SECRET="whsec_$key32" timeout 60 java -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1
  rc=$?
  set -e
  [ $rc -ne 0 ] && [ $rc -ne 124 ] || { echo "FAIL: ${setting#*|} was not refused at start (exit $rc)"; exit 1; }
  grep -qF "bridge.targets.portal.${setting#*|}" "$log" || { echo "FAIL: refusal does not name ${setting#*|}"; tail -20 "$log"; exit 1; }
  if grep -qF -- "${key##*,whsec_}" "$log" || grep -qF -- "${key#whsk_}" "$log"; then echo "FAIL: the log quotes the key"; exit 1; fi
  echo "refused (exit $rc): bridge.targets.portal.${setting#*|}"
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
{ kill -9 $BRIDGE $RECV; wait $BRIDGE $RECV; } 2>/dev/null || true

echo "== 3. rotation + Ed25519 + sequence, two replicas, a kill -9, retries and a replay"
fresh_db $DB
current="whsec_$(b64 32)"; previous="whsec_$(b64 32)"; signing="whsk_$(b64 32)"
public=$(node src/test/signing/public-key.mjs "$signing")
feed_key="feed-$(b64 18 | tr '+/' '-_')"; admin_key="admin-$(b64 18 | tr '+/' '-_')"
rm -f "$OUT/keys.txt"
node src/test/signing/receiver-keys.mjs $RECV_PORT "$current" "$previous" "$public" "$OUT/keys.txt" >"$OUT/receiver-keys.out" 2>&1 & RECV=$!
# The example receiver of docs/receivers.md, exactly as printed there, as a second target with heartbeats.
DOC_PORT=$(( RECV_PORT + 1 ))
python3 -c 'import re,sys; print(re.search(r"```js\n(.*?)```", open("docs/receivers.md").read(), re.S).group(1))' >"$OUT/doc-receiver.mjs"
ln -sfn "$PWD/src/test/signing/node_modules" "$OUT/node_modules"
PORT=$DOC_PORT WHPK="$public" node "$OUT/doc-receiver.mjs" >"$OUT/doc-receiver.out" 2>&1 & DOCS=$!
replica() { # replica PORT LOG
  QUARKUS_DATASOURCE_JDBC_URL=$jdbc QUARKUS_HTTP_PORT=$1 QUARKUS_MANAGEMENT_PORT=$(( $1 + 1000 )) BRIDGE_POLL_ENABLED=false \
  BRIDGE_ADMIN_API_KEY="$admin_key" BRIDGE_DELIVERY_RETRY_SCHEDULE=1s,1s,2s,5s,10s,30s \
  BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:$RECV_PORT/hook BRIDGE_TARGETS_PORTAL_SECRET="$current" \
  BRIDGE_TARGETS_PORTAL_PREVIOUS_SECRETS="$previous" BRIDGE_TARGETS_PORTAL_SIGNING_KEY="$signing" \
  BRIDGE_TARGETS_PORTAL_FEED_KEY="$feed_key" BRIDGE_TARGETS_DOCS_URL=http://127.0.0.1:$DOC_PORT/ \
  BRIDGE_TARGETS_DOCS_SIGNING_KEY="$signing" BRIDGE_TARGETS_DOCS_HEARTBEAT=2s java -jar target/quarkus-app/quarkus-run.jar >>"$2" 2>&1 &
}
PORT_B=$(( PORT + 1 ))
replica $PORT "$OUT/replica-a.log"; A=$!
replica $PORT_B "$OUT/replica-b.log"; B=$!
cleanup() { kill -9 ${A:-} ${B:-} ${RECV:-} ${DOCS:-} 2>/dev/null || true; }
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 90
wait_http "http://127.0.0.1:$(( PORT_B + 1000 ))/q/health/ready" 90
shown=$(curl -fs -H "X-API-Key: $admin_key" "http://127.0.0.1:$PORT/admin/targets" | python3 -c \
  'import json,sys; t=[t for t in json.load(sys.stdin) if t["name"] == "portal"][0]; print(t["signing_keys"], t["public_key"])')
[ "$shown" = "3 $public" ] || fail "/admin/targets shows '$shown', expected 3 keys and $public (derived by Node)"
echo "/admin/targets: 3 signing keys, public key as Node derives it"
post_events $PORT rot-a 150 4 >/dev/null 2>&1 & PA=$!
post_events $PORT_B rot-b 150 4 || true
{ kill -9 $A; wait $A; wait $PA; } 2>/dev/null || true
echo "replica A killed (-9) mid-stream; B goes on"
post_events $PORT_B rot-c 50 4 || true
replica $PORT "$OUT/replica-a.log"; A=$!
wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 90
post_events $PORT rot-d 50 4 || true
events=$($PSQL -d $DB -c "SELECT count(*) FROM event")
delivered() { grep '^ok ' "$OUT/keys.txt" 2>/dev/null | cut -d' ' -f2 | sort -u | wc -l; }
for _ in $(seq 1 180); do [ "$(delivered)" -ge "$events" ] && break; sleep 1; done
[ "$(delivered)" -eq "$events" ] || fail "$(delivered) of $events events delivered"
! grep -q '^fail ' "$OUT/keys.txt" || { grep '^fail ' "$OUT/keys.txt" | head -3; fail "a delivery did not verify with one key alone"; }
since=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
curl -fs -X POST -H "X-API-Key: $admin_key" "http://127.0.0.1:$PORT_B/admin/targets/portal/replay?since=$since" >/dev/null
for _ in $(seq 1 180); do [ "$(grep -c '^ok ' "$OUT/keys.txt")" -ge $(( 2 * events )) ] && break; sleep 1; done
python3 - "$OUT/keys.txt" "$events" "http://127.0.0.1:$PORT/feed/portal" "$feed_key" <<'PY'
import json, sys, urllib.request
lines, events, feed, key = open(sys.argv[1]).read().split("\n"), int(sys.argv[2]), sys.argv[3], sys.argv[4]
by_id, attempts = {}, 0
for line in lines:
    parts = line.split()
    if len(parts) == 3 and parts[0] in ("ok", "refused"):
        attempts += 1
        by_id.setdefault(parts[1], set()).add(int(parts[2]))
moved = [i for i, s in by_id.items() if len(s) != 1]
assert not moved, f"a delivery changed its number across a retry, a replay or a restart: {moved[:3]}"
numbers = sorted(next(iter(s)) for s in by_id.values())
assert numbers == list(range(1, events + 1)), f"numbers are not 1..{events}: {len(numbers)} ids, first gaps " \
    f"{sorted(set(range(1, events + 1)) - set(numbers))[:5]}, duplicates {len(numbers) - len(set(numbers))}"
page, after = [], 0
while True:
    req = urllib.request.Request(f"{feed}?after={after}&limit=100", headers={"Authorization": f"Bearer {key}"})
    got = json.load(urllib.request.urlopen(req))
    page += got["deliveries"]
    if not got["deliveries"]:
        break
    after = got["next_after"]
assert [d["sequence"] for d in page] == list(range(1, events + 1)), "the feed is not 1..N in order"
number_of = {i: next(iter(s)) for i, s in by_id.items()}
assert all(number_of[d["webhook_id"]] == d["sequence"] for d in page), "the feed's numbers differ from the delivered"
print(f"{events} events: numbers 1..{events}, none twice, none moved across {attempts} attempts (retries, kill -9,"
      f" replay); the feed returns exactly those {events} in order")
PY
docs_events=$(grep -c '^event ' "$OUT/doc-receiver.out" || true)
[ "$docs_events" -eq "$events" ] || fail "the receiver of docs/receivers.md took $docs_events of $events events"
for _ in $(seq 1 30); do grep -q "^heartbeat: all $events here" "$OUT/doc-receiver.out" && break; sleep 1; done
grep -q "^heartbeat: all $events here" "$OUT/doc-receiver.out" \
  || { tail -3 "$OUT/doc-receiver.out"; fail "no heartbeat told the docs receiver it had 1..$events"; }
echo "the receiver of docs/receivers.md verified (v1a, whpk_ alone) and took $events events; a heartbeat: all $events here"
echo "signing test passed"
