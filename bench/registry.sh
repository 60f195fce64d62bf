#!/usr/bin/env bash
# The registry rows of bench/run: bench.tar pushed to a loopback registry
# (Debian's docker-registry, plain HTTP, filesystem storage in a temp dir),
# then scanned from there by drydock (cold: --no-cache; warm: the layer cache
# filled by the cold run, so only the manifest and config are fetched) and by
# Trivy (cold cache dir, offline: no database download), both with the
# secret scanner, in one run. Prints table rows in bench/run's layout.
#
#   bench/registry.sh DRYDOCK BENCH_TAR [TRIVY]
#
# Sourced helpers are not needed: it measures with /usr/bin/time -v itself.
# The registry is stopped by its pid.
set -euo pipefail
DRYDOCK=$1
TAR=$2
TRIVY=${3:-}
PY=/usr/bin/python3
log() { printf 'bench: %s\n' "$*" >&2; }
row() { printf '%-54s %10s %12s  %s\n' "$@"; }

if ! command -v docker-registry >/dev/null || ! command -v skopeo >/dev/null; then
  row "registry scan" "skipped" "" "docker-registry or skopeo not installed (scripts/deps --test)"
  exit 0
fi
W=$(mktemp -d)
REG_PID=""
cleanup() {
  [[ -n "$REG_PID" ]] && kill "$REG_PID" 2>/dev/null && wait "$REG_PID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=""
for _ in 1 2 3 4 5; do
  PORT=$(free_port)
  cat >"$W/config.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $W/storage}}
http: {addr: 127.0.0.1:$PORT}
YML
  docker-registry serve "$W/config.yml" >"$W/registry.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1 && break
    kill -0 "$REG_PID" 2>/dev/null || break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1 && break
  kill "$REG_PID" 2>/dev/null || true
  wait "$REG_PID" 2>/dev/null || true
  REG_PID=""
done
if [[ -z "$REG_PID" ]]; then
  row "registry scan" "skipped" "" "docker-registry did not start: $(tail -n 1 "$W/registry.log")"
  exit 0
fi
REF=127.0.0.1:$PORT/bench:1
log "pushing bench.tar to the loopback registry (skopeo, gzip layers)"
skopeo copy -q --dest-tls-verify=false "docker-archive:$TAR" "docker://$REF" >"$W/push.log" 2>&1 || {
  row "registry scan" "skipped" "" "skopeo push failed: $(tail -n 1 "$W/push.log")"
  exit 0
}
blob_bytes=$(du -sb "$W/storage" | cut -f1)

M_WALL=0 M_RSS=0 M_RC=0
measure() {
  local tf t0 t1
  tf=$(mktemp)
  t0=$EPOCHREALTIME
  set +e
  /usr/bin/time -v -o "$tf" "$@" >/dev/null 2>>"$W/measure.err"
  M_RC=$?
  set -e
  t1=$EPOCHREALTIME
  M_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  M_RSS=$(awk -F': ' '/Maximum resident set size/ { print int($2 / 1024) }' "$tf")
  rm -f "$tf"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

C=$W/cache
mkdir -p "$C"
# Compile the secret rules once so neither drydock row pays for it.
"$DRYDOCK" --cache-dir "$C" image "$TAR" --scanners secret --no-cache --format json --output "$W/x.json" --no-progress \
  >/dev/null 2>&1 || true
log "drydock registry scan, cold (--no-cache)"
measure "$DRYDOCK" --cache-dir "$C" --no-cache image "registry:$REF" --scanners secret,misconfig --format json \
  --output "$W/cold.json" --no-progress -q
cold_wall=$M_WALL cold_rss=$M_RSS cold_rc=$M_RC
log "drydock registry scan, filling the layer cache"
measure "$DRYDOCK" --cache-dir "$C" image "registry:$REF" --scanners secret,misconfig --format json \
  --output "$W/fill.json" --no-progress -q
log "drydock registry scan, warm"
measure "$DRYDOCK" --cache-dir "$C" image "registry:$REF" --scanners secret,misconfig --format json \
  --output "$W/warm.json" --no-progress -q
warm_wall=$M_WALL warm_rss=$M_RSS warm_rc=$M_RC
same="differ"
cmp -s "$W/cold.json" "$W/warm.json" && same="byte-identical to the cold report"
if (( cold_rc == 0 )); then
  row "drydock image registry: (secret,misconfig; cold)" "$cold_wall" "$cold_rss" \
    "$(awk -v b="$blob_bytes" 'BEGIN { printf "%.2f GB of blobs over loopback HTTP", b / 1e9 }')"
else
  row "drydock image registry: (cold)" "failed" "" "exit $cold_rc: $(tail -n 1 "$W/measure.err")"
fi
if (( warm_rc == 0 )); then
  row "drydock image registry: (warm layer cache)" "$warm_wall" "$warm_rss" "manifest + config only; $same"
fi
if [[ -n "$TRIVY" ]]; then
  log "trivy image (registry, secret scanner, cold cache dir)"
  tc=$(mktemp -d)
  measure env TRIVY_INSECURE=true "$TRIVY" image --scanners secret --offline-scan --skip-db-update \
    --skip-java-db-update --cache-dir "$tc" -q -f json -o /dev/null "$REF"
  rm -rf "$tc"
  if (( M_RC == 0 )); then
    row "trivy image REF --scanners secret (cold)" "$M_WALL" "$M_RSS" \
      "trivy/drydock cold = $(ratio "$M_WALL" "$cold_wall")"
  else
    # The Trivy v0.44 of the cdxgen plugin package pulls bench.tar's reference,
    # but has been seen to exit 1 with no message (before any connect()) on a
    # small FROM scratch image; its --input row reads the same image from the archive.
    row "trivy image REF --scanners secret" "failed" "" \
      "exit $M_RC: $(tail -n 1 "$W/measure.err") (compare with its --input row)"
  fi
fi
