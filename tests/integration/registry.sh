#!/usr/bin/env bash
# Registries end to end: small images built FROM scratch on a private dockerd
# (busybox-static; one with Debian packages, one with a planted AWS key pair,
# one with six layers), `docker save`d and pushed with skopeo to Debian's
# docker-registry on loopback, then scanned where they live:
#   - identity: `drydock image registry:…` (by tag, digest, tag+digest) and
#     `drydock sbom registry:…` report exactly what the saved archive gives,
#     but for the fields that say where the image came from (listed, with
#     why, in registry_tools.py);
#   - a multi-platform index (linux/amd64 + linux/arm64): --platform, the
#     default, a platform the index lacks;
#   - a TLS registry (a CA made here) with htpasswd auth: --registry-ca,
#     --insecure-registry, --username/--password-stdin, $DOCKER_CONFIG auths,
#     credsStore and credHelpers (a fake docker-credential-fake), wrong and
#     missing credentials; the password is never in any output or cache file;
#   - the token flow through registry_servers.py's token proxy: one token per
#     scan, access_token, anonymous tokens, a token refused after N uses and
#     renewed, a scope the user may not pull, an identitytoken (OAuth2
#     refresh_token grant);
#   - the layer cache (when the binary has one): a warm scan fetches only the
#     config blob and writes the same bytes; --no-cache fetches everything;
#   - the hostile registry (registry_hostile.py): one server per case, each
#     case a line here; again with an ASan binary when REGISTRY_ASAN_DRYDOCK
#     names one.
#
#   tests/integration/registry.sh DRYDOCK_BINARY
#
# Every port is ephemeral, every server is stopped by its pid on exit, every
# file is in a mktemp dir (REGISTRY_KEEP=1 keeps it). Random data comes from
# REGISTRY_SEED (printed). Without docker-registry, skopeo, htpasswd, openssl
# or a dockerd it prints "skipped: …" (a failure under CI=true).
# Last line: "registry: N passed, N failed[, N skipped]".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
HERE=$ROOT/tests/integration
SERVERS=("$PY" "$HERE/registry_servers.py")
TOOLS=("$PY" "$HERE/registry_tools.py")
HOSTILE=("$PY" "$HERE/registry_hostile.py")
T_NAME=registry
T_CHECK_LINES=40
# shellcheck source=lib.sh
source "$HERE/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
for tool in docker-registry skopeo htpasswd openssl curl; do
  command -v "$tool" >/dev/null 2>&1 ||
    skip_or_fail "$tool not found (scripts/deps --test installs docker-registry, skopeo, apache2-utils)"
done
need_static_busybox
workdir /tmp/dd-reg.XXXXXX REGISTRY_KEEP
export REGISTRY_SEED=${REGISTRY_SEED:-${DRYDOCK_TEST_SEED:-20261207}}
echo "# seed $REGISTRY_SEED (REGISTRY_SEED)"

OUT=$W/out
mkdir -p "$OUT" "$W/home" "$W/xdg" "$W/nodocker" "$W/bin"
# drydock never sees this machine's docker config, cache or credential helpers.
export HOME=$W/home XDG_CACHE_HOME=$W/xdg XDG_CONFIG_HOME=$W/home/.config DOCKER_CONFIG=$W/nodocker

# ---- helpers -------------------------------------------------------------------
# stop_pid PID: TERM, up to 5 s, then KILL; reaps it.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# start_registry NAME [tls]: docker-registry serving $W/reg-NAME on a free
# loopback port (TLS with $W/tls and htpasswd auth when asked); sets REG_PORT.
# Retries with another port when the one picked was taken meanwhile.
start_registry() {
  local name=$1 tls=${2:-} try pid code scheme=http curl_ca=()
  local dir=$W/reg-$name
  mkdir -p "$dir/store"
  [[ -n "$tls" ]] && scheme=https curl_ca=(--cacert "$W/tls/ca.pem")
  for ((try = 0; try < 5; try++)); do
    REG_PORT=$("${SERVERS[@]}" free-port) || return 1
    {
      echo "version: 0.1"
      echo "log: {level: info, formatter: text, accesslog: {disabled: false}}"
      echo "storage: {filesystem: {rootdirectory: $dir/store}, delete: {enabled: true}}"
      echo "http:"
      echo "  addr: 127.0.0.1:$REG_PORT"
      echo "  secret: drydock-test-$name"
      if [[ -n "$tls" ]]; then
        echo "  tls: {certificate: $W/tls/srv.pem, key: $W/tls/srv.key}"
        echo "auth: {htpasswd: {realm: drydock-test, path: $W/tls/htpasswd}}"
      fi
    } >"$dir/config.yml"
    docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 </dev/null &
    pid=$!
    at_exit "stop_pid $pid"
    for ((i = 0; i < 100; i++)); do
      code=$(curl -s -o /dev/null -w '%{http_code}' "${curl_ca[@]}" "$scheme://127.0.0.1:$REG_PORT/v2/" 2>/dev/null)
      [[ "$code" == 200 || "$code" == 401 ]] && return 0
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    stop_pid "$pid"
    grep -q 'address already in use' "$dir/log" || { tail -3 "$dir/log"; return 1; }
  done
  return 1
}

