#!/usr/bin/env bash
# The layer cache end to end, on images built by a private dockerd (FROM
# scratch with busybox: a base, an app sharing its base layer, a multi-layer
# image with whiteouts, an opaque dir and secrets; a Debian minbase image when
# a debootstrap rootfs is cached on this machine, else one carrying this
# machine's dpkg database) in every form drydock reads
# (classic `docker save`, Docker 25 OCI-in-tar plain and gzip, skopeo OCI
# layouts gzip and zstd, a gzip-compressed archive). For every form:
#   - warm reports (json, table, sarif, cyclonedx; --scanners misconfig,secret
#     --list-all-pkgs) are byte-identical to --no-cache ones;
#   - the warm scan reads no layer: with a byte of every layer blob flipped in
#     place, the warm scan still exits 0 with the same report, while --no-cache
#     fails on the damage (seekable forms; the streamed ones read anyway);
#   - a cache filled from one form serves another form of the same image, and
#     an image serves the layers it shares with another.
# Then: kill -9 at the first rename, at an fsync and while layers stream
# (strace fault injection), each followed by a re-scan with the same report
# and no temp file left; two and four concurrent scans on one cache dir; a
# flipped byte and a truncation in an entry (detected: the entry is
# rewritten to its exact former bytes); --cache-max-size; --no-cache and
# DRYDOCK_NO_CACHE=1 write nothing; `cache info` and `cache clean [--all]`.
#
#   tests/integration/cache.sh [DRYDOCK_BINARY]     (default: build/drydock)
#
# Last line: "cache: N passed, N failed[, N skipped]" or "skipped: why".
# DRYDOCK_CACHE_KEEP=1 keeps the work dir.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
TOOLS=("$PY" "$ROOT/tests/integration/image_tools.py")
T_NAME=cache
T_CHECK_LINES=30
# Read before anything here points caches elsewhere: where the other suites
# keep a debootstrap rootfs.
HOST_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
need_static_busybox
workdir /tmp/dd-cache.XXXXXX DRYDOCK_CACHE_KEEP
# Nothing here touches the user's cache: every scan names its own.
export XDG_CACHE_HOME=$W/xdg
unset DRYDOCK_CACHE_DIR DRYDOCK_NO_CACHE DRYDOCK_CACHE_MAX_SIZE

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
D() { "$DOCKER_CLI" "$@"; }

cat >"$W/tools.py" <<'PYEOF'
import io, json, os, sys, tarfile

def layer_members(archive):
    """(offset, size) in the archive file of every layer member manifest.json names."""
    with tarfile.open(archive) as tf:
        members = {m.name.lstrip("./"): m for m in tf.getmembers()}
        manifest = json.load(tf.extractfile(members["manifest.json"]))
    out = []
    for name in manifest[0]["Layers"]:
        m = members[name.lstrip("./")]
        while m.issym():
            m = members[os.path.normpath(os.path.join(os.path.dirname(m.name), m.linkname))]
        out.append((m.offset_data, m.size))
    return out

def layout_blobs(layout):
    index = json.load(open(os.path.join(layout, "index.json")))
    blob = lambda d: os.path.join(layout, "blobs", *d.split(":", 1))
    manifest = json.load(open(blob(index["manifests"][0]["digest"])))
    return [(blob(l["digest"]), 0, l["size"]) for l in manifest["layers"]]

def flip(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x5A]))

