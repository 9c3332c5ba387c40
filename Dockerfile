# The gateway image: compiled JavaScript and production dependencies only, run as a non-root user.
# Built by docker-compose.yml (three replicas); on its own: docker build -t refgraph .
# Nothing is installed or compiled when a container starts: `node dist/main.js serve` is PID 1's
# only child (compose adds tini with `init: true`), so SIGTERM drains requests and exits 0.

# Stage 1: install (postinstall generates the Prisma client into src/generated), compile, drop dev dependencies.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Stage 2: what runs. dist/ reads prisma/migrations and prisma/seed at paths relative to itself.
FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# The image's own unprivileged user; it owns nothing but may read everything above.
USER node
EXPOSE 4000
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:4000/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js", "serve"]
