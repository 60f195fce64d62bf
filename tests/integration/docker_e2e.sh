#!/usr/bin/env bash
# End-to-end test against a real, private Docker daemon.
#
#   tests/integration/docker_e2e.sh [DRYDOCK_BINARY]     (default: build/drydock)
#
# Builds three small images FROM scratch with the legacy builder (busybox, an
# os-release, a passwd), exports each in every form drydock reads (classic
# `docker save`, Docker >= 25 OCI-in-tar plain and gzip, skopeo OCI layout dirs,
# the engine socket, a bare name, an unpacked rootfs) and checks that drydock
# reports the same findings from all of them, plus the exit-code gate, a
# corrupted layer and atomic --output. Prints "ok - ..." / "not ok - ..." per
# check and ends with "docker_e2e: N passed, N failed".
#
# When no daemon can start it prints "skipped: ..." and exits 0, except under
# CI=true, where that is a failure. DRYDOCK_E2E_KEEP=1 keeps the work dir.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
TOOLS=("$PY" "$ROOT/tests/integration/image_tools.py")
T_NAME=docker_e2e
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-${DRYDOCK:-$ROOT/build/drydock}}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"

workdir /tmp/drydock-e2e.XXXXXX DRYDOCK_E2E_KEEP

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
D() { "$DOCKER_CLI" "$@"; }

# ---- build contexts -------------------------------------------------------
need_static_busybox

ctx=$W/ctx
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/home/app" "$ctx/rootfs/tmp" "$ctx/extra/opt/data" \
  "$ctx/extra/opt/cfg" "$ctx/extra/etc"
cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
for a in sh ls cat echo rm mkdir true id env printf sed; do ln -s busybox "$ctx/rootfs/bin/$a"; done
chmod 1777 "$ctx/rootfs/tmp"
cat >"$ctx/rootfs/etc/os-release" <<'EOF'
NAME="Drydock E2E Linux"
ID=ddlinux
VERSION_ID="1.0"
PRETTY_NAME="Drydock E2E Linux 1.0"
EOF
cat >"$ctx/rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
EOF
printf 'root:x:0:\napp:x:1000:\n' >"$ctx/rootfs/etc/group"
printf 'welcome\n%.0s' {1..20} >"$ctx/extra/etc/motd"
printf 'alpha\n%.0s' {1..40} >"$ctx/extra/opt/data/a.txt"
printf 'beta\n%.0s' {1..40} >"$ctx/extra/opt/data/b.txt"
printf 'key=value\n' >"$ctx/extra/opt/cfg/app.conf"

cat >"$ctx/root.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
CMD ["/bin/sh"]
EOF
cat >"$ctx/hardened.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
USER app
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/true"]
CMD ["/bin/sh"]
EOF
cat >"$ctx/multi.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
COPY extra/ /
ENV APP_MODE=prod
RUN rm /etc/motd && rm -rf /opt/data && mkdir /opt/data && echo new > /opt/data/new.txt
RUN rm -rf /opt/cfg && echo replaced > /opt/cfg && sed -i 's/^VERSION_ID=.*/VERSION_ID="2.0"/' /etc/os-release
CMD ["/bin/sh"]
EOF

IMAGES=(root hardened multi)
declare -A WANT_VERSION=([root]=1.0 [hardened]=1.0 [multi]=2.0)
for n in "${IMAGES[@]}"; do
  check "$n: docker build (legacy builder, FROM scratch)" \
    env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t "dd-e2e-$n:1" -f "$ctx/$n.Dockerfile" "$ctx"
done

SKOPEO_ZSTD=""
if command -v skopeo >/dev/null 2>&1; then
  D save dd-e2e-root:1 -o "$W/probe.tar" &&
    skopeo copy -q --dest-compress-format zstd "docker-archive:$W/probe.tar" "oci:$W/probe-oci:t" >/dev/null 2>&1 &&
    grep -rq 'tar+zstd' "$W/probe-oci/blobs" 2>/dev/null && SKOPEO_ZSTD=1
  rm -rf "$W/probe.tar" "$W/probe-oci"
fi

# scan NAME FORM TARGET [extra flags...]: JSON report to $W/NAME/FORM.json; prints exit code.
scan() {
  local n=$1 form=$2 target=$3
  shift 3
  "$DRYDOCK" image "$target" --format json --output "$W/$n/$form.json" --no-progress "$@" \
    >"$W/$n/$form.out" 2>"$W/$n/$form.err"
  echo $?
}
has_rule() { "${TOOLS[@]}" findings "$1" | cut -f1 | grep -qx "$2"; }
lacks_rule() { ! has_rule "$@"; }
equals() { [[ "$1" == "$2" ]] || { echo "got '$1', want '$2'"; return 1; }; }

