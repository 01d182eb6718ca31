#!/usr/bin/env bash
# A newcomer's first hour, as a test: clone the repository into a fresh folder that the
# `postgres` user cannot enter (a `mktemp -d` folder is mode 700), run `npm install`, then
# every command of the README in order, without any extra step; check that the demo prints
# no warning, that its production server answers GET /api/health, and that `git status`
# is clean at the end (lockfile and tsconfig.json are what install and build leave).
#   bash scripts/fresh-clone-check.sh            (EMBEDDED_PG_PORT and E2E_PORT pick the ports)
# Prints "N passed, N failed" last; exit 0 only when every step passed.
set -uo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
pg_port="${EMBEDDED_PG_PORT:-54339}"
app_port="${E2E_PORT:-3109}"
parent="$(mktemp -d)"
dir="$parent/therapy-revenue"
log="$parent/log"
mkdir -p "$log"
passed=0
failed=0
export TZ=UTC EMBEDDED_PG_PORT="$pg_port"
unset DATABASE_URL NEXT_DIST_DIR

step() { # step <name> <command...>: runs in the clone, output to $log/<name>.txt
  local name="$1"; shift
  local started=$SECONDS
  if (cd "$dir" && "$@") >"$log/$name.txt" 2>&1; then
    passed=$((passed + 1)); echo "ok    $name ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1)); echo "FAIL  $name ($((SECONDS - started)) s): last lines of its output:"; tail -n 15 "$log/$name.txt" | sed 's/^/      /'
  fi
}
check() { # check <name> <condition command...>
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name"; fi
}

echo "cloning into $dir (postgres port $pg_port, app port $app_port)"
git clone --quiet "$src" "$dir" || { echo "0 passed, 1 failed"; exit 1; }
fx=e2e/fixtures/example-practice

step install npm install --no-audit --no-fund
check "node 24 from the registry's package" bash -c "[[ \$(cd '$dir' && ./node_modules/.bin/node --version) == v24.* ]]"

# npm run demo: serves until stopped; wait for its health check, then stop it
# in a session of its own (setsid), so that stopping it reaches npm, the database and the server
setsid bash -c 'cd "$1" && PORT="$2" exec npm run demo' demo "$dir" "$app_port" >"$log/demo.txt" 2>&1 &
demo_pid=$!
healthy=0
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$app_port/api/health" >"$log/health.json" 2>/dev/null; then healthy=1; break; fi
  kill -0 "$demo_pid" 2>/dev/null || break
  sleep 1
done
check "npm run demo serves the standalone build; /api/health is ok" bash -c "[ $healthy = 1 ] && grep -q '\"ok\":true' '$log/health.json'"
check "npm run demo signs-in page answers" bash -c "curl -fsS -o /dev/null http://127.0.0.1:$app_port/signin"
# only ever the demo's own process group, never this script's
if [ "$(ps -o pgid= "$demo_pid" 2>/dev/null | tr -d ' ')" = "$demo_pid" ]; then kill -TERM -- "-$demo_pid" 2>/dev/null; else kill -TERM "$demo_pid" 2>/dev/null; fi
for _ in $(seq 1 60); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 1; done
# the demo's embedded PostgreSQL shuts down after the demo: the next command must not meet it
# half-way ("the database system is shutting down"), so wait until its port is closed
for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null || break; sleep 1; done
check "npm run demo prints no warning" bash -c "! grep -Ei 'warn|deprecat|ExperimentalWarning' '$log/demo.txt'"
[ "$healthy" = 1 ] || { echo "      demo output:"; tail -n 20 "$log/demo.txt" | sed 's/^/      /'; }

step admin-create-practice npm run admin -- create-practice --slug riverside --name "Riverside PT" --medicare-locality NY-01 --time-zone America/New_York
step admin-create-user bash -c "echo 'a-long-password-2026' | npm run admin -- create-user --practice riverside --email pat@riverside.test --role BILLER"
step import-contracts-first npm run import -- contracts "$fx/contracts.csv" --practice riverside
step import-visits-dry-run npm run import -- visits "$fx/visits.csv" --practice riverside --dry-run
step import-visits npm run import -- visits "$fx/visits.csv" --practice riverside
step import-usage npm run import -- usage "$fx/usage.csv" --practice riverside
step import-835 npm run import -- 835 "$fx/remit-medicare.835" "$fx/remit-united.835" --practice riverside
step export-kx-queue npm run export -- kx-queue --practice riverside --year 2026 --format json
step export-visits npm run export -- visits --practice riverside --from 2026-01-01 --to 2026-03-31
step reference-fee-schedule npm run reference -- fee-schedule lib/server/reference/fixtures/PPRRVU2026_Jul_nonQPP-therapy.csv --practice riverside --dry-run
step reference-gpci npm run reference -- gpci lib/server/reference/fixtures/GPCI2026-sample.csv --practice riverside --dry-run
step reference-therapy-codes npm run reference -- therapy-codes lib/server/reference/fixtures/therapy-code-list-sample.csv --practice riverside --dry-run
step bench-load timeout 900 npm run bench -- load --seconds 5 --users 2 --patients 300
step db-status npm run db -- status
step migrate-status npm run migrate -- status
step migrate-deploy npm run migrate -- deploy
# the app connects as a role that owns nothing (no ALTER, no trigger disabled); migrations as the owner
step db-roles npm run db -- roles
step test-unit npm test -- unit
check "npm test ran on Node 24" grep -q '▶ node --version: v24\.' "$log/test-unit.txt"
status="$(cd "$dir" && git status --porcelain)"
check "git status is clean after install, demo, build and tests" test -z "$status"
[ -z "$status" ] || echo "$status" | sed 's/^/      /'

# leave nothing running; the clone goes unless asked to keep it
(cd "$dir" && npm run db -- stop >/dev/null 2>&1)
[ -n "${KEEP_CLONE:-}" ] && echo "kept $parent" || rm -rf "$parent"
echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
