# syntax=docker/dockerfile:1
# Multi-stage image: compile TypeScript once, ship only JavaScript and production
# dependencies, run as the unprivileged `node` user.

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY cards ./cards
COPY locales ./locales
RUN npm run build && npm prune --omit=dev

FROM node:22-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks /healthz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT||3000}/healthz`).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --no-flush-bytecode: V8 keeps the compiled code of a quiet process; --no-memory-reducer: it
# does not shrink the heap's limits while the process is quiet. So the first burst after a
# quiet minute is acknowledged at full speed (README, "Tests and benchmarks").
CMD ["node", "--no-flush-bytecode", "--no-memory-reducer", "dist/src/main.js"]
