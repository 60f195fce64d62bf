# drydock's own image: built from this checkout on Debian 12, run as a non-root
# user with only the runtime libraries, friendly to a read-only root file system.
#
#   docker build -t drydock .
#   docker run --rm --read-only --cap-drop ALL --security-opt no-new-privileges \
#     --tmpfs /cache -v "$PWD/app.tar:/in/app.tar:ro" drydock image /in/app.tar
#
# The base is pinned by digest (debian:bookworm-slim); to move it, look up the
# new digest (`docker buildx imagetools inspect debian:bookworm-slim`) and the
# runtime packages' versions in that release (`apt-cache policy PKG`).
# tests/integration/self_image.sh lints this file, builds the runtime stage's
# settings on top of the same Debian 12 libraries and scans the result.
ARG DEBIAN=debian:bookworm-slim@sha256:4b50eb66f977b4062683ff434ef18ac191da862dbe966961bc11990cf5791a8d

FROM ${DEBIAN} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
# scripts/deps holds the one list of build dependencies (apt-get, no recommends).
COPY scripts/deps scripts/deps
RUN scripts/deps && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDRYDOCK_TESTS=OFF \
    && ninja -C /build drydock \
    && strip /build/drydock

FROM ${DEBIAN}
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# The shared libraries drydock links (readelf -d build/drydock), nothing else.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates=20230311+deb12u1 \
       libarchive13=3.6.2-1+deb12u5 \
       libcpp-httplib0.11=0.11.4+ds-1+deb12u1 \
       libcurl4=7.88.1-10+deb12u15 \
       libfmt9=9.1.0+ds1-2 \
       libisal2=2.30.0-5 \
       libpq5=15.18-0+deb12u1 \
       libsimdjson14=3.0.1-1 \
       libsqlite3-0=3.40.1-2+deb12u2 \
       libssl3=3.0.19-1~deb12u2 \
       libvectorscan5=5.4.9-1 \
       libyaml-cpp0.7=0.7.0+dfsg-8+b1 \
       libzstd1=1.5.4+dfsg2-5+deb12u1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 65532 drydock \
    && useradd --system --uid 65532 --gid 65532 --home-dir /home/drydock --create-home --shell /usr/sbin/nologin drydock \
    && install -d -o 65532 -g 65532 -m 0700 /cache
COPY --from=build /build/drydock /usr/bin/drydock
# --- runtime settings (self_image.sh reuses the lines from here to the end) ---
# Where the image comes from: docker build --build-arg REVISION="$(git rev-parse HEAD)" \
#   --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" --build-arg SOURCE=URL-of-the-repository .
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="drydock" \
      org.opencontainers.image.description="Container image scanner: SBOM, vulnerabilities, secrets, misconfigurations, CIS Docker Benchmark" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}"
ENV HOME=/home/drydock \
    DRYDOCK_CACHE_DIR=/cache
VOLUME ["/cache"]
WORKDIR /home/drydock
USER 65532:65532
# A CLI, not a daemon: `serve` answers GET /healthz and the orchestrator checks it.
HEALTHCHECK NONE
ENTRYPOINT ["/usr/bin/drydock"]
CMD ["--help"]
