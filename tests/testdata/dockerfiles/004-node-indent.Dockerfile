  ARG NODE_VERSION=20.11.1

# between instructions
  FROM node:${NODE_VERSION}-bookworm-slim AS deps

# between instructions
  WORKDIR /app

# between instructions
  COPY package.json package-lock.json ./

# between instructions
  RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev

# between instructions
  FROM node:20.11.1-bookworm-slim

# between instructions
  ENV NODE_ENV=production \
    PORT=3000

# between instructions
  WORKDIR /app

# between instructions
  COPY --from=deps --chown=node:node /app/node_modules ./node_modules

# between instructions
  COPY --chown=node:node . .

# between instructions
  USER node

# between instructions
  EXPOSE 3000

# between instructions
  HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["node", "healthcheck.js"]

# between instructions
  CMD ["node", "server.js"]

# between instructions
