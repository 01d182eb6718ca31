#!/usr/bin/env bash
# npm run demo: from a fresh clone to the running app with the demo practice.
# Installs dependencies, starts PostgreSQL (embedded unless DATABASE_URL is set), migrates,
# loads reference data and the demo practice (once: running it again keeps the data),
# builds and serves http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
npx prisma generate >/dev/null

if [ ! -f .env ] || ! grep -q '^NEXTAUTH_SECRET=' .env; then
  echo "NEXTAUTH_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')" >> .env
  echo "created .env with a random NEXTAUTH_SECRET"
fi
grep -q '^NEXTAUTH_URL=' .env || echo "NEXTAUTH_URL=http://localhost:3000" >> .env
if ! grep -q '^SECOND_FACTOR_KEY=' .env; then
  echo "SECOND_FACTOR_KEY=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')" >> .env
  echo "added a random SECOND_FACTOR_KEY to .env (it encrypts the authenticator keys)"
fi
set -a; . ./.env; set +a

exec npx tsx scripts/with-db.ts -- bash -c 'npx tsx prisma/seed.ts && npx next build && exec bash scripts/serve.sh -p "${PORT:-3000}"'
