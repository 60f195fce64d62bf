arg BASE_TAG=trixie
arg REGISTRY=docker.io
from ${REGISTRY}/library/debian:${BASE_TAG:-bookworm} AS base
arg BASE_TAG
env TAG=${BASE_TAG} MODE=${MODE:-release}
label org.opencontainers.image.version="${BASE_TAG}" \
      org.opencontainers.image.title="args demo"
from base AS final
run echo "$TAG"
