arg NODE_VERSION=21.7.3
from node:${NODE_VERSION}-bookworm-slim AS deps
workdir /app
copy package.json package-lock.json ./
run --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev
from node:21.7.3-bookworm-slim
env NODE_ENV=production \
    PORT=3000
workdir /app
copy --from=deps --chown=node:node /app/node_modules ./node_modules
copy --chown=node:node . .
user node
expose 3000
healthcheck --interval=30s --timeout=3s \
  CMD ["node", "healthcheck.js"]
cmd ["node", "server.js"]
