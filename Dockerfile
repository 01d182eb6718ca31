# The app as a container: Next.js's standalone server on Node 24 LTS, with the migration step
# bundled beside it. docker-compose.yml runs it as the `app` service (migrate, then serve);
# docs/operations.md shows both that and a process manager without containers.
#   docker build -t therapy-revenue .
#   docker run -e DATABASE_URL=… -e NEXTAUTH_SECRET=… -e NEXTAUTH_URL=https://… -p 3000:3000 therapy-revenue

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# dependencies first, so that a code change does not reinstall them; postinstall generates
# the Prisma client, which needs the schema and prisma.config.ts
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma/schema.prisma prisma/schema.prisma
RUN npm install --no-audit --no-fund --loglevel=error
COPY . .
RUN npx prisma generate \
 && npx next build \
 && npx esbuild scripts/migrate-deploy.ts --bundle --platform=node --format=esm --target=node24 \
      --external:pg --external:embedded-postgres '--external:@embedded-postgres/*' --log-level=warning \
      --outfile=.next/standalone/migrate.mjs \
 && cp -R .next/static .next/standalone/.next/static \
 && cp scripts/server/production.ts scripts/server/forwarded-for.ts .next/standalone/ \
 && mkdir -p .next/standalone/prisma \
 && cp -R prisma/migrations .next/standalone/prisma/migrations

FROM node:24-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 \
    HOSTNAME=0.0.0.0 MIGRATIONS_DIR=/app/prisma/migrations
# the standalone server carries the node_modules it needs (pg among them, for the migrations)
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# migrate, then serve on every core (WEB_CONCURRENCY workers, default one per core) with the
# client's address rewritten; `docker run … therapy-revenue node production.ts` skips the migration
CMD ["sh", "-c", "node migrate.mjs && exec node production.ts"]
