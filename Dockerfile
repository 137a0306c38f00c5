# ScormFlow engine. Build from the repository root:
#   docker build -t scormflow .
#   docker run -p 3000:3000 -v scormflow-data:/data scormflow
# With no configuration it runs on SQLite and local files in /data; see apps/server/.env.example
# and docker/docker-compose.yml (Postgres) for production settings.

# The engine runs from its TypeScript source through tsx, exactly as `pnpm start` does, with the
# workspace packages resolved by the `@scormflow/source` condition: no package has to be built first.

# ---- build: install the workspace and compile better-sqlite3 -----------------------------------
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

# ---- runtime: same base image (same Node ABI for the compiled module), no compiler -------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=/data/scormflow.db \
    STORAGE_LOCAL_DIR=/data/blobs
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--conditions=@scormflow/source", "--import", "tsx", "apps/server/src/cli/main.ts", "serve"]
