# The console as an image: `docker build -t redis-resilience-console .` (or podman).
# Three stages: the dependencies, the build (Next's standalone output, assembled by
# scripts/standalone.mjs), and a small runtime that holds only that output, run as a non-root user.
# The data dir (PGlite's store when DATABASE_URL is unset, the demo token, a fault journal) is a volume.

FROM node:20-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# No postinstall downloads (Playwright's browsers are for the e2e tests, not the image).
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /src/node_modules ./node_modules
COPY . .
RUN npx next build && node scripts/standalone.mjs /console

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    CONSOLE_DATA_DIR=/data
# A fixed uid/gid, so a volume's ownership and a Pod's securityContext can name it.
RUN groupadd --system --gid 10001 console \
 && useradd --system --uid 10001 --gid console --home-dir /nonexistent --shell /usr/sbin/nologin console \
 && mkdir -p /data \
 && chown console:console /data
WORKDIR /console
# Owned by root, read-only to the console: only /data (and the temp dir) are written.
COPY --from=build /console ./
USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000
# Liveness: 200 whenever the console serves, Redis up or not (readiness is /api/ready).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Listening beyond loopback: every read then needs a session or a token (docs/security.md);
# /api/health and /api/ready stay open for the probes.
CMD ["node", "scripts/serve.mjs", "-H", "0.0.0.0"]
