# Shared helpers of the bench/ scripts (sourced).
PSQL="psql -h 127.0.0.1 -U postgres -Atq"

fresh_db() { $PSQL -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" 2>/dev/null; }

ensure_jar() { [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests; }

# wait_http URL SECONDS: until URL answers 2xx
wait_http() {
  for _ in $(seq 1 "$2"); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

# post_events PORT PREFIX COUNT PARALLEL: POST /webhook/appointment COUNT times, unique appointment ids
post_events() {
  seq 1 "$3" | xargs -P "$4" -I{} curl -fs -o /dev/null -X POST "http://127.0.0.1:$1/webhook/appointment" \
    -H 'Content-Type: application/json' \
    -d "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"$2-{}\",\"patient_id\":\"p-{}\",\"timestamp\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
}
