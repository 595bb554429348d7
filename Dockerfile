# Implication: one image for every role (api, worker, all).
FROM node:20-bookworm-slim AS dashboard
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY dashboard ./dashboard
COPY schemas ./schemas
# The Definitions page bundles docs/METRICS.md.
COPY docs ./docs
RUN npm run dashboard:build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, at the lock's versions. `npm ci --omit=dev` is the rule; it needs a
# lock that lists chDB's engine packages for every platform, which a lock written against the full
# npm registry does. The lock in this repository was written where only the linux-x64 engine is
# served, so `npm ci` refuses it: then `npm install --omit=dev` installs the same locked versions
# and fetches this platform's engine. chDB stays in the image so that `docker run` alone (no
# CLICKHOUSE_URL) also works; with a ClickHouse server it is never loaded.
RUN npm ci --omit=dev --no-audit --no-fund \
    || (echo "npm ci refused the lock (other platforms' chDB engines missing): npm install --omit=dev" \
        && npm install --omit=dev --no-audit --no-fund)

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
COPY terminal ./terminal
COPY api-client ./api-client
COPY ingest ./ingest
COPY analytics ./analytics
COPY importers ./importers
COPY simulation ./simulation
COPY server ./server
COPY --from=dashboard /app/dashboard/dist ./dashboard/dist
RUN mkdir -p /data && chown node:node /data
# Not root: the official node image's `node` user (uid 1000) owns only /data.
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/implication.js"]
CMD ["serve", "--role", "all"]