for n in "${IMAGES[@]}"; do
  mkdir -p "$W/$n"
  tag="dd-e2e-$n:1"
  if ! D image inspect "$tag" >/dev/null 2>&1; then notok "$n: image missing, its checks skipped"; continue; fi
  check "$n: docker save" D save "$tag" -o "$W/$n/classic.tar"
  check "$n: Docker 25 OCI-in-tar layout" "${TOOLS[@]}" oci-in-tar "$W/$n/classic.tar" "$W/$n/oci25.tar"
  check "$n: Docker 25 OCI-in-tar layout, gzip layers" "${TOOLS[@]}" oci-in-tar "$W/$n/classic.tar" "$W/$n/oci25-gz.tar" --gzip

  forms=(classic docker-archive oci25 oci25-gz docker)
  declare -A TARGET=(
    [classic]="$W/$n/classic.tar"
    [docker-archive]="docker-archive:$W/$n/classic.tar"
    [oci25]="$W/$n/oci25.tar"
    [oci25-gz]="$W/$n/oci25-gz.tar"
    [docker]="docker:$tag"
  )
  if command -v skopeo >/dev/null 2>&1; then
    if skopeo copy -q "docker-archive:$W/$n/classic.tar" "oci:$W/$n/oci-gz:v1" >/dev/null 2>"$W/$n/skopeo.err"; then
      forms+=(skopeo-oci)
      TARGET[skopeo-oci]="oci:$W/$n/oci-gz:v1"
    else
      notok "$n: skopeo copy to an OCI layout: $(head -1 "$W/$n/skopeo.err")"
    fi
    if [[ -n "$SKOPEO_ZSTD" ]] &&
      skopeo copy -q --dest-compress-format zstd "docker-archive:$W/$n/classic.tar" "oci:$W/$n/oci-zstd:v1" >/dev/null 2>&1; then
      forms+=(skopeo-oci-zstd)
      TARGET[skopeo-oci-zstd]="oci:$W/$n/oci-zstd:v1"
    fi
  fi
  [[ "$n" == root ]] && forms+=(bare-name) && TARGET[bare-name]="$tag"

  for form in "${forms[@]}"; do
    rc=$(scan "$n" "$form" "${TARGET[$form]}")
    if [[ "$rc" == 0 && -s "$W/$n/$form.json" ]]; then
      ok "$n: scan $form (exit 0)"
    else
      notok "$n: scan $form exited $rc: $(head -1 "$W/$n/$form.err")"
      continue
    fi
    [[ "$form" == classic ]] && continue
    # skopeo's conversion to an OCI config keeps only the OCI spec's fields, so
    # a HEALTHCHECK is really gone in that form: expect DD-CIS-4.6 there and
    # compare the rest.
    local_dir=${TARGET[$form]#oci:}
    local_dir=${local_dir%:*}
    if [[ "$form" == skopeo-oci* ]] && "${TOOLS[@]}" healthcheck-dropped "$W/$n/classic.tar" "$local_dir"; then
      check "$n: $form (skopeo dropped HEALTHCHECK) yields DD-CIS-4.6" has_rule "$W/$n/$form.json" DD-CIS-4.6
      check "$n: $form other findings, OS and layers identical to the classic archive's" \
        "${TOOLS[@]}" compare "$W/$n/classic.json" "$W/$n/$form.json" --ignore-rule DD-CIS-4.6
      continue
    fi
    check "$n: $form findings, OS and layers identical to the classic archive's" \
      "${TOOLS[@]}" compare "$W/$n/classic.json" "$W/$n/$form.json"
  done

  base=$W/$n/classic.json
  [[ -s "$base" ]] || continue
  check "$n: OS detected as ddlinux ${WANT_VERSION[$n]}" \
    equals "$("${TOOLS[@]}" get "$base" artifact.os.id) $("${TOOLS[@]}" get "$base" artifact.os.version_id)" \
    "ddlinux ${WANT_VERSION[$n]}"
  check "$n: layers carry diff_id and created_by in order" "${TOOLS[@]}" check-layers "$base" "$W/$n/classic.tar"
  check "$n: every finding has a stable id" \
    bash -c '! "$@" | cut -f4 | grep -qx ""' _ "${TOOLS[@]}" findings "$base"
done

# ---- what the checks must find ---------------------------------------------
r=$W/root/classic.json
h=$W/hardened/classic.json
if [[ -s "$r" ]]; then
  check "root image yields DD-CIS-4.1 (runs as root)" has_rule "$r" DD-CIS-4.1
  check "root image yields DD-CIS-4.6 (no HEALTHCHECK)" has_rule "$r" DD-CIS-4.6
fi
if [[ -s "$h" ]]; then
  check "hardened image (USER app, HEALTHCHECK) has no DD-CIS-4.1" lacks_rule "$h" DD-CIS-4.1
  check "hardened image has no DD-CIS-4.6" lacks_rule "$h" DD-CIS-4.6
fi

# ---- multi-platform index ------------------------------------------------------
# linux/arm64 -> the hardened image (listed first), linux/amd64 -> the root one.
if [[ -s "$r" && -s "$h" ]]; then
  mp=$W/multiplatform
  if "${TOOLS[@]}" multi-platform "$W/root/classic.tar" "$W/hardened/classic.tar" "$mp" multi; then
    mkdir -p "$W/mp"
    platform_case() { # platform_case FORM PLATFORM|""
      local rc
      rc=$(scan mp "$1" "oci:$mp:multi" ${2:+--platform "$2"})
      [[ "$rc" == 0 ]] || { echo "exit $rc: $(head -1 "$W/mp/$1.err")"; return 1; }
    }
    for pc in "amd64 linux/amd64 $r root" "arm64 linux/arm64 $h hardened" "default - $r root"; do
      read -r form plat want wname <<<"$pc"
      [[ "$plat" == - ]] && plat=""
      what="--platform $plat"
      [[ -n "$plat" ]] || what="no --platform (host: linux/amd64)"
      check "platform: $what scans (exit 0)" \
        platform_case "$form" "$plat"
      [[ -s "$W/mp/$form.json" ]] &&
        check "platform: ${plat:-default} manifest gives the $wname image's findings" "${TOOLS[@]}" compare "$want" "$W/mp/$form.json"
    done
    rc=$(scan mp s390x "oci:$mp:multi" --platform linux/s390x)
    check "platform: a platform the index lacks exits 2 with one line" \
      bash -c '[[ "$1" == 2 && "$(wc -l <"$2")" == 1 ]] || { echo "exit $1: $(cat "$2")"; exit 1; }' _ "$rc" "$W/mp/s390x.err"
  else
    notok "platform: could not make the multi-platform OCI layout"
  fi
fi

# ---- severity gate ----------------------------------------------------------
gate() { # gate WANT_RC TARGET FLAGS...
  local want=$1 target=$2 rc
  shift 2
  "$DRYDOCK" image "$target" --quiet --no-progress --output "$W/gate.json" "$@" >/dev/null 2>"$W/gate.err"
  rc=$?
  [[ "$rc" == "$want" ]] || { echo "exit $rc, want $want: $(head -1 "$W/gate.err")"; return 1; }
}
if [[ -s "$r" ]]; then
  maxsev=$("${TOOLS[@]}" max-severity "$r")
  rt=$W/root/classic.tar
  check "gate: --severity $maxsev --exit-code 7 on the root image exits 7" gate 7 "$rt" --severity "$maxsev" --exit-code 7
  check "gate: --exit-code 7 with all severities exits 7" gate 7 "$rt" --severity LOW,MEDIUM,HIGH,CRITICAL --exit-code 7
  above=$(awk -v s="$maxsev" 'BEGIN{n=split("LOW MEDIUM HIGH CRITICAL",a," ");for(i=1;i<=n;i++)if(a[i]==s)break;for(j=i+1;j<=n;j++)printf "%s%s",(j>i+1?",":""),a[j]}')
  if [[ -n "$above" ]]; then
    check "gate: --severity $above (above every finding) exits 0" gate 0 "$rt" --severity "$above" --exit-code 7
  fi
  check "gate: without --exit-code findings do not fail the run" gate 0 "$rt"
fi
# The hardened image still has informational LOW findings (a shell, no OCI
# labels: tests/integration/harden.sh covers those); nothing at MEDIUM or above.
[[ -s "$h" ]] && check "gate: hardened image with --severity MEDIUM,HIGH,CRITICAL --exit-code 7 exits 0" \
  gate 0 "$W/hardened/classic.tar" --severity MEDIUM,HIGH,CRITICAL --exit-code 7

# ---- other formats ------------------------------------------------------------
if [[ -s "$r" ]]; then
  check "sarif: --format sarif writes a SARIF 2.1.0 log" \
    bash -c '"$1" image "$2" --format sarif --output "$3" --no-progress && "${@:4}" sarif-ok "$3"' _ \
    "$DRYDOCK" "$W/root/classic.tar" "$W/root/report.sarif" "${TOOLS[@]}"
  check "table: default format names DD-CIS-4.1" \
    bash -c '"$1" image "$2" --no-progress | grep -q DD-CIS-4.1' _ "$DRYDOCK" "$W/root/classic.tar"
fi

# ---- dir: rootfs ----------------------------------------------------------------
if D image inspect dd-e2e-multi:1 >/dev/null 2>&1; then
  mkdir -p "$W/rootfs"
  if cid=$(D create dd-e2e-multi:1 2>/dev/null) && D export "$cid" | tar -C "$W/rootfs" -xf - 2>/dev/null; then
    D rm "$cid" >/dev/null 2>&1
    mkdir -p "$W/dir"
    rc=$(scan dir rootfs "dir:$W/rootfs")
    if [[ "$rc" == 0 ]]; then
      ok "dir: scan of the exported rootfs (exit 0)"
      check "dir: OS detected as ddlinux 2.0 from the merged rootfs" \
        equals "$("${TOOLS[@]}" get "$W/dir/rootfs.json" artifact.os.id) $("${TOOLS[@]}" get "$W/dir/rootfs.json" artifact.os.version_id)" "ddlinux 2.0"
    else
      notok "dir: scan of the exported rootfs exited $rc: $(head -1 "$W/dir/rootfs.err")"
    fi
  else
    notok "dir: docker create/export of dd-e2e-multi:1"
  fi
fi

# ---- corrupted layer --------------------------------------------------------------
if [[ -s "$W/multi/classic.tar" ]]; then
  if info=$("${TOOLS[@]}" corrupt "$W/multi/classic.tar" "$W/multi/bad.tar"); then
    read -r bad_index bad_diff bad_path <<<"$info"
    hex=${bad_diff#sha256:}
    legacy=${bad_path%%/*}
    printf 'SENTINEL\n' >"$W/multi/out.json"
    # --no-cache: the layer cache holds this image's layers from the scans
    # above, and a warm scan trusts the diff_ids the config declares (it
    # reads no layer); the corruption is found by reading them.
    "$DRYDOCK" --no-cache image "$W/multi/bad.tar" --format json --output "$W/multi/out.json" --no-progress >/dev/null 2>"$W/multi/bad.err"
    rc=$?
    check "corrupt layer: exit 2" equals "$rc" 2
    check "corrupt layer: exactly one line on stderr" equals "$(wc -l <"$W/multi/bad.err" | tr -d ' ')" 1
    check "corrupt layer: stderr names the layer ($bad_index, ${hex:0:12})" \
      grep -qiE "layer.*(${hex:0:12}|${legacy:0:12}|[^0-9]${bad_index}[^0-9]|[^0-9]$((bad_index + 1))[^0-9])|${hex:0:12}" "$W/multi/bad.err"
    sed 's/^/#   stderr: /' "$W/multi/bad.err"
    check "corrupt layer: failed run leaves the existing --output file untouched" equals "$(cat "$W/multi/out.json")" SENTINEL
  else
    notok "corrupt layer: could not make the corrupted archive"
  fi
fi

# ---- atomic --output -------------------------------------------------------------
if [[ -s "$W/root/classic.tar" ]]; then
  out=$W/atomic
  mkdir -p "$out"
  printf 'old\n' >"$out/report.json"
  ino_before=$(stat -c %i "$out/report.json")
  "$DRYDOCK" image "$W/root/classic.tar" --format json --output "$out/report.json" --no-progress >/dev/null 2>&1
  rc=$?
  check "--output: run exits 0" equals "$rc" 0
  check "--output: file is complete JSON" "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/report.json"
  check "--output: file replaced by rename (new inode), not rewritten in place" \
    bash -c '[[ "$(stat -c %i "$1")" != "$2" ]]' _ "$out/report.json" "$ino_before"
  check "--output: no temp files left beside it" equals "$(ls -A "$out")" report.json
  check "--output: nothing on stdout when writing to a file" \
    bash -c '[[ -z "$("$1" image "$2" --format json --output "$3" --no-progress 2>/dev/null)" ]]' _ \
    "$DRYDOCK" "$W/root/classic.tar" "$out/report.json"
  # `--output /dev/null` must write through a device, not rename a file over
  # it; tried on a private node with /dev/null's numbers, never on /dev/null.
  if mknod -m 666 "$out/null" c 1 3 2>/dev/null && echo probe >"$out/null" 2>/dev/null; then
    "$DRYDOCK" image "$W/root/classic.tar" --format json --output "$out/null" --no-progress >/dev/null 2>"$out/null.err"
    rc=$?
    check "--output to a character device (like /dev/null): exit 0 and the device is still a device" \
      bash -c '[[ "$1" == 0 && -c "$2" ]] || { echo "exit $1, $(stat -c %F "$2"): $(head -1 "$3")"; exit 1; }' _ "$rc" "$out/null" "$out/null.err"
  fi
fi

# ---- usage and input errors --------------------------------------------------------
nosuch() {
  local rc
  "$DRYDOCK" image "$W/no-such-image.tar" --no-progress >/dev/null 2>"$W/nosuch.err"
  rc=$?
  [[ "$rc" == 2 && "$(wc -l <"$W/nosuch.err")" == 1 ]] || { echo "exit $rc, stderr: $(cat "$W/nosuch.err")"; return 1; }
}
check "missing target file: exit 2 with one line on stderr" nosuch

finish
