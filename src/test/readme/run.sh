#!/usr/bin/env bash
# Runs every curl example of README.md and docs/*.md, exactly as written but for the ports, against the demo
# build: examples must work on the demo as a new user copies them. Port 8080 (public) becomes $PORT and port 9000
# (management interface: health, metrics) becomes $PORT + 1000. Fails on an answer that is 404, 5xx or no answer at
# all: a name or id the demo does not have, a path that moved, a broken endpoint. 4xx answers an example promises
# (401, 409, 422) pass.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source bench/lib.sh
PORT=${PORT:-18095}
MANAGEMENT_PORT=$((PORT + 1000))
DB=appointment_bridge_readme
OUT=target/readme-examples
mkdir -p "$OUT"
[ -f target/demo/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B -Pdemo -DskipTests package
fresh_db $DB
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
  java -jar target/demo/quarkus-app/quarkus-run.jar >"$OUT/demo.log" 2>&1 &
DEMO=$!
trap 'kill $DEMO 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" 90
# The examples name delivery 1 of the demo: wait until the demo has delivered something.
for _ in $(seq 1 60); do
  [ "$($PSQL -d $DB -c "SELECT count(*) FROM delivery WHERE status = 'sent'")" -gt 0 ] && break; sleep 1
done

# Every curl command in the bash blocks of README.md and docs/*.md, continuation lines and multi-line quotes
# included.
python3 - "$OUT/examples.sh" <<'PY'
import glob, re, sys
files = ["README.md"] + sorted(glob.glob("docs/*.md"))

def open_quote(command):
    """True while a quote of the command is still open (a # outside quotes starts a comment)."""
    single = double = False
    for line in command.split("\n"):
        previous = " "
        for c in line:
            if c == "'" and not double:
                single = not single
            elif c == '"' and not single:
                double = not double
            elif c == "#" and not single and not double and previous.isspace():
                break
            previous = c
    return single or double

commands = []
counts = {}
for name in files:
    before = len(commands)
    for block in re.findall(r"```bash\n(.*?)```", open(name).read(), re.S):
        current = None
        for line in block.splitlines():
            if current is None:
                if line.startswith("curl "):
                    current = line
                else:
                    continue
            else:
                current += "\n" + line
            if not open_quote(current) and not current.rstrip().endswith("\\"):
                commands.append(current)
                current = None
    counts[name] = len(commands) - before
open(sys.argv[1], "w").write("\n".join(commands) + "\n")
print(f"{len(commands)} curl examples: " + ", ".join(f"{n} {c}" for n, c in counts.items()))
PY

RESULTS="$OUT/results.txt"
: >"$RESULTS"
curl() {
  local code
  local args=("${@//localhost:8080/localhost:$PORT}")
  args=("${args[@]//localhost:9000/localhost:$MANAGEMENT_PORT}")
  code=$(command curl -sS -o "$OUT/last-body" -w '%{http_code}' "${args[@]}" 2>/dev/null || true)
  printf '%s\t%s\n' "$code" "$*" | tr '\n' ' ' >>"$RESULTS"
  printf '\n' >>"$RESULTS"
  cat "$OUT/last-body"
}
set +e
source "$OUT/examples.sh" >"$OUT/output.txt" 2>&1
set -e
cut -c1-160 "$RESULTS"
BAD=$(awk -F'\t' '$1 == "000" || $1 == "404" || $1 >= 500' "$RESULTS")
[ -z "$BAD" ] || fail "README and docs examples that do not work against the demo:
$BAD"
[ "$(wc -l <"$RESULTS")" -ge 30 ] || fail "only $(wc -l <"$RESULTS") examples ran"
echo "PASS: every curl example of README.md and docs/*.md answered without 404, 5xx or a dropped connection"
