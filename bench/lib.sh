# Shared helpers of the bench/ scripts (sourced).
PSQL="psql -h 127.0.0.1 -U postgres -Atq"

# Every script here delivers to receivers on 127.0.0.1, which the prod profile refuses as targets (SSRF
# guard, issue 12); these runs allow it, as an operator with a target on the private network would.
export BRIDGE_DELIVERY_ALLOW_PRIVATE_TARGETS=true
# Their load generators push without a key, which the prod profile refuses (bridge.inbound.require-api-key);
# these runs measure delivery and faults, not authentication, so they accept keyless pushes.
export BRIDGE_INBOUND_REQUIRE_API_KEY=false

# The JVM sized as in its container: deploy/kubernetes.yaml limits the pod to 768 MiB, and the JVM's heap
# ergonomics follow that limit there. On a bigger bench host they follow the host instead (24 GiB: a 380 MB
# initial heap), which measures the host, not the service (issue 13: peak RSS 426-498 MiB -> 273-289 MiB at the
# same req/s). JAVA_OPTS= (empty) runs with the host's ergonomics.
export JAVA_OPTS=${JAVA_OPTS--XX:MaxRAM=768m}

fresh_db() { $PSQL -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" 2>/dev/null; }

ensure_jar() { [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests; }

# wait_http URL SECONDS: until URL answers 2xx
wait_http() {
  for _ in $(seq 1 "$2"); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

# wait_tcp PORT SECONDS: until something listens on 127.0.0.1:PORT (a receiver that delays its answers)
wait_tcp() {
  for _ in $(seq 1 $(( $2 * 10 ))); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for port $1" >&2; return 1
}

# post_events PORT PREFIX COUNT PARALLEL: POST /webhook/appointment COUNT times, unique appointment ids
post_events() {
  seq 1 "$3" | xargs -P "$4" -I{} curl -fs -o /dev/null -X POST "http://127.0.0.1:$1/webhook/appointment" \
    -H 'Content-Type: application/json' \
    -d "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"$2-{}\",\"patient_id\":\"p-{}\",\"timestamp\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# The helpers below use the calling script's $OUT folder.
# start_receiver PORT DELAY_MS: bench/Receiver.java appending to $OUT/received.log; sets RECV to its pid
start_receiver() {
  java -cp 'target/quarkus-app/lib/main/*' bench/Receiver.java "$1" "$2" "$OUT/received.log" >>"$OUT/receiver.out" 2>&1 &
  RECV=$!
}

# distinct: how many different webhook-ids the receiver has logged
distinct() { cut -f1 "$OUT/received.log" 2>/dev/null | sort -u | wc -l; }

# missing_at_receiver DB: how many of DB's events never reached the receiver (leaves $OUT/events.txt and
# $OUT/received-ids.txt, both sorted, for further checks)
missing_at_receiver() {
  $PSQL -d "$1" -c "SELECT uuid FROM event ORDER BY 1" >"$OUT/events.txt"
  cut -f1 "$OUT/received.log" | sort -u >"$OUT/received-ids.txt"
  comm -23 "$OUT/events.txt" "$OUT/received-ids.txt" | wc -l
}