def damage(target):
    """Flips the middle byte of every layer blob of the archive or layout, in place."""
    if os.path.isdir(target):
        for path, _, size in layout_blobs(target):
            flip(path, size // 2)
    else:
        for off, size in layer_members(target):
            flip(target, off + size // 2)

def entry_files(cache):
    root = os.path.join(cache, "layers")
    out = []
    for d in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        sub = os.path.join(root, d)
        if len(d) == 2 and os.path.isdir(sub):
            out += [os.path.join(sub, n) for n in sorted(os.listdir(sub)) if len(n) == 62]
    return out

def temp_files(cache):
    root = os.path.join(cache, "layers")
    return [os.path.join(dp, n) for dp, _, ns in os.walk(root) for n in ns if n.startswith(".tmp-")]

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "damage":
    damage(args[0])
elif cmd == "entries":
    print("\n".join(entry_files(args[0])))
elif cmd == "count":
    print(len(entry_files(args[0])))
elif cmd == "bytes":
    print(sum(os.path.getsize(p) for p in entry_files(args[0])))
elif cmd == "temps":
    print(len(temp_files(args[0])))
elif cmd == "largest":
    print(max(entry_files(args[0]), key=os.path.getsize))
PYEOF
T() { "$PY" "$W/tools.py" "$@"; }

# ---- images ------------------------------------------------------------------------
ctx=$W/ctx
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp" "$ctx/app/srv" "$ctx/extra/opt/data" "$ctx/extra/opt/cfg"
cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
for a in sh ls cat echo rm mkdir true sed; do ln -s busybox "$ctx/rootfs/bin/$a"; done
chmod 1777 "$ctx/rootfs/tmp"
printf 'ID=ddcache\nVERSION_ID="1.0"\n' >"$ctx/rootfs/etc/os-release"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/srv:/bin/sh\nnopw::1001:1001::/:/bin/sh\n' >"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1000:\n' >"$ctx/rootfs/etc/group"
printf 'root:*:19000:0:99999:7:::\nnopw::19000:0:99999:7:::\n' >"$ctx/rootfs/etc/shadow"
printf '{"name":"app","version":"1.2.3","dependencies":{}}\n' >"$ctx/app/srv/package.json"
printf 'AWS_SECRET_ACCESS_KEY=Zx9qLm2Rv7tPw4KdQ8sYc1HdJ6fGa3EuR5oNb2Vt\n' >"$ctx/app/srv/.env"
printf 'alpha\n%.0s' {1..400} >"$ctx/extra/opt/data/a.txt"
printf 'key=value\n' >"$ctx/extra/opt/cfg/app.conf"
TOKEN=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

cat >"$ctx/base.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
CMD ["/bin/sh"]
EOF
cat >"$ctx/app.Dockerfile" <<EOF
FROM dd-cache-base:1
COPY app/ /
ENV GITHUB_TOKEN=$TOKEN
USER app
CMD ["/bin/sh"]
EOF
cat >"$ctx/multi.Dockerfile" <<EOF
FROM dd-cache-base:1
COPY extra/ /
RUN echo "token=$TOKEN" > /opt/cfg/leak.txt && rm /opt/data/a.txt
RUN rm -rf /opt/cfg && mkdir /opt/cfg && echo new > /opt/cfg/app.conf
CMD ["/bin/sh"]
EOF
IMAGES=()
for n in base app multi; do
  if check "$n: docker build (legacy builder)" \
    env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t "dd-cache-$n:1" -f "$ctx/$n.Dockerfile" "$ctx"; then
    IMAGES+=("$n")
  fi
done
# A Debian minbase rootfs, when another suite or the benchmark cached one.
debian_tar=""
for f in "$HOST_CACHE"/drydock-tests/debian-*-minbase-*/base.tar.gz "$HOST_CACHE"/drydock-bench/*-minbase.tar; do
  [[ -s "$f" ]] && debian_tar=$f && break
done
if [[ -n "$debian_tar" ]]; then
  printf 'FROM dd-cache-debian-base:1\nCOPY app/ /\nCMD ["bash"]\n' >"$ctx/debian.Dockerfile"
  if check "debian: docker import of the cached minbase rootfs" D import "$debian_tar" dd-cache-debian-base:1 &&
    check "debian: docker build" env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t dd-cache-debian:1 \
      -f "$ctx/debian.Dockerfile" "$ctx"; then
    IMAGES+=(debian)
  fi
elif [[ -s /var/lib/dpkg/status && -s /etc/os-release ]]; then
  # Else this machine's own dpkg database (a thousand-odd packages with
  # their file lists) over the busybox base stands in for one.
  mkdir -p "$ctx/dpkgroot/var/lib" "$ctx/dpkgroot/etc"
  cp -a /var/lib/dpkg "$ctx/dpkgroot/var/lib/"
  cp -L /etc/os-release "$ctx/dpkgroot/etc/os-release"
  printf 'FROM dd-cache-base:1\nCOPY dpkgroot/ /\nCMD ["/bin/sh"]\n' >"$ctx/dpkg.Dockerfile"
  check "dpkg: docker build (this machine's dpkg database)" env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q \
    -t dd-cache-dpkg:1 -f "$ctx/dpkg.Dockerfile" "$ctx" && IMAGES+=(dpkg)
else
  skip "debian: no cached debootstrap rootfs under $HOST_CACHE and no dpkg database here"
fi

HAVE_SKOPEO=""
command -v skopeo >/dev/null 2>&1 && HAVE_SKOPEO=1
declare -A TARGET SEEKABLE
FORMS=()
for n in "${IMAGES[@]}"; do
  mkdir -p "$W/$n"
  D save "dd-cache-$n:1" -o "$W/$n/classic.tar" || { notok "$n: docker save"; continue; }
  TARGET[$n/classic]=$W/$n/classic.tar SEEKABLE[$n/classic]=1
  FORMS+=("$n/classic")
  if "${TOOLS[@]}" oci-in-tar "$W/$n/classic.tar" "$W/$n/oci25.tar" &&
    "${TOOLS[@]}" oci-in-tar "$W/$n/classic.tar" "$W/$n/oci25-gz.tar" --gzip; then
    TARGET[$n/oci25]=$W/$n/oci25.tar SEEKABLE[$n/oci25]=1
    TARGET[$n/oci25-gz]=$W/$n/oci25-gz.tar SEEKABLE[$n/oci25-gz]=1
    FORMS+=("$n/oci25" "$n/oci25-gz")
  else
    notok "$n: Docker 25 OCI-in-tar forms"
  fi
  gzip -1 -c "$W/$n/classic.tar" >"$W/$n/classic.tar.gz"
  TARGET[$n/gzip-archive]=docker-archive:$W/$n/classic.tar.gz SEEKABLE[$n/gzip-archive]=""
  FORMS+=("$n/gzip-archive")
  if [[ -n "$HAVE_SKOPEO" ]]; then
    if skopeo copy -q "docker-archive:$W/$n/classic.tar" "oci:$W/$n/oci-gz:v1" >/dev/null 2>"$W/$n/skopeo.err"; then
      TARGET[$n/skopeo-gzip]=oci:$W/$n/oci-gz:v1 SEEKABLE[$n/skopeo-gzip]=1
      FORMS+=("$n/skopeo-gzip")
    else
      notok "$n: skopeo copy to an OCI layout: $(head -1 "$W/$n/skopeo.err")"
    fi
    if skopeo copy -q --dest-compress-format zstd "docker-archive:$W/$n/classic.tar" "oci:$W/$n/oci-zstd:v1" \
      >/dev/null 2>&1 && grep -rq 'tar+zstd' "$W/$n/oci-zstd/blobs"; then
      TARGET[$n/skopeo-zstd]=oci:$W/$n/oci-zstd:v1 SEEKABLE[$n/skopeo-zstd]=1
      FORMS+=("$n/skopeo-zstd")
    fi
  fi
done
[[ -z "$HAVE_SKOPEO" ]] && skip "skopeo not installed: no OCI layout forms"
((${#FORMS[@]} > 0)) || finish

FLAGS=(--scanners misconfig,secret --list-all-pkgs --no-progress -q)
FORMATS=(json table sarif cyclonedx)
# scan OUT CACHE TARGET [flags...]: one scan; prints its exit status.
scan() {
  local out=$1 cache=$2 target=$3
  shift 3
  "$DRYDOCK" --cache-dir "$cache" image "$target" "${FLAGS[@]}" -o "$out" "$@" 2>"$out.err"
  echo $?
}
# path_of TARGET: the file or directory a target names.
path_of() {
  local t=${1#docker-archive:}
  [[ "$t" == oci:* ]] && { t=${t#oci:}; t=${t%:*}; }
  echo "$t"
}
same_file() { cmp -s "$1" "$2" || { diff <(head -c 200000 "$1") <(head -c 200000 "$2") | head -20; return 1; }; }

# ---- cold vs warm, every form ------------------------------------------------------------
for form in "${FORMS[@]}"; do
  t=${TARGET[$form]}
  out=$W/out/$form
  mkdir -p "$out"
  C=$(mktemp -d "$W/cache.XXXXXX")
  ok_all=1
  for f in "${FORMATS[@]}"; do
    rc_cold=$(scan "$out/cold.$f" "$C" "$t" --no-cache -f "$f")
    rc_fill=$(scan "$out/fill.$f" "$C" "$t" -f "$f")
    rc_warm=$(scan "$out/warm.$f" "$C" "$t" -f "$f")
    if [[ "$rc_cold$rc_fill$rc_warm" != 000 ]]; then
      notok "$form $f: exit statuses cold $rc_cold, filling $rc_fill, warm $rc_warm"
      detail "$(cat "$out/cold.$f.err" "$out/warm.$f.err")"
      ok_all=0
      continue
    fi
    check "$form $f: warm report byte-identical to the --no-cache one" same_file "$out/cold.$f" "$out/warm.$f" || ok_all=0
    same_file "$out/cold.$f" "$out/fill.$f" >/dev/null || { notok "$form $f: the filling scan differs"; ok_all=0; }
  done
  ((ok_all)) || continue
  n_layers=$("$PY" -c 'import json,sys; print(len({l["diff_id"] for l in json.load(open(sys.argv[1]))["artifact"]["layers"]}))' "$out/cold.json")
  check "$form: one entry per distinct layer ($n_layers)" test "$(T count "$C")" = "$n_layers"
  if [[ -n "${SEEKABLE[$form]}" ]]; then
    # The proof that the warm scan read no layer: damage every layer blob in
    # place (the target's name, and so the report, stay the same).
    T damage "$(path_of "$t")"
    rc=$(scan "$out/damaged.json" "$C" "$t" -f json)
    check "$form: warm scan of the damaged image exits 0 (no layer read)" test "$rc" = 0
    check "$form: and reports the same" same_file "$out/cold.json" "$out/damaged.json"
    rc=$(scan "$out/damaged-nocache.json" "$C" "$t" -f json --no-cache)
    check "$form: --no-cache reads the layers and fails on the damage (exit 2)" test "$rc" = 2
    detail "$(head -1 "$out/damaged-nocache.json.err")"
  fi
done

# Rebuild the damaged forms for what follows.
for n in "${IMAGES[@]}"; do
  [[ -s "$W/$n/classic.tar" ]] || continue
  D save "dd-cache-$n:1" -o "$W/$n/classic.tar"
  "${TOOLS[@]}" oci-in-tar "$W/$n/classic.tar" "$W/$n/oci25.tar" 2>/dev/null
  "${TOOLS[@]}" oci-in-tar "$W/$n/classic.tar" "$W/$n/oci25-gz.tar" --gzip 2>/dev/null
  if [[ -n "$HAVE_SKOPEO" ]]; then
    rm -rf "$W/$n/oci-gz"
    skopeo copy -q "docker-archive:$W/$n/classic.tar" "oci:$W/$n/oci-gz:v1" >/dev/null 2>&1
  fi
done

# ---- one cache for several forms and images ----------------------------------------------------
if [[ -n "${TARGET[multi/oci25-gz]:-}" && -n "${TARGET[multi/classic]:-}" ]]; then
  C=$(mktemp -d "$W/cache.XXXXXX")
  scan "$W/x-gz.json" "$C" "${TARGET[multi/oci25-gz]}" -f json >/dev/null
  cp "$W/multi/classic.tar" "$W/multi/classic-dmg.tar"
  T damage "$W/multi/classic-dmg.tar"
  scan "$W/x-classic-cold.json" "$C" "$W/multi/classic.tar" -f json --no-cache >/dev/null
  # Same name as the cold scan: the damaged copy is moved over the original.
  mv "$W/multi/classic.tar" "$W/multi/classic-good.tar"
  mv "$W/multi/classic-dmg.tar" "$W/multi/classic.tar"
  rc=$(scan "$W/x-classic-warm.json" "$C" "$W/multi/classic.tar" -f json)
  check "a cache filled from the gzip OCI-in-tar form serves the classic form (damaged: not read)" test "$rc" = 0
  check "and the classic form's report is the cold one" same_file "$W/x-classic-cold.json" "$W/x-classic-warm.json"
  mv "$W/multi/classic-good.tar" "$W/multi/classic.tar"
fi
if [[ -n "${TARGET[base/skopeo-gzip]:-}" && -n "${TARGET[app/skopeo-gzip]:-}" ]]; then
  C=$(mktemp -d "$W/cache.XXXXXX")
  scan "$W/y-base.json" "$C" "${TARGET[base/skopeo-gzip]}" -f json >/dev/null
  scan "$W/y-app-cold.json" "$C" "${TARGET[app/skopeo-gzip]}" -f json --no-cache >/dev/null
  # Damage only the layer the app shares with the base image.
  shared=$("$PY" - "$W/app/oci-gz" "$W/base/oci-gz" <<'PYEOF'
import json, os, sys
def layers(d):
    idx = json.load(open(os.path.join(d, "index.json")))
    m = json.load(open(os.path.join(d, "blobs", *idx["manifests"][0]["digest"].split(":", 1))))
    return [l["digest"] for l in m["layers"]]
a, b = layers(sys.argv[1]), layers(sys.argv[2])
print(os.path.join(sys.argv[1], "blobs", *[x for x in a if x in b][0].split(":", 1)))
PYEOF
  )
  "$PY" -c 'import os,sys; p=sys.argv[1]; n=os.path.getsize(p); f=open(p,"r+b"); f.seek(n//2); b=f.read(1); f.seek(n//2); f.write(bytes([b[0]^0x5a]))' "$shared"
  rc=$(scan "$W/y-app-warm.json" "$C" "${TARGET[app/skopeo-gzip]}" -f json)
  check "the app image takes the layer it shares with the base from the cache (damaged: not read)" test "$rc" = 0
  check "and its report is the cold one" same_file "$W/y-app-cold.json" "$W/y-app-warm.json"
  rc=$(scan "$W/y-app-nocache.json" "$C" "${TARGET[app/skopeo-gzip]}" -f json --no-cache)
  check "(--no-cache fails on that damage)" test "$rc" = 2
  rm -rf "$W/app/oci-gz"
  skopeo copy -q "docker-archive:$W/app/classic.tar" "oci:$W/app/oci-gz:v1" >/dev/null 2>&1
fi

# ---- kill -9 --------------------------------------------------------------------------------
REF=${TARGET[multi/skopeo-gzip]:-${TARGET[multi/oci25-gz]:-${TARGET[multi/classic]:-}}}
if [[ -n "$REF" ]] && command -v strace >/dev/null 2>&1; then
  scan "$W/k-ref.json" "$(mktemp -d "$W/cache.XXXXXX")" "$REF" -f json --no-cache >/dev/null
  # kill_at NAME STRACE_INJECT: the scan killed by SIGKILL where strace says,
  # then a re-scan on the same cache: same report, no temp file left.
  kill_at() {
    local name=$1 inject=$2 C rc
    C=$(mktemp -d "$W/cache.XXXXXX")
    # (In a subshell that waits for it, so the "Killed" notice goes nowhere.)
    (
      strace -f -qq -o /dev/null -e "inject=$inject" \
        "$DRYDOCK" --cache-dir "$C" image "$REF" "${FLAGS[@]}" -f json -o "$W/k-$name.json"
      exit $?
    ) 2>/dev/null
    rc=$?
    check "kill -9 $name: the scan died by SIGKILL" test "$rc" = 137
    check "kill -9 $name: no report written" test ! -e "$W/k-$name.json"
    [[ -n "${3:-}" ]] && check "kill -9 $name: the killed write is a temp file, never an entry" test "$(T temps "$C")" -ge 1
    check "kill -9 $name: every entry left verifies (re-scan reads them)" test "$(scan "$W/k-$name-re.json" "$C" "$REF" -f json)" = 0
    check "kill -9 $name: the re-scan's report is the cold one" same_file "$W/k-ref.json" "$W/k-$name-re.json"
    check "kill -9 $name: no temp file left after the re-scan" test "$(T temps "$C")" = 0
    rc=$(scan "$W/k-$name-warm.json" "$C" "$REF" -f json)
    check "kill -9 $name: then warm, same report" same_file "$W/k-ref.json" "$W/k-$name-warm.json"
  }
  # Renames: the compiled secret rules, then one per layer entry; fsyncs: the
  # secret value key, then one per entry. The third of each is an entry's.
  kill_at "between an entry's fsync and its rename" "rename,renameat,renameat2:signal=KILL:when=3" temp
  kill_at "at an entry's fsync" "fsync,fdatasync:signal=KILL:when=3" temp
  kill_at "while layers stream" "madvise:signal=KILL:when=3"
else
  skip "kill -9: strace not installed or no image"
fi

# ---- concurrent scans on one cache --------------------------------------------------------------
if [[ -n "$REF" ]]; then
  C=$(mktemp -d "$W/cache.XXXXXX")
  "$DRYDOCK" --cache-dir "$C" image "$REF" "${FLAGS[@]}" -f json -o "$W/c1.json" 2>"$W/c1.err" &
  p1=$!
  "$DRYDOCK" --cache-dir "$C" image "$REF" "${FLAGS[@]}" -f json -o "$W/c2.json" 2>"$W/c2.err" &
  p2=$!
  wait "$p1"
  r1=$?
  wait "$p2"
  r2=$?
  check "two concurrent scans on one cache dir both succeed" test "$r1$r2" = 00
  check "and both report what a cold scan does" sh -c "cmp -s '$W/k-ref.json' '$W/c1.json' && cmp -s '$W/k-ref.json' '$W/c2.json'"
  check "then a warm scan reports the same" test "$(scan "$W/c3.json" "$C" "$REF" -f json)" = 0
  check "(warm report identical)" same_file "$W/k-ref.json" "$W/c3.json"
  # Four at once, of different images sharing the base layer, with a bound
  # that makes every one of them evict.
  C=$(mktemp -d "$W/cache.XXXXXX")
  pids=()
  i=0
  for form in "${FORMS[@]}"; do
    [[ "$form" == */classic ]] || continue
    "$DRYDOCK" --cache-dir "$C" --cache-max-size 200K image "${TARGET[$form]}" "${FLAGS[@]}" -f json \
      -o "$W/m$i.json" 2>"$W/m$i.err" &
    pids+=($!)
    i=$((i + 1))
  done
  bad=0
  for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
  check "${#pids[@]} concurrent scans of images sharing layers, evicting, all succeed" test "$bad" = 0
  i=0
  for form in "${FORMS[@]}"; do
    [[ "$form" == */classic ]] || continue
    cmp -s "$W/out/$form/cold.json" "$W/m$i.json" || notok "$form: concurrent report differs from the cold one"
    i=$((i + 1))
  done
  check "no temp file left by the concurrent scans" test "$(T temps "$C")" = 0
