#!/usr/bin/env bash
# Memory against input size: peak RSS (/usr/bin/time -v) and wall time of
# drydock on generated inputs at 1x, 10x and 100x, to show memory is flat
# (a function of the largest item, not of the count). Inputs are generated in
# a mktemp -d dir and removed afterwards; nothing is written to the repo.
#
#   bench/memory.sh [DRYDOCK_BINARY]      (default: build/drydock)
#
# Shapes:
#   compose   a compose file with N services (12 findings each): 200, 2,000,
#             20,000; every lint format (table, json, sarif); target at
#             20,000 services: <= 256 MB and <= 3 s
#   dockerfile N Dockerfiles linted in one run: 1,000, 10,000, 100,000;
#             target at 100,000: <= 200 MB
#   layer     a docker-archive whose one layer holds N empty files: 30,000,
#             300,000, 3,000,000; target at 3M: <= 200 MB
# BENCH_MEMORY_SCALE=N divides the sizes by N (a quick look).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DRYDOCK=$(realpath "${1:-$ROOT/build/drydock}")  # absolute: the Dockerfile rows run from their dir
PY=/usr/bin/python3
SCALE=${BENCH_MEMORY_SCALE:-1}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# measure LABEL CMD...: one run; prints "LABEL wall_s rss_MB"
measure() {
  local label=$1
  shift
  /usr/bin/time -v -o "$W/time.txt" "$@" >/dev/null 2>"$W/err.txt" || {
    echo "$label failed: $(tail -n 1 "$W/err.txt")"
    return 0
  }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$W/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$W/time.txt")
  printf '%-44s %8s %10s\n' "$label" "$wall" "$rss"
}

printf '%-44s %8s %10s\n' "shape" "wall s" "peak MB"

# ---- compose ---------------------------------------------------------------------------
for n in 200 2000 20000; do
  n=$((n / SCALE))
  "$PY" - "$W/c.yml" "$n" <<'PYEOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("services:\n")
    for i in range(n):
        f.write(f"  s{i}:\n    image: nginx\n    privileged: true\n    network_mode: host\n    pid: host\n"
                "    cap_add: [ALL]\n    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n")
PYEOF
  for fmt in table json sarif; do
    measure "compose $n services ($fmt)" "$DRYDOCK" compose "$W/c.yml" -f "$fmt" -o "$W/out" -q
  done
done
rm -f "$W/c.yml" "$W/out"

# ---- Dockerfiles -----------------------------------------------------------------------
mkdir -p "$W/df"
corpus=("$ROOT"/tests/testdata/dockerfiles/*.Dockerfile)
have=0
for n in 1000 10000 100000; do
  n=$((n / SCALE))
  while ((have < n)); do
    cp "${corpus[have % ${#corpus[@]}]}" "$W/df/$have"
    have=$((have + 1))
  done
  # One run for all of them (xargs could split it): short relative names
  # keep 100,000 of them under the argv limit.
  # shellcheck disable=SC2046
  (cd "$W/df" && measure "dockerfile x$n (json)" "$DRYDOCK" dockerfile $(seq 0 $((n - 1))) -f json -o "$W/out" -q)
done
rm -rf "$W/df" "$W/out"

# ---- one layer with many empty files ---------------------------------------------------
for n in 30000 300000 3000000; do
  n=$((n / SCALE))
  "$PY" - "$W/img.tar" "$n" <<'PYEOF'
import hashlib, io, json, os, sys, tarfile
path, n = sys.argv[1], int(sys.argv[2])
layer_path = path + ".layer"
with tarfile.open(layer_path, mode="w", format=tarfile.USTAR_FORMAT) as t:
    for d in range(0, n, 1000):
        ti = tarfile.TarInfo(f"d{d // 1000}"); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
        for i in range(d, min(n, d + 1000)):
            ti = tarfile.TarInfo(f"d{d // 1000}/f{i}"); ti.mode = 0o644; t.addfile(ti)
h = hashlib.sha256()
with open(layer_path, "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
        h.update(block)
diff = "sha256:" + h.hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "1000"},
                     "rootfs": {"type": "layers", "diff_ids": [diff]},
                     "history": [{"created_by": "generated"}]}).encode()
cfg = hashlib.sha256(config).hexdigest()
manifest = json.dumps([{"Config": cfg + ".json", "RepoTags": ["bench/files:1"], "Layers": ["layer/layer.tar"]}]).encode()
with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as t:
    for name, blob in ((cfg + ".json", config), ("manifest.json", manifest)):
        ti = tarfile.TarInfo(name); ti.size = len(blob); t.addfile(ti, io.BytesIO(blob))
    t.add(layer_path, arcname="layer/layer.tar")
os.unlink(layer_path)
PYEOF
  measure "image: one layer, $n empty files" "$DRYDOCK" --no-cache image "$W/img.tar" --format json -o "$W/out" --no-progress -q
  rm -f "$W/img.tar"
done
