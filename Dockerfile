# ScormFlow engine. Build from the repository root:
#   docker build -t scormflow .
#   docker run -p 3000:3000 -v scormflow-data:/data scormflow
# With no configuration it runs on SQLite and local files in /data; see apps/server/.env.example
# and docker/docker-compose.yml (Postgres) for production settings.
#
# The build stage installs the whole workspace, compiles every package with `pnpm build` (tsup) and
# then `pnpm deploy --prod` copies @scormflow/server with its production dependencies only (the
# workspace packages as their built `dist/`, plus the db package's `drizzle/` migrations) into
# /out. The runtime stage holds that folder alone: no TypeScript sources, no dev tools, no compiler.

# ---- build: install, compile better-sqlite3, build, deploy --------------------------------------
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@12.18.0
WORKDIR /app
# node-gyp uses the headers of the Node that runs it instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm build
# Since pnpm 12.2, deploy works without injectWorkspacePackages: workspace dependencies become
# file: dependencies of a dedicated lockfile, and each one brings the files its "files" field lists.
RUN pnpm --filter @scormflow/server --prod deploy /out

# ---- runtime: same base image (same Node ABI for the compiled module) ---------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=/data/scormflow.db \
    STORAGE_LOCAL_DIR=/data/blobs
WORKDIR /app
COPY --from=build /out /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/cli/main.js", "serve"]
