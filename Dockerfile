# segflow worker image: runs `node dist/worker.js`, which polls the Temporal cluster named by TEMPORAL_ADDRESS.
#
# Debian bookworm (glibc), not Alpine: the native modules come as prebuilt glibc binaries in npm packages
# (@duckdb/node-bindings-linux-*, @temporalio/core-bridge, @swc/core-linux-*-gnu).

# 1. Compile the TypeScript with every dependency installed.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` installs the lockfile's versions, as .ci/run does; `npm ci` refuses this lockfile, which cannot
# list other platforms' optional native packages (DuckDB, swc). --ignore-scripts: the `prepare` script runs
# tsc, and the sources are not copied yet.
RUN npm install --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only: no TypeScript, jest or type packages in the final image.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --ignore-scripts again skips `prepare` (tsc is a dev dependency); the dependencies' own install scripts
# (protobufjs, @swc/core) only warn or fall back when a native package is missing, so they are not needed.
# Loading DuckDB and the Temporal worker here fails the build, rather than the first run, when no native
# package for this platform was installed.
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund \
 && node -e "require('@duckdb/node-api'); require('@temporalio/worker')"

# 3. Runtime.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/bin ./bin
COPY --from=build /app/sql ./sql
COPY --from=build /app/data ./data
# /app/output is where runs publish (a volume in temporal-docker-compose.yml). `segflow` goes on PATH so runs
# can be started inside the container with `segflow run ...` (`npx segflow` would run `prepare`, i.e. tsc).
RUN mkdir -p /app/output && chown node:node /app/output \
 && ln -s /app/bin/segflow.js /usr/local/bin/segflow
USER node
CMD ["node", "dist/worker.js"]
