# One image for every Terrapulse service; docker-compose picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npx turbo run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TERRAPULSE_ENV=production OPS_HOST=0.0.0.0
COPY --from=build /app /app
USER node
