ARG BASE_TAG=bullseye
ARG REGISTRY=docker.io
FROM ${REGISTRY}/library/debian:${BASE_TAG:-bookworm} AS base
ARG BASE_TAG
ENV TAG=${BASE_TAG} MODE=${MODE:-release}
LABEL org.opencontainers.image.version="${BASE_TAG}" \
      org.opencontainers.image.title="args demo"
FROM base AS final
RUN echo "$TAG"
