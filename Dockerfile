# syntax=docker/dockerfile:1
# Parley server image: build native modules in one stage, run as a non-root user in a slim one.
# Build:  docker build -t parley .
# Run:    docker run -p 8080:8080 -p 5222:5222 -v parley-data:/data parley
# (Not built in CI here, which has no network; validated with hadolint where available: see docs/deploy.md.)

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/server/package.json packages/server/
COPY packages/sdk/package.json packages/sdk/
COPY packages/testkit/package.json packages/testkit/
# No lifecycle scripts yet: the root `prepare` needs sources copied below; the two native packages build here.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3 esbuild
COPY packages/protocol packages/protocol
COPY packages/server packages/server
COPY packages/sdk packages/sdk
# The server runs from a bundle of its TypeScript (ADR 0023); the runtime user cannot write /app, so build it here.
COPY tsconfig.json tsconfig.base.json ./
RUN node packages/server/bin/build.js

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PARLEY_HOST=0.0.0.0 \
    PARLEY_PORT=8080 \
    PARLEY_XMPP_PORT=5222 \
    PARLEY_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 5222
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PARLEY_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "packages/server/bin/parley.js"]
CMD ["serve"]