fi

# ---- damaged entries ----------------------------------------------------------------------------
if [[ -n "$REF" ]]; then
  C=$(mktemp -d "$W/cache.XXXXXX")
  scan "$W/e0.json" "$C" "$REF" -f json >/dev/null
  entry=$(T largest "$C")
  cp "$entry" "$W/entry.orig"
  size=$(stat -c %s "$entry")
  "$PY" -c 'import sys; p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[len(d)//2]^=1; open(p,"wb").write(d)' "$entry"
  check "a flipped byte in an entry: the scan succeeds" test "$(scan "$W/e1.json" "$C" "$REF" -f json)" = 0
  check "a flipped byte in an entry: same report" same_file "$W/k-ref.json" "$W/e1.json"
  check "a flipped byte in an entry: detected, dropped and rewritten to its former bytes" cmp "$entry" "$W/entry.orig"
  truncate -s $((size - 7)) "$entry"
  check "a truncated entry: same report" test "$(scan "$W/e2.json" "$C" "$REF" -f json)" = 0
  same_file "$W/k-ref.json" "$W/e2.json" >/dev/null || notok "a truncated entry: the report differs"
  check "a truncated entry: detected and rewritten" cmp "$entry" "$W/entry.orig"
  printf 'DDLAYER\nnot really an entry' >"$entry"
  check "a foreign file in an entry's place: same report" test "$(scan "$W/e3.json" "$C" "$REF" -f json)" = 0
  check "a foreign file in an entry's place: replaced by the real entry" cmp "$entry" "$W/entry.orig"
