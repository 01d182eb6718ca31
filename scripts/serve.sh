#!/usr/bin/env bash
# Serves a production build: the standalone server of `next build` (output: "standalone")
# behind scripts/server/production.ts (the client's address; one worker per core, or
# $WEB_CONCURRENCY), the way the container runs it.
#   bash scripts/serve.sh [-p PORT] [-H HOST]     (defaults: $PORT or 3000, all interfaces)
# The build lives in $NEXT_DIST_DIR (default .next); its static files are copied beside the
# server, as the standalone layout expects.
set -euo pipefail
cd "$(dirname "$0")/.."
dist="${NEXT_DIST_DIR:-.next}"
port="${PORT:-3000}"
host="0.0.0.0"
while [ $# -gt 0 ]; do
  case "$1" in
    -p | --port) port="$2"; shift 2 ;;
    -H | --hostname) host="$2"; shift 2 ;;
    *) echo "usage: bash scripts/serve.sh [-p PORT] [-H HOST]" >&2; exit 2 ;;
  esac
done
if [ ! -f "$dist/standalone/server.js" ]; then
  echo "No production build in $dist: run \"npx next build\" first (npm run demo does)." >&2
  exit 1
fi
rm -rf "$dist/standalone/$dist/static"
cp -R "$dist/static" "$dist/standalone/$dist/static"
if [ -d public ]; then rm -rf "$dist/standalone/public"; cp -R public "$dist/standalone/public"; fi
cp scripts/server/production.ts scripts/server/forwarded-for.ts "$dist/standalone/"
# Node 24 from the project's own dependencies when it is there (a systemd unit's PATH may
# name an older one)
node_bin=node
if [ -x node_modules/.bin/node ]; then node_bin="$PWD/node_modules/.bin/node"; fi
PORT="$port" HOSTNAME="$host" exec "$node_bin" "$dist/standalone/production.ts"
