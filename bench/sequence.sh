#!/usr/bin/env bash
# What the per-target sequence (bridge-sequence) costs the receiving path: every stored event takes the next number
# of each matching target's sequence in its own transaction, so concurrent writers wait for each other on the
# target's row until commit. Runs the receiving load of bench/inbound.sh (wrk, 64 connections, unique appointments)
# against the jar of BASE (built in a scratch worktree) and the current jar, side by side, ROUNDS times each in
# turn, with TARGETS targets configured and delivery off (the outbox rows and numbers are written, nothing is sent,
# so only the write path is measured). Prints req/s per run and the ratio of the medians.
#   bench/sequence.sh c130218            # BASE: a commit before the sequence
#   DURATION=20 ROUNDS=3 TARGETS=3 bench/sequence.sh c130218
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BASE=${1:?usage: bench/sequence.sh BASE_REF}
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-2}
TARGETS=${TARGETS:-3}
PORT=${PORT:-18180}
DB=appointment_bridge_sequence
OUT=target/bench-sequence
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ensure_jar
WT="$OUT/base"
if [ ! -f "$WT/target/quarkus-app/quarkus-run.jar" ] || [ "$(git -C "$WT" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$BASE")" ]; then
  git worktree remove --force "$WT" 2>/dev/null || rm -rf "$WT"
  git worktree add -f --detach "$WT" "$BASE" >/dev/null
  (cd "$WT" && ./mvnw -q -B package -DskipTests)
fi
targets=()
for i in $(seq 1 "$TARGETS"); do
  targets+=("BRIDGE_TARGETS_T${i}_URL=http://127.0.0.1:9/t$i")
done
run() { # run LABEL JAR: prints req/s
  fresh_db $DB
  env "${targets[@]}" BRIDGE_DELIVERY_ENABLED=false BRIDGE_POLL_ENABLED=false \
    QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_PORT=$(( PORT + 1000 )) java ${JAVA_OPTS:-} -jar "$2" >"$OUT/$1.log" 2>&1 &
  local pid=$!
  wait_http "http://127.0.0.1:$(( PORT + 1000 ))/q/health/ready" 90
  wrk -t 2 -c 64 -d 10s -s bench/inbound.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up
  local rps
  rps=$(wrk -t 2 -c 64 -d "${DURATION}s" -s bench/inbound.lua --timeout 5s "http://127.0.0.1:$PORT" \
    | awk '/Requests\/sec/ {print $2}')
  local rows
  rows=$($PSQL -d $DB -c "SELECT count(*) FROM delivery")
  kill $pid; wait $pid 2>/dev/null || true
  echo "$1: $rps req/s ($rows delivery rows)" >&2
  echo "$rps"
}
echo "autovacuum=$($PSQL -c 'SHOW autovacuum') synchronous_commit=$($PSQL -c 'SHOW synchronous_commit'); $TARGETS targets, delivery off, ${DURATION}s x $ROUNDS each"
before=(); after=()
for r in $(seq 1 "$ROUNDS"); do
  before+=("$(run "base-$r" "$WT/target/quarkus-app/quarkus-run.jar")")
  after+=("$(run "sequence-$r" target/quarkus-app/quarkus-run.jar)")
done
python3 - "${before[*]}" "${after[*]}" "$BASE" <<'PY'
import statistics, sys
b = [float(x) for x in sys.argv[1].split()]
a = [float(x) for x in sys.argv[2].split()]
mb, ma = statistics.median(b), statistics.median(a)
print(f"base {sys.argv[3]}: median {mb:,.0f} req/s {b}")
print(f"with the sequence: median {ma:,.0f} req/s {a}")
print(f"ratio with/base: {ma / mb:.2f}")
PY
