#!/usr/bin/env python3
"""Writes the Dockerfile parser corpus: real-world-shaped Dockerfiles (the
shapes of common official images) and, for each, the instruction keywords
and stage count a BuildKit-compatible parser must find (expected.tsv).

Each template is a list of instructions; an instruction is (KEYWORD, lines)
where lines are the physical lines (continuations, heredoc bodies). Variants
reformat the same instructions (CRLF, comment and blank lines inside
continuations, indentation, lower-case keywords, the backtick escape) without
changing the logical instruction list, so the expectation stays exact.

Run from anywhere: python3 make_corpus.py  (rewrites the *.Dockerfile files).
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))


def I(kw, *lines):
    return (kw, list(lines))


def node(v):
    return [
        I("ARG", f"ARG NODE_VERSION={v}"),
        I("FROM", "FROM node:${NODE_VERSION}-bookworm-slim AS deps"),
        I("WORKDIR", "WORKDIR /app"),
        I("COPY", "COPY package.json package-lock.json ./"),
        I("RUN", "RUN --mount=type=cache,target=/root/.npm \\", "    npm ci --omit=dev"),
        I("FROM", f"FROM node:{v}-bookworm-slim"),
        I("ENV", "ENV NODE_ENV=production \\", "    PORT=3000"),
        I("WORKDIR", "WORKDIR /app"),
        I("COPY", "COPY --from=deps --chown=node:node /app/node_modules ./node_modules"),
        I("COPY", "COPY --chown=node:node . ."),
        I("USER", "USER node"),
        I("EXPOSE", "EXPOSE 3000"),
        I("HEALTHCHECK", "HEALTHCHECK --interval=30s --timeout=3s \\", "  CMD [\"node\", \"healthcheck.js\"]"),
        I("CMD", 'CMD ["node", "server.js"]'),
    ]


def python(v):
    return [
        I("FROM", f"FROM python:{v}-slim-bookworm"),
        I("ENV", "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1"),
        I("RUN", "RUN set -eux; \\", "    apt-get update; \\", "    apt-get install -y --no-install-recommends \\",
          "        ca-certificates \\", "        libpq5 \\", "        tini \\", "    ; \\",
          "    rm -rf /var/lib/apt/lists/*"),
        I("WORKDIR", "WORKDIR /srv"),
        I("COPY", "COPY requirements.txt ."),
        I("RUN", "RUN pip install --no-cache-dir -r requirements.txt"),
        I("COPY", "COPY . ."),
        I("RUN", "RUN useradd --create-home --uid 10001 app"),
        I("USER", "USER 10001"),
        I("ENTRYPOINT", 'ENTRYPOINT ["tini", "--"]'),
        I("CMD", 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]'),
    ]


def golang(v):
    return [
        I("FROM", f"FROM --platform=$BUILDPLATFORM golang:{v}-alpine AS build"),
        I("ARG", "ARG TARGETOS TARGETARCH"),
        I("WORKDIR", "WORKDIR /src"),
        I("COPY", "COPY go.mod go.sum ./"),
        I("RUN", "RUN --mount=type=cache,target=/go/pkg/mod go mod download"),
        I("COPY", "COPY . ."),
        I("RUN", "RUN --mount=type=cache,target=/go/pkg/mod \\", "    --mount=type=cache,target=/root/.cache/go-build \\",
          "    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \\", "    go build -trimpath -ldflags=\"-s -w\" -o /out/app ./cmd/app"),
        I("FROM", "FROM gcr.io/distroless/static-debian12:nonroot"),
        I("COPY", "COPY --from=build /out/app /app"),
        I("USER", "USER nonroot:nonroot"),
        I("ENTRYPOINT", 'ENTRYPOINT ["/app"]'),
    ]


def nginx(v):
    return [
        I("FROM", "FROM debian:bookworm-slim"),
        I("LABEL", 'LABEL maintainer="NGINX Docker Maintainers <docker-maint@nginx.com>"'),
        I("ENV", f"ENV NGINX_VERSION   {v}"),
        I("ENV", "ENV NJS_VERSION     0.8.4"),
        I("RUN", "RUN set -x \\", "# create nginx user/group first, to be consistent throughout docker variants",
          "    && groupadd --system --gid 101 nginx \\",
          "    && useradd --system --gid nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false --uid 101 nginx \\",
          "    && apt-get update \\", "    && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates \\",
          "    && \\", "    NGINX_GPGKEY=573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62; \\",
          "    apt-get remove --purge --auto-remove -y gnupg1 && rm -rf /var/lib/apt/lists/* \\",
          "# forward request and error logs to docker log collector",
          "    && ln -sf /dev/stdout /var/log/nginx/access.log \\", "    && ln -sf /dev/stderr /var/log/nginx/error.log"),
        I("COPY", "COPY docker-entrypoint.sh /"),
        I("COPY", "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d"),
        I("ENTRYPOINT", 'ENTRYPOINT ["/docker-entrypoint.sh"]'),
        I("EXPOSE", "EXPOSE 80"),
        I("STOPSIGNAL", "STOPSIGNAL SIGQUIT"),
        I("CMD", 'CMD ["nginx", "-g", "daemon off;"]'),
    ]


def java(v):
    return [
        I("FROM", f"FROM maven:3.9-eclipse-temurin-{v} AS build"),
        I("WORKDIR", "WORKDIR /build"),
        I("COPY", "COPY pom.xml ."),
        I("RUN", "RUN mvn -B -q dependency:go-offline"),
        I("COPY", "COPY src ./src"),
        I("RUN", "RUN mvn -B -q package -DskipTests"),
        I("FROM", f"FROM eclipse-temurin:{v}-jre-jammy"),
        I("RUN", "RUN groupadd -r spring && useradd -r -g spring spring"),
        I("WORKDIR", "WORKDIR /opt/app"),
        I("COPY", "COPY --from=build /build/target/*.jar app.jar"),
        I("USER", "USER spring:spring"),
        I("EXPOSE", "EXPOSE 8080"),
        I("ENTRYPOINT", 'ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "app.jar"]'),
    ]


def alpine(v):
    return [
        I("FROM", f"FROM alpine:{v}"),
        I("RUN", "RUN apk add --no-cache \\", "        ca-certificates=20240226-r0 \\", "        curl=8.9.1-r1 \\",
          "        tzdata"),
        I("RUN", "RUN addgroup -S app && adduser -S -G app app"),
        I("COPY", "COPY --chmod=0755 entrypoint.sh /usr/local/bin/"),
        I("USER", "USER app"),
        I("ENTRYPOINT", 'ENTRYPOINT ["entrypoint.sh"]'),
    ]


def debian(v):
    return [
        I("FROM", f"FROM debian:{v}"),
        I("ARG", "ARG DEBIAN_FRONTEND=noninteractive"),
        I("RUN", "RUN apt-get update && apt-get install -y --no-install-recommends \\", "        bzip2 \\",
          "        unzip \\", "        xz-utils \\", "\t\tca-certificates \\", "        curl \\", "        gnupg \\",
          "    && rm -rf /var/lib/apt/lists/*"),
        I("ENV", "ENV LANG C.UTF-8"),
        I("CMD", 'CMD ["bash"]'),
    ]


def distroless(v):
    return [
        I("FROM", f"FROM rust:{v} AS builder"),
        I("WORKDIR", "WORKDIR /usr/src/app"),
        I("COPY", "COPY . ."),
        I("RUN", "RUN cargo install --locked --path ."),
        I("FROM", "FROM gcr.io/distroless/cc-debian12"),
        I("COPY", "COPY --from=builder /usr/local/cargo/bin/app /usr/local/bin/app"),
        I("CMD", 'CMD ["app"]'),
    ]


def heredocs(v):
    return [
        I("FROM", f"FROM ubuntu:{v}"),
        I("RUN", "RUN <<EOF", "apt-get update", "apt-get install -y --no-install-recommends curl", "rm -rf /var/lib/apt/lists/*", "EOF"),
        I("COPY", "COPY <<-\"EOT\" /etc/app/config.ini", "\t[server]", "\tport = 8080", "\tEOT"),
        I("RUN", "RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2", "I am", "first", "FILE1", "I am", "second", "FILE2"),
        I("RUN", "RUN python3 <<'PY'", "print('hello $HOME')", "PY"),
        I("RUN", "RUN cat <<<\"not a heredoc\""),
        I("CMD", 'CMD ["/bin/bash"]'),
    ]


def windows(v):
    # escape=` is the Windows convention; the template is written with ` and
    # must not be re-escaped by the variant.
    return [
        I("#directive", "# escape=`"),
        I("FROM", f"FROM mcr.microsoft.com/windows/servercore:{v}"),
        I("SHELL", 'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]'),
        I("RUN", "RUN Invoke-WebRequest -Uri https://example.invalid/app.zip -OutFile C:\\app.zip ; `",
          "    Expand-Archive C:\\app.zip -DestinationPath C:\\app ; `", "    Remove-Item C:\\app.zip"),
        I("WORKDIR", "WORKDIR C:\\app"),
        I("COPY", "COPY config\\ C:\\app\\config\\"),
        I("ENTRYPOINT", 'ENTRYPOINT ["C:\\\\app\\\\app.exe"]'),
    ]


def args(v):
    return [
        I("ARG", f"ARG BASE_TAG={v}"),
        I("ARG", "ARG REGISTRY=docker.io"),
        I("FROM", "FROM ${REGISTRY}/library/debian:${BASE_TAG:-bookworm} AS base"),
        I("ARG", "ARG BASE_TAG"),
        I("ENV", "ENV TAG=${BASE_TAG} MODE=${MODE:-release}"),
        I("LABEL", 'LABEL org.opencontainers.image.version="${BASE_TAG}" \\', '      org.opencontainers.image.title="args demo"'),
        I("FROM", "FROM base AS final"),
        I("RUN", "RUN echo \"$TAG\""),
    ]


def onbuild(v):
    return [
        I("FROM", f"FROM ruby:{v}"),
        I("RUN", "RUN bundle config --global frozen 1"),
        I("WORKDIR", "WORKDIR /usr/src/app"),
        I("ONBUILD", "ONBUILD COPY Gemfile Gemfile.lock ./"),
        I("ONBUILD", "ONBUILD RUN bundle install"),
        I("ONBUILD", "ONBUILD COPY . ."),
        I("CMD", 'CMD ["irb"]'),
    ]


def mounts(v):
    return [
        I("FROM", f"FROM python:{v}"),
        I("RUN", "RUN --mount=type=secret,id=pip_conf,target=/etc/pip.conf \\", "    --mount=type=cache,target=/root/.cache/pip \\",
          "    pip install -r requirements.txt"),
        I("RUN", "RUN --mount=type=ssh git clone git@github.com:example/private.git /src"),
        I("RUN", "RUN --mount=type=bind,source=.,target=/ctx,rw make -C /ctx install"),
        I("ADD", "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.invalid/tool.tar.gz /tmp/"),
        I("COPY", "COPY --link --chmod=755 bin/ /usr/local/bin/"),
    ]


def php(v):
    return [
        I("FROM", f"FROM php:{v}-fpm-alpine"),
        I("RUN", "RUN set -eux; \\", "\tapk add --no-cache --virtual .build-deps \\", "\t\t$PHPIZE_DEPS \\",
          "\t\ticu-dev \\", "\t\tlibzip-dev \\", "\t; \\", "\tdocker-php-ext-install -j\"$(nproc)\" intl zip opcache; \\",
          "\tapk del --no-network .build-deps"),
        I("COPY", "COPY --from=composer:2 /usr/bin/composer /usr/bin/composer"),
        I("WORKDIR", "WORKDIR /var/www/html"),
        I("USER", "USER www-data"),
    ]


def postgres(v):
    return [
        I("FROM", f"FROM debian:{v}-slim"),
        I("RUN", "RUN set -ex; \\", "\tif ! command -v gpg > /dev/null; then \\", "\t\tapt-get update; \\",
          "\t\tapt-get install -y --no-install-recommends gnupg dirmngr; \\", "\t\trm -rf /var/lib/apt/lists/*; \\", "\tfi"),
        I("ENV", "ENV GOSU_VERSION 1.17"),
        I("RUN", "RUN groupadd -r postgres --gid=999 && useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres"),
        I("ENV", "ENV PGDATA /var/lib/postgresql/data"),
        I("VOLUME", "VOLUME /var/lib/postgresql/data"),
        I("COPY", "COPY docker-entrypoint.sh /usr/local/bin/"),
        I("ENTRYPOINT", 'ENTRYPOINT ["docker-entrypoint.sh"]'),
        I("STOPSIGNAL", "STOPSIGNAL SIGINT"),
        I("EXPOSE", "EXPOSE 5432"),
        I("CMD", 'CMD ["postgres"]'),
    ]


def redis(v):
    return [
        I("FROM", f"FROM alpine:{v}"),
        I("RUN", "RUN set -eux; \\", "\tapk add --no-cache --virtual .build-deps \\", "\t\tcoreutils gcc linux-headers make musl-dev openssl-dev \\",
          "\t; \\", "\twget -O redis.tar.gz \"$REDIS_DOWNLOAD_URL\"; \\", "\techo \"$REDIS_DOWNLOAD_SHA *redis.tar.gz\" | sha256sum -c -; \\",
          "\tmake -C /usr/src/redis -j \"$(nproc)\" all; \\", "\tapk del --no-network .build-deps"),
        I("RUN", "RUN mkdir /data && chown redis:redis /data"),
        I("VOLUME", "VOLUME /data"),
        I("WORKDIR", "WORKDIR /data"),
        I("EXPOSE", "EXPOSE 6379"),
        I("CMD", 'CMD ["redis-server"]'),
    ]


def dotnet(v):
    return [
        I("FROM", f"FROM mcr.microsoft.com/dotnet/sdk:{v} AS build"),
        I("WORKDIR", "WORKDIR /source"),
        I("COPY", "COPY *.csproj ."),
        I("RUN", "RUN dotnet restore"),
        I("COPY", "COPY . ."),
        I("RUN", "RUN dotnet publish -c Release -o /app --no-restore"),
        I("FROM", f"FROM mcr.microsoft.com/dotnet/aspnet:{v}"),
        I("WORKDIR", "WORKDIR /app"),
        I("COPY", "COPY --from=build /app ."),
        I("USER", "USER $APP_UID"),
        I("ENTRYPOINT", 'ENTRYPOINT ["./aspnetapp"]'),
    ]


def scratch(v):
    return [
        I("FROM", f"FROM golang:{v} AS build"),
        I("RUN", "RUN CGO_ENABLED=0 go build -o /hello ./..."),
        I("FROM", "FROM scratch"),
        I("COPY", "COPY --from=build /hello /hello"),
        I("COPY", "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"),
        I("USER", "USER 65532:65532"),
        I("ENTRYPOINT", '["/hello"]'.join(["ENTRYPOINT ", ""])),
    ]


def legacy(v):
    return [
        I("FROM", f"FROM centos:{v}"),
        I("MAINTAINER", "MAINTAINER Jane Doe <jane@example.invalid>"),
        I("RUN", "RUN yum install -y httpd && \\", "    yum clean all"),
        I("ADD", "ADD index.html /var/www/html/"),
        I("EXPOSE", "EXPOSE 80 443/tcp"),
        I("CMD", "CMD /usr/sbin/httpd -D FOREGROUND"),
    ]


def malformed_json(v):
    return [
        I("FROM", f"FROM busybox:{v}"),
        I("CMD", "CMD ['sh', '-c', 'echo hi']"),
        I("ENTRYPOINT", 'ENTRYPOINT ["/bin/sh", "-c",]'),
        I("RUN", 'RUN ["echo", "exec form"]'),
        I("VOLUME", 'VOLUME ["/data", "/logs"]'),
    ]


TEMPLATES = [
    ("node", node, ["18.20.4", "20.17.0", "22.8.0", "20.11.1", "21.7.3"]),
    ("python", python, ["3.11.9", "3.12.5", "3.10.14", "3.9.19", "3.13.0"]),
    ("go", golang, ["1.22.7", "1.23.1", "1.21.13", "1.22", "1.23"]),
    ("nginx", nginx, ["1.27.1", "1.26.2", "1.25.5", "1.24.0", "1.27.0"]),
    ("java", java, ["21", "17", "11", "22", "23"]),
    ("alpine", alpine, ["3.20.3", "3.19.4", "3.18.9", "3.17.10", "3.20"]),
    ("debian", debian, ["bookworm", "bullseye", "12.7", "11.11", "trixie"]),
    ("distroless", distroless, ["1.81", "1.80", "1.79", "1.78", "1.77"]),
    ("heredoc", heredocs, ["24.04", "22.04", "20.04", "24.10", "23.10"]),
    ("windows", windows, ["ltsc2022", "ltsc2019", "ltsc2025", "20H2", "1809"]),
    ("args", args, ["bookworm", "bullseye", "12", "11", "trixie"]),
    ("onbuild", onbuild, ["3.3", "3.2", "3.1", "3.0", "2.7"]),
    ("mounts", mounts, ["3.12", "3.11", "3.10", "3.9", "3.13"]),
    ("php", php, ["8.3", "8.2", "8.1", "8.0", "7.4"]),
    ("postgres", postgres, ["bookworm", "bullseye", "12", "11", "trixie"]),
    ("redis", redis, ["3.20", "3.19", "3.18", "3.17", "3.16"]),
    ("dotnet", dotnet, ["8.0", "6.0", "9.0", "7.0", "8.0-jammy"]),
    ("scratch", scratch, ["1.23", "1.22", "1.21", "1.20", "1.19"]),
    ("legacy", legacy, ["7", "8", "6", "7.9.2009", "8.4.2105"]),
    ("malformedjson", malformed_json, ["1.36", "1.35", "1.34", "1.33", "1.32"]),
]

VARIANTS = ["plain", "crlf", "comments", "indent", "lower"]


def render(instrs, variant):
    lines = []
    for n, (kw, body) in enumerate(instrs):
        body = list(body)
        if variant == "lower" and kw != "#directive":
            body[0] = re.sub(r"^(\s*)([A-Z]+)", lambda m: m.group(1) + m.group(2).lower(), body[0], count=1)
            if kw == "ONBUILD":
                body[0] = re.sub(r"^onbuild ([A-Z]+)", lambda m: "onbuild " + m.group(1).lower(), body[0])
        if variant == "indent" and kw != "#directive":
            body[0] = "  " + body[0]
        if variant == "comments" and len(body) > 1 and body[0].rstrip().endswith(("\\", "`")) and "<<" not in body[0]:
            # A comment and a blank-free comment line inside the continuation vanish.
            body.insert(1, "    # a comment inside the continuation")
        lines.extend(body)
        if variant in ("comments", "indent") and kw != "#directive":
            lines.append("")
            lines.append("# between instructions")
    eol = "\r\n" if variant == "crlf" else "\n"
    return eol.join(lines) + eol


def main():
    for f in os.listdir(HERE):
        if f.endswith(".Dockerfile"):
            os.remove(os.path.join(HERE, f))
    rows = []
    n = 0
    for name, fn, versions in TEMPLATES:
        for v, variant in zip(versions, VARIANTS):
            n += 1
            instrs = fn(v)
            fname = f"{n:03d}-{name}-{variant}.Dockerfile"
            with open(os.path.join(HERE, fname), "w", newline="") as out:
                out.write(render(instrs, variant))
            kws = [kw for kw, _ in instrs if kw != "#directive"]
            stages = kws.count("FROM")
            rows.append(f"{fname}\t{stages}\t{','.join(kws)}")
    with open(os.path.join(HERE, "expected.tsv"), "w") as out:
        out.write("# file\tstages\tkeywords (generated by make_corpus.py)\n")
        out.write("\n".join(rows) + "\n")
    print(f"{n} Dockerfiles")


if __name__ == "__main__":
    main()
