ARG NODE_VERSION=22.8.0

# between instructions
FROM node:${NODE_VERSION}-bookworm-slim AS deps

# between instructions
WORKDIR /app

# between instructions
COPY package.json package-lock.json ./

# between instructions
RUN --mount=type=cache,target=/root/.npm \
    # a comment inside the continuation
    npm ci --omit=dev

# between instructions
FROM node:22.8.0-bookworm-slim

# between instructions
ENV NODE_ENV=production \
    # a comment inside the continuation
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
    # a comment inside the continuation
  CMD ["node", "healthcheck.js"]

# between instructions
CMD ["node", "server.js"]

# between instructions