fi

# ---- bound, --no-cache, info, clean ------------------------------------------------------------
if [[ -n "$REF" ]]; then
  C=$(mktemp -d "$W/cache.XXXXXX")
  scan "$W/b0.json" "$C" "$REF" -f json >/dev/null
  total=$(T bytes "$C")
  largest=$(stat -c %s "$(T largest "$C")")
  C2=$(mktemp -d "$W/cache.XXXXXX")
  bound=$((largest + 16))
  rc=$(scan "$W/b1.json" "$C2" "$REF" -f json --cache-max-size "$bound")
  check "--cache-max-size $bound: the scan succeeds" test "$rc" = 0
  check "--cache-max-size $bound: the cache holds at most that ($(T bytes "$C2") of $total bytes)" \
    test "$(T bytes "$C2")" -le "$bound" -a "$(T count "$C2")" -ge 1
  check "--cache-max-size: same report" same_file "$W/k-ref.json" "$W/b1.json"
  out=$("$DRYDOCK" --cache-dir "$C2" --cache-max-size 12x image "$REF" -q -o /dev/null 2>&1)
  rc=$?
  check "--cache-max-size 12x: exit 2 with one line" test "$rc" = 2 -a "$(wc -l <<<"$out")" = 1
  detail "$out"

  C3=$(mktemp -d "$W/cache.XXXXXX")
  rc=$(scan "$W/n1.json" "$C3" "$REF" -f json --no-cache)
  check "--no-cache: no layer entry written" test "$rc" = 0 -a "$(T count "$C3")" = 0 -a ! -e "$C3/layers"
  DRYDOCK_NO_CACHE=1 "$DRYDOCK" --cache-dir "$C3" image "$REF" "${FLAGS[@]}" -o /dev/null
  check "DRYDOCK_NO_CACHE=1: no layer entry written" test ! -e "$C3/layers"
  printf 'no-cache: true\n' >"$W/nocache.yaml"
  "$DRYDOCK" --config "$W/nocache.yaml" --cache-dir "$C3" image "$REF" "${FLAGS[@]}" -o /dev/null
  check "drydock.yaml no-cache: true: no layer entry written" test ! -e "$C3/layers"

  info=$("$DRYDOCK" --cache-dir "$C" cache info)
  check "cache info names the dir and counts the entries" \
    grep -qE "layers: *$(T count "$C") entr(y|ies)," <<<"$info"
  detail "$info"
  mkdir -p "$C/db"
  printf 'not a real database' >"$C/db/drydock.db"
  out=$("$DRYDOCK" --cache-dir "$C" cache clean)
  check "cache clean says what it removed" grep -qE "removed $(grep -o 'layers: *[0-9]*' <<<"$info" | grep -o '[0-9]*$') layer entr(y|ies) " <<<"$out"
  detail "$out"
  check "cache clean: no layer entry left" test "$(T count "$C")" = 0
  check "cache clean: the compiled secret rules are gone" test -z "$(find "$C/secret" -name '*.hsdb' 2>/dev/null)"
  check "cache clean: the vulnerability database is kept" test -s "$C/db/drydock.db"
  check "cache info after clean: 0 entries" grep -q "layers: *0 entries" <<<"$("$DRYDOCK" --cache-dir "$C" cache info)"
  "$DRYDOCK" --cache-dir "$C" cache clean --all >/dev/null
  check "cache clean --all: the database is removed too" test ! -e "$C/db/drydock.db"
  rc=$(scan "$W/after-clean.json" "$C" "$REF" -f json)
  check "a scan after clean fills the cache again, same report" same_file "$W/k-ref.json" "$W/after-clean.json"
fi

finish