# start_proxy NAME ARGS...: a token proxy in front of the plain registry,
# logging to $W/proxy-NAME.log; sets PROXY_PORT and PROXY_LOG.
start_proxy() {
  local name=$1 pid i
  shift
  PROXY_LOG=$W/proxy-$name.log
  : >"$PROXY_LOG"
  rm -f "$W/proxy-$name.port"
  "${SERVERS[@]}" token-proxy --upstream "http://127.0.0.1:$PLAIN" --port-file "$W/proxy-$name.port" \
    --log "$PROXY_LOG" "$@" >"$W/proxy-$name.out" 2>&1 </dev/null &
  pid=$!
  at_exit "stop_pid $pid"
  for ((i = 0; i < 100; i++)); do
    [[ -s "$W/proxy-$name.port" ]] && { PROXY_PORT=$(<"$W/proxy-$name.port"); return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$W/proxy-$name.out"
  return 1
}

# dd NAME [--stdin FILE] ARGS...: drydock ARGS, stdout and stderr to
# $OUT/NAME.out and .err; sets RC.
dd() {
  local n=$1 in=/dev/null
  shift
  if [[ "$1" == --stdin ]]; then in=$2; shift 2; fi
  "$DRYDOCK" "$@" <"$in" >"$OUT/$n.out" 2>"$OUT/$n.err"
  RC=$?
}
# scan NAME [--stdin FILE] TARGET FLAGS...: a JSON image report to $OUT/NAME.json,
# with --no-cache: a registry scan must read the registry's blobs, not reuse
# what the archive scan of the same layers (same diff_ids) left in the cache.
SCAN_FLAGS=(--format json --no-progress -q --scanners vuln,secret,misconfig --list-all-pkgs)
scan() {
  local n=$1 st=()
  shift
  if [[ "$1" == --stdin ]]; then st=(--stdin "$2"); shift 2; fi
  local target=$1
  shift
  dd "$n" "${st[@]}" --no-cache image "$target" "${SCAN_FLAGS[@]}" -o "$OUT/$n.json" "$@"
}
first_err() { head -c 400 "$OUT/$1.err" | head -1; }
# expect_ok NAME DESC: the last dd/scan exited 0.
expect_ok() {
  if [[ "$RC" == 0 ]]; then ok "$2"; return 0; fi
  notok "$2 (exit $RC)"
  detail "$(head -5 "$OUT/$1.err")"
  return 1
}
# expect_fail NAME DESC REGEX: exit 2 and exactly one stderr line, "drydock: …",
# matching REGEX (grep -E, case-insensitive); the line is shown either way.
expect_fail() {
  local n=$1 desc=$2 rx=$3 lines why=""
  lines=$(wc -l <"$OUT/$n.err")
  [[ "$RC" == 2 ]] || why+="exit $RC, want 2; "
  [[ "$lines" == 1 && $(wc -c <"$OUT/$n.err") -gt 0 ]] || why+="$lines stderr lines, want 1; "
  head -1 "$OUT/$n.err" | grep -q '^drydock: ' || why+="no 'drydock: ' prefix; "
  head -1 "$OUT/$n.err" | grep -Eiq -- "$rx" || why+="does not match /$rx/; "
  if [[ -z "$why" ]]; then ok "$desc"; else notok "$desc: ${why%; }"; fi
  detail "$(head -3 "$OUT/$n.err" | cut -c1-400)"
  [[ -z "$why" ]]
}
json_get() { "${TOOLS[@]}" get "$@"; }
logq() { "${TOOLS[@]}" log "$PROXY_LOG" "$1"; }

# ---- images --------------------------------------------------------------------
start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
ctx=$W/ctx
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp"
cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
for a in sh ls cat echo rm mkdir sed; do ln -s busybox "$ctx/rootfs/bin/$a"; done
chmod 1777 "$ctx/rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$ctx/rootfs/etc/passwd"
"$PY" - "$ctx" "$W" <<'PYEOF'
import os, random, sys
ctx, w = sys.argv[1], sys.argv[2]
def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
write(ctx + "/pkgs/etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\n'
      'VERSION_ID="11"\nVERSION_CODENAME=bullseye\nID=debian\n')
# openssl/libssl1.1 at a version tests/testdata/vuln's DSA-5343-1 fixes.
pk = [("openssl", "openssl", "1.1.1n-0+deb11u3"), ("libssl1.1", "openssl", "1.1.1n-0+deb11u3"),
      ("zlib1g", "zlib", "1:1.2.11.dfsg-2+deb11u1"), ("base-files", "base-files", "11.1+deb11u5")]
write(ctx + "/pkgs/var/lib/dpkg/status", "\n".join(
    "Package: %s\nStatus: install ok installed\nArchitecture: amd64\nSource: %s\nVersion: %s\nDescription: test\n"
    % p for p in pk))
write(ctx + "/pkgs/usr/lib/python3/dist-packages/PyYAML-5.3.1.dist-info/METADATA",
      "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3.1\n")
rnd = random.Random(int(os.environ["REGISTRY_SEED"]))
up, alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
key_id = "AKIA" + "".join(rnd.choice(up) for _ in range(16))
secret = "".join(rnd.choice(alnum + "/+") for _ in range(40))
write(ctx + "/secret/app/.aws/credentials",
      "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (key_id, secret))
for i in range(3):
    write(ctx + "/layers/opt/l%d/data.txt" % i, "".join(rnd.choice(alnum) for _ in range(4096)) + "\n")
# The registry password, a refresh token (identitytoken) and a wrong password.
for name in ("pw", "refresh", "wrongpw"):
    write(w + "/secrets/" + name, "dd-" + name + "-" + "".join(rnd.choice(alnum) for _ in range(24)) + "\n", 0o600)
PYEOF
PW=$(<"$W/secrets/pw")
REFRESH=$(<"$W/secrets/refresh")
PW_B64=$(printf 'alice:%s' "$PW" | base64 -w0)

cat >"$ctx/pkgs.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
COPY pkgs/ /
CMD ["/bin/sh"]
EOF
cat >"$ctx/secret.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
COPY secret/ /
USER 1000
CMD ["/bin/sh"]
EOF
cat >"$ctx/layers.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
COPY layers/opt/l0/ /opt/l0/
COPY layers/opt/l1/ /opt/l1/
RUN rm -rf /opt/l0 && echo replaced > /opt/l1/data.txt
COPY layers/opt/l2/ /opt/l2/
CMD ["/bin/sh"]
EOF
IMAGES=()
for n in pkgs secret layers; do
  check "$n: docker build (legacy builder, FROM scratch)" \
    env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t "dd-reg-$n:1" -f "$ctx/$n.Dockerfile" "$ctx" &&
    check "$n: docker save" "$DOCKER_CLI" save "dd-reg-$n:1" -o "$W/$n.tar" &&
    IMAGES+=("$n")
done
# The archives are all we need from the daemon.
dd_stop
((${#IMAGES[@]} == 3)) || finish

# ---- registries ------------------------------------------------------------------
mkdir -p "$W/tls"
(
  cd "$W/tls" || exit 1
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=drydock registry test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
    openssl req "${ec[@]}" -keyout srv.key -out srv.csr -subj "/CN=127.0.0.1" &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext &&
    openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext &&
    htpasswd -iBc htpasswd alice <"$W/secrets/pw"
) >"$W/tls/log" 2>&1
check "test CA, server certificate (SAN IP:127.0.0.1) and htpasswd made" openssl verify -CAfile "$W/tls/ca.pem" "$W/tls/srv.pem" ||
  detail "$(tail -5 "$W/tls/log")"

start_registry plain || { notok "plain registry did not start"; finish; }
PLAIN=$REG_PORT
ok "plain registry on 127.0.0.1:$PLAIN"
start_registry tls tls || { notok "TLS+htpasswd registry did not start"; finish; }
SECURE=$REG_PORT
ok "TLS+htpasswd registry on 127.0.0.1:$SECURE"

push() { # push ARCHIVE DEST [skopeo flags]
  local src=$1 dst=$2
  shift 2
  skopeo copy -q --dest-tls-verify=false "$@" "$src" "docker://$dst" >/dev/null
}
declare -A DIGEST
for n in "${IMAGES[@]}"; do
  check "$n: skopeo copy to the plain registry" push "docker-archive:$W/$n.tar" "127.0.0.1:$PLAIN/$n:1"
  skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PLAIN/$n:1" >"$W/$n.manifest.json"
  DIGEST[$n]=sha256:$(sha256sum <"$W/$n.manifest.json" | cut -d' ' -f1)
done
# Blobs a full scan of layers:1 fetches: its config and every layer.
LAYERS_BLOBS=$(($(grep -o '"digest"' "$W/layers.manifest.json" | wc -l)))
check "skopeo's digest of pkgs:1 is the manifest's sha256" \
  test "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://127.0.0.1:$PLAIN/pkgs:1")" == "${DIGEST[pkgs]}"
for n in pkgs secret; do
  check "$n: skopeo copy to the TLS registry (htpasswd)" \
    push "docker-archive:$W/$n.tar" "127.0.0.1:$SECURE/$n:1" --dest-creds "alice:$PW"
done

# A multi-platform index: linux/arm64 (the six-layer image, listed first) and
# linux/amd64 (the packages image).
"$PY" "$HERE/image_tools.py" multi-platform "$W/pkgs.tar" "$W/layers.tar" "$W/mp-oci" multi &&
  check "multi-platform index: skopeo copy --all to mp/multi:1" \
    skopeo copy -q --all --dest-tls-verify=false "oci:$W/mp-oci:multi" "docker://127.0.0.1:$PLAIN/mp/multi:1"
skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PLAIN/mp/multi:1" >"$W/mp.index.json"
MP_DIGEST=sha256:$(sha256sum <"$W/mp.index.json" | cut -d' ' -f1)
check "the pushed index lists linux/arm64 and linux/amd64" "$PY" - "$W/mp.index.json" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
got = [(d["platform"]["os"], d["platform"]["architecture"]) for d in m["manifests"]]
assert got == [("linux", "arm64"), ("linux", "amd64")], got
PYEOF

# The token proxy, checked with skopeo (which speaks the token flow) first.
start_proxy skopeo --user "alice:$PW" || { notok "token proxy did not start"; finish; }
check "token proxy: skopeo inspect through the bearer token flow" \
  bash -c 'skopeo inspect --tls-verify=false --creds "$1" "$2" >/dev/null' _ "alice:$PW" "docker://127.0.0.1:$PROXY_PORT/pkgs:1"
check "token proxy: skopeo got a token with Basic credentials for repository:pkgs:pull" \
  test "$(logq token_auth) $(logq token_scopes)" == "basic repository:pkgs:pull"
check "token proxy: skopeo without credentials is refused" \
  bash -c '! skopeo inspect --tls-verify=false "$1" >/dev/null 2>&1' _ "docker://127.0.0.1:$PROXY_PORT/pkgs:1"

# ---- does this drydock have a registry client? ------------------------------------
dd probe image "registry:127.0.0.1:$PLAIN/pkgs:1" --format json -o "$OUT/probe.json" -q
if grep -q 'not supported yet' "$OUT/probe.err"; then
  skip_or_fail "drydock has no registry client yet: $(first_err probe)"
fi

# The vulnerability database: the in-repo Debian fixtures (DSA-5343-1).
dd dbimport db import "$ROOT/tests/testdata/vuln/debian" "$ROOT/tests/testdata/vuln/debian-json"
expect_ok dbimport "db import of the in-repo Debian advisories"

# ---- identity: registry vs archive ---------------------------------------------------
R=127.0.0.1:$PLAIN
for n in "${IMAGES[@]}"; do
  scan "$n-tar" "$W/$n.tar"
  expect_ok "$n-tar" "$n: archive scan" || continue
  scan "$n-reg" "registry:$R/$n:1"
  expect_ok "$n-reg" "$n: registry scan by tag (plain HTTP on loopback)" &&
    T_CHECK_SHOW=always check "$n: registry and archive reports agree (packages, findings and their ids)" \
      "${TOOLS[@]}" same-report "$OUT/$n-tar.json" "$OUT/$n-reg.json" "$W/$n.manifest.json"
  scan "$n-dig" "registry:$R/$n@${DIGEST[$n]}"
  expect_ok "$n-dig" "$n: registry scan by digest" &&
    check "$n: by digest agrees with the archive" \
      "${TOOLS[@]}" same-report "$OUT/$n-tar.json" "$OUT/$n-dig.json" "$W/$n.manifest.json"
  scan "$n-tagdig" "registry:$R/$n:1@${DIGEST[$n]}"
  expect_ok "$n-tagdig" "$n: registry scan by tag and digest" &&
    check "$n: by tag+digest agrees with the archive" \
      "${TOOLS[@]}" same-report "$OUT/$n-tar.json" "$OUT/$n-tagdig.json" "$W/$n.manifest.json"
done
check "pkgs: the registry scan finds CVE-2023-0286 on openssl and libssl1.1" "$PY" - "$OUT/pkgs-reg.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
got = sorted(f["vulnerability"]["package"] for f in r["findings"] if f["rule_id"] == "CVE-2023-0286")
assert got == ["libssl1.1", "openssl"], got
PYEOF
check "secret: the registry scan finds the AWS key pair" "$PY" - "$OUT/secret-reg.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
got = sorted(f["rule_id"] for f in r["findings"] if f["kind"] == "secret")
assert got == ["DD-SECRET-aws-access-key-id", "DD-SECRET-aws-secret-access-key"], got
PYEOF
check "layers: $((LAYERS_BLOBS - 1)) layers from the registry" \
  test "$(json_get "$OUT/layers-reg.json" artifact.layers | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')" == $((LAYERS_BLOBS - 1))

dd sbom-tar --no-cache sbom "$W/pkgs.tar" --format cyclonedx -o "$OUT/pkgs-tar.cdx" -q
dd sbom-reg --no-cache sbom "registry:$R/pkgs:1" --format cyclonedx -o "$OUT/pkgs-reg.cdx" -q
expect_ok sbom-reg "sbom registry:… --format cyclonedx" &&
  T_CHECK_SHOW=always check "sbom: registry and archive CycloneDX agree" "${TOOLS[@]}" same-sbom "$OUT/pkgs-tar.cdx" "$OUT/pkgs-reg.cdx"
check "sbom: the registry image's component version is its manifest digest" \
  test "$(json_get "$OUT/pkgs-reg.cdx" metadata.component.version)" == "${DIGEST[pkgs]}"
dd sbom-reg2 --no-cache sbom "registry:$R/pkgs:1" --format cyclonedx -o "$OUT/pkgs-reg2.cdx" -q
check "sbom: a second registry SBOM is byte-identical (serialNumber and bom-refs are stable)" \
  "${TOOLS[@]}" same-bytes "$OUT/pkgs-reg.cdx" "$OUT/pkgs-reg2.cdx"
dd table-reg --no-cache image "registry:$R/pkgs:1" --scanners vuln --no-progress -q
expect_ok table-reg "table report from the registry" && check "table report names CVE-2023-0286" grep -q CVE-2023-0286 "$OUT/table-reg.out"
dd sarif-reg --no-cache image "registry:$R/secret:1" --scanners secret --format sarif -o "$OUT/secret.sarif" -q
expect_ok sarif-reg "sarif report from the registry" &&
  check "sarif report is SARIF 2.1.0 with the AWS key findings" "$PY" - "$OUT/secret.sarif" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
rules = {r["ruleId"] for run in s["runs"] for r in run["results"]}
assert s["version"] == "2.1.0" and "DD-SECRET-aws-access-key-id" in rules, rules
PYEOF

# Plain HTTP on loopback without --insecure-registry: one warning line (none with -q).
dd warn --no-cache image "registry:$R/pkgs:1" --format json -o "$OUT/warn.json" --no-progress
check "plain HTTP to loopback without --insecure-registry: exit 0, exactly one warning line naming $R" \
  bash -c '[[ $1 == 0 && $(wc -l <"$2") == 1 ]] && grep -q "$3" "$2"' _ "$RC" "$OUT/warn.err" "$R"
detail "$(head -3 "$OUT/warn.err")"
dd warn-q --no-cache image "registry:$R/pkgs:1" --format json -o "$OUT/warn-q.json" -q
check "… and nothing on stderr with -q" test "$RC:$(wc -c <"$OUT/warn-q.err")" == 0:0
dd insec --no-cache image "registry:$R/pkgs:1" --insecure-registry "$R" --format json -o "$OUT/insec.json" --no-progress
check "--insecure-registry $R: exit 0, at most a warning line" \
  bash -c '[[ $1 == 0 ]] && (( $(wc -l <"$2") <= 1 )) && ! grep -v "^drydock: warning: " "$2"' _ "$RC" "$OUT/insec.err"
detail "$(head -3 "$OUT/insec.err")"

scan localhost "registry:localhost:$PLAIN/pkgs:1"
expect_ok localhost "registry:localhost:PORT/… (loopback by name)" &&
  check "localhost: agrees with the archive" "${TOOLS[@]}" same-report "$OUT/pkgs-tar.json" "$OUT/localhost.json" "$W/pkgs.manifest.json"
DOCKER_HOST=unix://$W/no-daemon.sock scan bare "$R/pkgs:1"
expect_ok bare "a bare HOST:PORT/REPO:TAG with no daemon to ask falls back to the registry" &&
  check "bare name: read from the registry, agrees with the archive" bash -c \
    '[[ $("${@:3}" get "$1" artifact.source_kind) == registry ]] && "${@:3}" same-report "$2" "$1"' _ \
    "$OUT/bare.json" "$OUT/pkgs-tar.json" "${TOOLS[@]}"
scan single-arm "registry:$R/pkgs:1" --platform linux/arm64
expect_fail single-arm "--platform linux/arm64 for a linux/amd64 image: exit 2 naming both" 'amd64.*arm64|arm64.*amd64'
dd harden --no-cache harden "registry:$R/pkgs:1" -q
check "harden registry:… writes a run profile for the reference" bash -c '[[ $1 == 0 ]] && grep -qF "$2" "$3"' _ "$RC" "$R/pkgs:1" "$OUT/harden.out"

scan notag "registry:$R/pkgs:nope"
expect_fail notag "a tag the repository lacks: exit 2 naming the repository and tag" 'pkgs.*nope|nope.*pkgs'
scan norepo "registry:$R/nosuch/repo:1"
expect_fail norepo "a repository the registry lacks: exit 2 naming it" 'nosuch/repo'
DEAD=$("${SERVERS[@]}" free-port)
scan dead "registry:127.0.0.1:$DEAD/pkgs:1"
expect_fail dead "nothing listening: exit 2 naming 127.0.0.1:$DEAD" "127\.0\.0\.1:$DEAD"
scan badref "registry:$R/Upper/Case:1"
expect_fail badref "an invalid reference: exit 2" 'Upper/Case|reference'

# ---- multi-platform ----------------------------------------------------------------
# want_arch NAME ARCH IMAGE: the report is of the index's ARCH manifest
# (architecture, manifest digest) and has IMAGE's packages and layers.
want_arch() {
  "$PY" - "$OUT/$1.json" "$2" "$OUT/$3-tar.json" "$W/mp.index.json" <<'PYEOF'
import json, sys
a, arch, b, index = json.load(open(sys.argv[1])), sys.argv[2], json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
want = [d["digest"] for d in index["manifests"] if d["platform"]["architecture"] == arch]
got = (a["artifact"].get("architecture"), a["artifact"].get("manifest_digest"))
assert got == (arch, want[0]), "architecture, manifest digest %s, want %s" % (got, (arch, want[0]))
pk = lambda r: sorted((p["name"], p["version"]) for p in r.get("packages") or [])
dl = lambda r: [l["diff_id"] for l in r["artifact"]["layers"]]
assert pk(a) == pk(b) and dl(a) == dl(b), (pk(a), pk(b), dl(a), dl(b))
PYEOF
}
scan mp-default "registry:$R/mp/multi:1"
expect_ok mp-default "index without --platform scans" &&
  check "index without --platform picks linux/amd64 (the host's), listed second" want_arch mp-default amd64 pkgs
scan mp-arm64 "registry:$R/mp/multi:1" --platform linux/arm64
expect_ok mp-arm64 "index --platform linux/arm64 scans" &&
  check "--platform linux/arm64 picks the arm64 image" want_arch mp-arm64 arm64 layers
scan mp-amd64 "registry:$R/mp/multi@$MP_DIGEST" --platform linux/amd64
expect_ok mp-amd64 "index by digest, --platform linux/amd64 scans" &&
  check "by index digest, --platform linux/amd64 picks the amd64 image" want_arch mp-amd64 amd64 pkgs
scan mp-s390x "registry:$R/mp/multi:1" --platform linux/s390x
expect_fail mp-s390x "--platform linux/s390x (not in the index): exit 2 naming the platforms it has" \
  'linux/arm64.*linux/amd64|linux/amd64.*linux/arm64'

# ---- TLS and htpasswd ------------------------------------------------------------
S=127.0.0.1:$SECURE
scan tls-noca --stdin "$W/secrets/pw" "registry:$S/secret:1" --username alice --password-stdin
expect_fail tls-noca "TLS registry without --registry-ca: exit 2, certificate not trusted" \
  'certificate|verif|trust|TLS|SSL'
scan tls-ca --stdin "$W/secrets/pw" "registry:$S/secret:1" --username alice --password-stdin --registry-ca "$W/tls/ca.pem"
expect_ok tls-ca "TLS registry with --registry-ca CA.pem and --username/--password-stdin" &&
  check "TLS: the report agrees with the archive's" "${TOOLS[@]}" same-report "$OUT/secret-tar.json" "$OUT/tls-ca.json"
scan tls-insec --stdin "$W/secrets/pw" "registry:$S/secret:1" --username alice --password-stdin --insecure-registry "$S"
expect_ok tls-insec "TLS registry with --insecure-registry $S (no CA)"
scan tls-insec-other --stdin "$W/secrets/pw" "registry:$S/secret:1" --username alice --password-stdin \
  --insecure-registry "127.0.0.1:$DEAD"
expect_fail tls-insec-other "--insecure-registry for another port does not cover $S" 'certificate|verif|trust|TLS|SSL'

scan auth-wrong --stdin "$W/secrets/wrongpw" "registry:$S/secret:1" --username alice --password-stdin --registry-ca "$W/tls/ca.pem"
expect_fail auth-wrong "wrong password: exit 2, one line about authentication" 'auth|unauthori[sz]ed|credential|denied'
check "… naming the registry" grep -q "$S" "$OUT/auth-wrong.err"
scan auth-none "registry:$S/secret:1" --registry-ca "$W/tls/ca.pem"
expect_fail auth-none "no credentials: exit 2, one line about authentication" 'auth|unauthori[sz]ed|credential|denied|login'

mkdir -p "$W/dc-auths" "$W/dc-helper" "$W/dc-store" "$W/dc-missing"
printf '{"auths":{"https://%s/v1/":{"auth":"%s"}}}\n' "$S" "$PW_B64" >"$W/dc-auths/config.json"
printf '{"auths":{"%s":{}},"credHelpers":{"%s":"fake"}}\n' "$S" "$S" >"$W/dc-helper/config.json"
printf '{"auths":{"%s":{}},"credsStore":"fake"}\n' "$S" >"$W/dc-store/config.json"
printf '{"credHelpers":{"%s":"missing-helper"}}\n' "$S" >"$W/dc-missing/config.json"
# A credential helper that knows one server and records what it was asked.
cat >"$W/bin/docker-credential-fake" <<EOF
#!/bin/sh
[ "\$1" = get ] || exit 1
read -r server
echo "\$server" >>"$W/helper.calls"
if [ "\$server" = "$S" ]; then
  printf '{"ServerURL":"%s","Username":"alice","Secret":"%s"}\n' "\$server" "\$(cat "$W/secrets/pw")"
else
  echo "credentials not found in native keychain"
  exit 1
fi
EOF
chmod +x "$W/bin/docker-credential-fake"

DOCKER_CONFIG=$W/dc-auths scan auth-config "registry:$S/secret:1" --registry-ca "$W/tls/ca.pem"
expect_ok auth-config "\$DOCKER_CONFIG/config.json auths (base64 user:password, https://HOST/v1/ key)"
: >"$W/helper.calls"
DOCKER_CONFIG=$W/dc-helper PATH="$W/bin:$PATH" scan auth-helper "registry:$S/secret:1" --registry-ca "$W/tls/ca.pem"
expect_ok auth-helper "credHelpers → docker-credential-fake get" &&
  check "… the helper was asked for $S" grep -qx "$S" "$W/helper.calls"
: >"$W/helper.calls"
DOCKER_CONFIG=$W/dc-store PATH="$W/bin:$PATH" scan auth-store "registry:$S/secret:1" --registry-ca "$W/tls/ca.pem"
expect_ok auth-store "credsStore → docker-credential-fake get" &&
  check "… the store was asked for $S" grep -qx "$S" "$W/helper.calls"
DOCKER_CONFIG=$W/dc-missing scan auth-missing "registry:$S/secret:1" --registry-ca "$W/tls/ca.pem"
expect_fail auth-missing "credHelpers naming a helper that is not installed: exit 2 naming it" 'missing-helper'
DOCKER_CONFIG=$W/dc-auths scan auth-flag-wins --stdin "$W/secrets/wrongpw" "registry:$S/secret:1" --username alice \
  --password-stdin --registry-ca "$W/tls/ca.pem"
expect_fail auth-flag-wins "--username with a wrong password is not rescued by config.json's good one" \
  'auth|unauthori[sz]ed|credential|denied'

# ---- the token flow --------------------------------------------------------------
start_proxy token --user "alice:$PW"
P=127.0.0.1:$PROXY_PORT
scan tok --stdin "$W/secrets/pw" "registry:$P/layers:1" --username alice --password-stdin
expect_ok tok "token flow: --username/--password-stdin through the token server" &&
  check "token flow: the report agrees with the archive's" \
    "${TOOLS[@]}" same-report "$OUT/layers-tar.json" "$OUT/tok.json" "$W/layers.manifest.json"
echo "# proxy log: $(logq summary)"
check "token flow: one token serves the config and all layer blobs ($LAYERS_BLOBS GETs, all 200)" \
  test "$(logq blob_tokens) $(logq blob_gets_ok)" == "t1 $LAYERS_BLOBS"
check "token flow: at most 2 token requests (one per challenge), with Basic credentials" \
  bash -c '(( $1 <= 2 )) && [[ $2 == basic ]]' _ "$(logq token_requests)" "$(logq token_auth)"
check "token flow: the token asked for repository:layers:pull" test "$(logq token_scopes)" == "repository:layers:pull"
check "token flow: no Basic credentials sent to the registry itself" test "$(logq basic_to_registry)" == 0
scan tok-wrong --stdin "$W/secrets/wrongpw" "registry:$P/layers:1" --username alice --password-stdin
expect_fail tok-wrong "token flow: wrong password: exit 2 about authentication" 'auth|unauthori[sz]ed|credential|denied|token'
scan tok-none "registry:$P/layers:1"
expect_fail tok-none "token flow: no credentials, no anonymous tokens: exit 2" 'auth|unauthori[sz]ed|credential|denied|token'

start_proxy anon --anonymous --token-field access_token
scan tok-anon "registry:127.0.0.1:$PROXY_PORT/pkgs:1"
expect_ok tok-anon "token flow: anonymous token, answered as access_token" &&
  check "anonymous: the report agrees with the archive's" "${TOOLS[@]}" same-report "$OUT/pkgs-tar.json" "$OUT/tok-anon.json"
check "anonymous: the token request carried no credentials" test "$(logq token_auth)" == none

start_proxy expiring --user "alice:$PW" --max-uses 2 --token-field both --expires-in 60
scan tok-exp --stdin "$W/secrets/pw" "registry:127.0.0.1:$PROXY_PORT/layers:1" --username alice --password-stdin
expect_ok tok-exp "token refused after 2 uses (invalid_token): renewed, the scan completes" &&
  check "expiring: the report agrees with the archive's" "${TOOLS[@]}" same-report "$OUT/layers-tar.json" "$OUT/tok-exp.json"
echo "# proxy log: $(logq summary)"
check "expiring: refusals seen and new tokens fetched (≥ 4 for ≥ 8 requests), bounded" \
  bash -c '(( $1 >= 1 && $2 >= 4 && $2 <= $3 ))' _ "$(logq expired_refusals)" "$(logq tokens_issued)" "$(logq requests)"

start_proxy scoped --user "alice:$PW" --repos pkgs
scan tok-scope --stdin "$W/secrets/pw" "registry:127.0.0.1:$PROXY_PORT/layers:1" --username alice --password-stdin
expect_fail tok-scope "token server refuses repository:layers:pull (403): exit 2 naming the repository" 'layers'
check "… and says access to it was denied (the credentials were good)" \
  bash -c 'grep -Eiq "denied|scope|forbidden|not allowed" "$1" && ! grep -qi "refused the credentials" "$1"' _ "$OUT/tok-scope.err"
scan tok-scope-ok --stdin "$W/secrets/pw" "registry:127.0.0.1:$PROXY_PORT/pkgs:1" --username alice --password-stdin
expect_ok tok-scope-ok "… while repository:pkgs:pull works through the same server"

start_proxy oauth --refresh-token "$REFRESH"
mkdir -p "$W/dc-idtoken"
printf '{"auths":{"127.0.0.1:%s":{"identitytoken":"%s"}}}\n' "$PROXY_PORT" "$REFRESH" >"$W/dc-idtoken/config.json"
DOCKER_CONFIG=$W/dc-idtoken scan tok-oauth "registry:127.0.0.1:$PROXY_PORT/pkgs:1"
expect_ok tok-oauth "config.json identitytoken: POST /token grant_type=refresh_token" &&
  check "identitytoken: the token came from the refresh_token grant" test "$(logq token_grants)" == refresh_token

# ---- the layer cache ---------------------------------------------------------------
start_proxy cache --anonymous
C=127.0.0.1:$PROXY_PORT
LC=$W/layer-cache
dd lc-db --cache-dir "$LC" db import "$ROOT/tests/testdata/vuln/debian" "$ROOT/tests/testdata/vuln/debian-json"
cache_scan() { # cache_scan NAME [flags]: layers:1 through the proxy, with the layer cache dir; log reset first
  local n=$1
  shift
  : >"$PROXY_LOG"
  dd "$n" --cache-dir "$LC" "$@" image "registry:$C/layers:1" "${SCAN_FLAGS[@]}" -o "$OUT/$n.json"
}
cache_scan lc-cold
expect_ok lc-cold "cache: cold scan"
cold_blobs=$(logq blob_gets)
if [[ ! -d "$LC/layers" ]] || [[ -z "$(find "$LC/layers" -type f 2>/dev/null | head -1)" ]]; then
  skip "cache: no layers/ under --cache-dir after a scan: this binary has no layer cache"
else
  check "cache: the cold scan fetched the config and every layer ($LAYERS_BLOBS blobs)" test "$cold_blobs" == "$LAYERS_BLOBS"
  cache_scan lc-warm
  expect_ok lc-warm "cache: warm scan"
  check "cache: the warm scan fetched the manifest and one blob, the config" \
    test "$(logq manifest_gets) $(logq blob_digests)" == "1 $(json_get "$W/layers.manifest.json" config.digest)"
  check "cache: the warm report is byte-identical to the cold one" "${TOOLS[@]}" same-bytes "$OUT/lc-cold.json" "$OUT/lc-warm.json"
  if "$DRYDOCK" --help 2>&1 | grep -q -- --no-cache; then
    cache_scan lc-nocache --no-cache
    expect_ok lc-nocache "cache: --no-cache scan"
    check "cache: --no-cache fetched every blob again" test "$(logq blob_gets)" == "$LAYERS_BLOBS"
    check "cache: the --no-cache report is byte-identical too" "${TOOLS[@]}" same-bytes "$OUT/lc-cold.json" "$OUT/lc-nocache.json"
  else
    skip "cache: this binary has no --no-cache"
  fi
fi

# The cache is keyed by diff_id: what an archive scan of the same image left
# serves a registry scan of it (only the config blob fetched).
LC2=$W/layer-cache-2
dd lc2-db --cache-dir "$LC2" db import "$ROOT/tests/testdata/vuln/debian" "$ROOT/tests/testdata/vuln/debian-json"
dd lc2-tar --cache-dir "$LC2" image "$W/layers.tar" "${SCAN_FLAGS[@]}" -o "$OUT/lc2-tar.json"
expect_ok lc2-tar "cache: archive scan with a fresh cache dir"
: >"$PROXY_LOG"
dd lc2-reg --cache-dir "$LC2" image "registry:$C/layers:1" "${SCAN_FLAGS[@]}" -o "$OUT/lc2-reg.json"
expect_ok lc2-reg "cache: then a registry scan of the same image"
check "cache: … fetched only the config blob (layers known by diff_id from the archive scan)" \
  test "$(logq blob_digests)" == "$(json_get "$W/layers.manifest.json" config.digest)"
check "cache: … and agrees with the archive's report" "${TOOLS[@]}" same-report "$OUT/lc2-tar.json" "$OUT/lc2-reg.json" "$W/layers.manifest.json"

# ---- credentials never leak ----------------------------------------------------------
check "the password, its base64 and the refresh token appear in no output, report or cache file" \
  bash -c '! grep -rlF -e "$1" -e "$2" -e "$3" "${@:4}"' _ "$PW" "$PW_B64" "$REFRESH" \
  "$OUT" "$W/xdg" "$W/home" "$LC" "$LC2"

# ---- the hostile registry -----------------------------------------------------------
hostile_run() { # hostile_run BINARY LABEL
  local bin=$1 label=$2 c out rc t0
  mkdir -p "$W/hostile-$label"
  t0=$SECONDS
  while read -r c; do
    out=$("${HOSTILE[@]}" run "$c" "$bin" "$W/hostile-$label" 2>&1)
    rc=$?
    if ((rc == 0)); then ok "hostile ($label): $c"; else notok "hostile ($label): $c"; fi
    detail "$out"
  done < <("${HOSTILE[@]}" list)
  echo "# hostile ($label): $((SECONDS - t0)) s"
}
hostile_run "$DRYDOCK" release
if [[ -n "${REGISTRY_ASAN_DRYDOCK:-}" ]]; then
  if [[ -x "$REGISTRY_ASAN_DRYDOCK" ]]; then
    hostile_run "$REGISTRY_ASAN_DRYDOCK" asan
  else
    notok "REGISTRY_ASAN_DRYDOCK=$REGISTRY_ASAN_DRYDOCK is not an executable"
  fi
fi

finish
