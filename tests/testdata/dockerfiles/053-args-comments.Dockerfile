ARG BASE_TAG=12

# between instructions
ARG REGISTRY=docker.io

# between instructions
FROM ${REGISTRY}/library/debian:${BASE_TAG:-bookworm} AS base

# between instructions
ARG BASE_TAG

# between instructions
ENV TAG=${BASE_TAG} MODE=${MODE:-release}

# between instructions
LABEL org.opencontainers.image.version="${BASE_TAG}" \
    # a comment inside the continuation
      org.opencontainers.image.title="args demo"

# between instructions
FROM base AS final

# between instructions
RUN echo "$TAG"

# between instructions
