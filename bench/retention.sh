#!/usr/bin/env bash
# Retention under load (issue 12): N events (default 5,000,000) received over the last 120 days, each with one
# delivery (95% sent, 4% dead, 1% pending) and one attempt, in a fresh database. Then the bridge starts with
# retention every 5 s (events 90d, deliveries 30d) while wrk reads /admin/targets and /admin/deliveries;
# prints table sizes before/after, rows removed per second and the admin p99 during the run.
#   bench/retention.sh            # 5 million
#   N=500000 bench/retention.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${N:-5000000}
PORT=${PORT:-18086}
DB=appointment_bridge_bench_retention
OUT=bench/results/retention
KEY=bench-admin-key
mkdir -p "$OUT"; rm -f "$OUT"/*
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ensure_jar
fresh_db $DB
start() { # $1 = retention enabled
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) BRIDGE_POLL_ENABLED=false \
  BRIDGE_DELIVERY_ENABLED=false BRIDGE_ADMIN_API_KEY=$KEY BRIDGE_RETENTION_ENABLED=$1 BRIDGE_RETENTION_INTERVAL=5s \
  BRIDGE_TARGETS_PORTAL_URL=http://127.0.0.1:9/hook \
    java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >>"$OUT/bridge.log" 2>&1 &
  BRIDGE=$!
  wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/live" 60
}
trap 'kill ${BRIDGE:-} 2>/dev/null || true' EXIT
start false # creates the schema
kill $BRIDGE; wait $BRIDGE 2>/dev/null || true

echo "== generating $N events, deliveries and attempts"
gen_start=$(date +%s)
$PSQL -d $DB <<SQL
SET synchronous_commit = off;
INSERT INTO event (uuid, type, source, appointment_id, patient_id, occurred_at, received_at, payload)
SELECT gen_random_uuid(), 'appointment.scheduled', 'bench', 'apt-' || g, 'pat-' || (g % 100000),
       now() - (g::double precision / $N) * interval '120 days', now() - (g::double precision / $N) * interval '120 days',
       '{"type":"appointment.scheduled","appointment_id":"apt-' || g || '","start":"2026-01-01T10:00:00Z","notes":"' || repeat('x', 120) || '"}'
  FROM generate_series(1, $N) g;
INSERT INTO delivery (event_id, target, status, appointment_id, attempts, created_at, next_attempt_at, sent_at)
SELECT id, 'portal', CASE WHEN id % 100 = 0 THEN 'pending' WHEN id % 25 = 0 THEN 'dead' ELSE 'sent' END,
       appointment_id, 1, received_at, received_at, received_at FROM event;
INSERT INTO delivery_attempt (delivery_id, attempt, attempted_at, status_code, duration_ms, instance)
SELECT id, 1, created_at, 200, 12, 'bench' FROM delivery;
VACUUM ANALYZE;
SQL
echo "generated in $(( $(date +%s) - gen_start )) s"
sizes() {
  $PSQL -d $DB -c "SELECT string_agg(t || ' ' || pg_size_pretty(pg_total_relation_size(t::regclass)), ', ')
                     FROM unnest(ARRAY['event', 'delivery', 'delivery_attempt']) t"
  $PSQL -d $DB -c "SELECT 'rows: event ' || (SELECT count(*) FROM event) || ', delivery ' ||
                     (SELECT count(*) FROM delivery) || ', delivery_attempt ' || (SELECT count(*) FROM delivery_attempt)"
}
echo "before: $(sizes | tr '\n' ';')"

echo "== retention on, wrk on /admin/targets and /admin/deliveries"
start true
wrk -t 1 -c 4 -d 3600s --latency -H "X-API-Key: $KEY" "http://127.0.0.1:$PORT/admin/targets" >"$OUT/wrk-targets.txt" &
WRK1=$!
wrk -t 1 -c 4 -d 3600s --latency -H "X-API-Key: $KEY" "http://127.0.0.1:$PORT/admin/deliveries?limit=50" >"$OUT/wrk-deliveries.txt" &
WRK2=$!
until grep -q "Retention removed" "$OUT/bridge.log"; do sleep 1; kill -0 $BRIDGE || exit 1; done
kill -INT $WRK1 $WRK2 2>/dev/null || true; wait $WRK1 $WRK2 2>/dev/null || true
grep "Retention removed" "$OUT/bridge.log" | head -n 1 | sed 's/.*Retention/Retention/'
line=$(grep "Retention removed" "$OUT/bridge.log" | head -n 1)
rows=$(echo "$line" | grep -oE '[0-9]+ (events|deliveries|attempts)' | awk '{ s += $1 } END { print s }')
secs=$(echo "$line" | grep -oE 'in [0-9.]+ s' | grep -oE '[0-9.]+')
echo "rows removed: $rows in $secs s = $(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%d", r / s }') rows/s"
for f in targets deliveries; do
  echo "/admin/$f while it ran: $(grep -E 'Requests/sec' "$OUT/wrk-$f.txt" | awk '{print $2}') req/s," \
       "p50 $(grep -E '^ +50%' "$OUT/wrk-$f.txt" | awk '{print $2}'), p99 $(grep -E '^ +99%' "$OUT/wrk-$f.txt" | awk '{print $2}')"
done
$PSQL -d $DB -c "VACUUM" >/dev/null
echo "after (VACUUM, not FULL: the space is reused, not returned): $(sizes | tr '\n' ';')"
