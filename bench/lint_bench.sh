#!/usr/bin/env bash
# Lint throughput: 1,000 Dockerfiles (the 100-file parser corpus, ten copies
# each) in one `drydock dockerfile` run, JSON report; and a 5,000-service
# compose file. Target: 1,000 Dockerfiles in <= 1 s. Best of BENCH_RUNS
# (default 3) wall times, peak RSS from /usr/bin/time when present.
#
#   bench/lint_bench.sh [DRYDOCK_BINARY]      (default: build/drydock)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DRYDOCK=${1:-$ROOT/build/drydock}
RUNS=${BENCH_RUNS:-3}
W=$(mktemp -d /tmp/dd-lint-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

for i in $(seq 1 10); do
  for f in "$ROOT"/tests/testdata/dockerfiles/*.Dockerfile; do cp "$f" "$W/$i-$(basename "$f")"; done
done
n=$(ls "$W"/*.Dockerfile | wc -l)
{
  echo "services:"
  for i in $(seq 1 5000); do printf '  s%d:\n    image: nginx:1.27.1\n    privileged: true\n    ports: ["80%d:80"]\n' "$i" "$((i % 10))"; done
} >"$W/compose.yml"

best() {  # best wall time in ms of RUNS runs of "$@"
  local b=999999 t s
  for _ in $(seq 1 "$RUNS"); do
    s=$(date +%s%N)
    "$@" >/dev/null
    t=$((($(date +%s%N) - s) / 1000000))
    ((t < b)) && b=$t
  done
  echo "$b"
}
rss() {
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
  else
    echo "?"
  fi
}
df_ms=$(best "$DRYDOCK" dockerfile "$W"/*.Dockerfile -f json -o "$W/out.json")
df_rss=$(rss "$DRYDOCK" dockerfile "$W"/*.Dockerfile -f json -o "$W/out.json")
findings=$(/usr/bin/python3 -c "import json;print(len(json.load(open('$W/out.json'))['findings']))")
cp_ms=$(best "$DRYDOCK" compose "$W/compose.yml" -f json -o "$W/c.json")
cp_rss=$(rss "$DRYDOCK" compose "$W/compose.yml" -f json -o "$W/c.json")
printf '%-34s %8s %10s %9s\n' "case" "wall ms" "rss KiB" "findings"
printf '%-34s %8s %10s %9s\n' "dockerfile x$n (json)" "$df_ms" "$df_rss" "$findings"
printf '%-34s %8s %10s %9s\n' "compose 5000 services (json)" "$cp_ms" "$cp_rss" "-"
if ((df_ms > 1000)); then
  echo "lint_bench: $n Dockerfiles took $df_ms ms (> 1000 ms target)"
  exit 1
fi
echo "lint_bench: $n Dockerfiles in $df_ms ms (target <= 1000 ms)"
