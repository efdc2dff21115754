# syntax=docker/dockerfile:1
# The worker's image: built from this checkout in one stage, run from a slim Node LTS image as the unprivileged
# `node` user in the other.
#
#   docker build -t mqtt-kafka-connect:0.1.0 .
#   docker run --rm -p 8083:8083 -e CONNECT_BOOTSTRAP_SERVERS=kafka:9092 mqtt-kafka-connect:0.1.0
#
# Worker config comes from the environment as in Confluent's images: CONNECT_ + the key upper-cased, dots as
# underscores (CONNECT_BOOTSTRAP_SERVERS, CONNECT_GROUP_ID, CONNECT_PLUGIN_PATH, ...); or from a worker.properties
# file given as the argument (`docker run ... mqtt-kafka-connect:0.1.0 worker /etc/mqtt-kafka-connect/worker.properties`).

FROM node:24-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md LICENSE ./
COPY bin/ bin/
COPY app/ app/
COPY src/ src/
COPY connectors/ connectors/
COPY transforms/ transforms/
COPY scripts/ scripts/
COPY docs/ docs/
# The web console's static files: `npm run build` copies them into dist/ui/.
COPY ui/ ui/
# What CI runs too: compile to dist/, then check that dist/ runs on plain Node and packs only what ships.
RUN npm run build:check

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /opt/mqtt-kafka-connect
COPY --from=build /build/package.json /build/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /build/dist/ dist/
COPY --from=build /build/README.md /build/LICENSE ./
USER node
EXPOSE 8083
# /health answers 503 while the worker starts and 200 once it serves (also when a task's broker is down: the worker
# itself is fine then, and GET /health says which task is degraded).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CONNECT_REST_PORT || 8083) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/bin/mqtt-kafka-connect.js"]
CMD ["worker"]
