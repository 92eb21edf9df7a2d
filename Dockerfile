# segflow worker image. glibc (bookworm), not Alpine: @duckdb/node-api ships prebuilt glibc bindings.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/sql ./sql
COPY --from=build /app/data ./data
RUN mkdir -p /app/output && chown node:node /app/output
USER node
CMD ["node", "dist/worker.js"]
