#!/usr/bin/env bash
# drydock's own image and deployment files, checked by drydock itself
# (issue 17 part 7):
#   - the root Dockerfile lints with no finding of MEDIUM or above;
#   - its runtime stage, rebuilt with the private dockerd FROM scratch out of
#     this machine's Debian 12 files (the binary, the shared libraries it
#     loads, their dpkg records, CA certificates, os-release) plus the
#     Dockerfile's own runtime lines (USER, ENV, VOLUME, ENTRYPOINT …), scans
#     with no finding of MEDIUM or above (vulnerabilities against the in-repo
#     advisories, secrets, misconfigurations) and its SBOM names every
#     runtime package the Dockerfile installs;
#   - that image (USER 65532:65532) runs read-only, with no capability, no
#     network and no new privileges, and scans an image from inside the container
#     with the same findings as the host;
#   - deploy/compose.yaml passes `drydock compose` with no finding of MEDIUM
#     or above and `docker-compose config`;
#   - deploy/k8s/worker.yaml holds every securityContext setting that
#     `drydock harden --format k8s` writes for the image.
#
#   tests/integration/self_image.sh DRYDOCK_BINARY
#
# Last line: "self-image: N passed, N failed[, N skipped]" or "skipped: why".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
T_NAME=self-image
T_CHECK_LINES=40
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
"$PY" -c 'import yaml' 2>/dev/null || skip_or_fail "python3-yaml not found"

workdir /tmp/dd-self-image.XXXXXX DRYDOCK_SELF_IMAGE_KEEP
export DRYDOCK_CACHE_DIR=$W/cache
MEDIUM_UP=MEDIUM,HIGH,CRITICAL

# ---- the Dockerfile and the compose file, linted -------------------------------
check "Dockerfile: no lint finding of MEDIUM or above" \
  "$DRYDOCK" dockerfile "$ROOT/Dockerfile" --severity "$MEDIUM_UP" --exit-code 1
check "deploy/compose.yaml: no compose finding of MEDIUM or above" \
  "$DRYDOCK" compose "$ROOT/deploy/compose.yaml" --severity "$MEDIUM_UP" --exit-code 1
if command -v docker-compose >/dev/null 2>&1; then
  # The secret files it names are the user's to make; empty ones do here.
  cp -r "$ROOT/deploy" "$W/deploy" && touch "$W/deploy/token" "$W/deploy/pg_password"
  check "deploy/compose.yaml: docker-compose config accepts it" \
    docker-compose --project-directory "$W/deploy" -f "$W/deploy/compose.yaml" config -q
else
  skip "docker-compose not found (scripts/deps --test installs it)"
fi

# ---- the runtime stage FROM scratch out of this machine's Debian 12 files -------
start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
D() { "$DOCKER_CLI" "$@"; }

ctx=$W/ctx
mkdir -p "$ctx/rootfs/usr/bin" "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/var/lib/dpkg/info" \
  "$ctx/owned/home/drydock" "$ctx/owned/cache"
chmod 0700 "$ctx/owned/cache"
cp "$DRYDOCK" "$ctx/rootfs/usr/bin/drydock"
# The loader and every shared library the binary loads, at their paths.
libs=$(ldd "$DRYDOCK" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
for l in $libs; do
  real=$(readlink -f "$l")
  mkdir -p "$ctx/rootfs$(dirname "$l")" "$ctx/rootfs$(dirname "$real")"
  cp -n "$real" "$ctx/rootfs$real"
  [[ "$l" == "$real" ]] || ln -sf "$real" "$ctx/rootfs$l"
done
cp /etc/ssl/certs/ca-certificates.crt "$ctx/rootfs/etc/ssl/certs/"
cp /etc/os-release "$ctx/rootfs/etc/os-release" 2>/dev/null || cp /usr/lib/os-release "$ctx/rootfs/etc/os-release"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\ndrydock:x:65532:65532::/home/drydock:/usr/sbin/nologin\n' \
  >"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\ndrydock:x:65532:\n' >"$ctx/rootfs/etc/group"
# The dpkg records of the packages those files come from, as apt would leave them.
pkgs=$(for l in $libs; do dpkg -S "$(readlink -f "$l")" 2>/dev/null | head -n 1 | cut -d: -f1; done | sort -u)
pkgs="$pkgs ca-certificates"
for p in $pkgs; do
  dpkg-query -s "$p" >>"$ctx/rootfs/var/lib/dpkg/status" && echo >>"$ctx/rootfs/var/lib/dpkg/status"
  a=$(dpkg-query -W -f='${Architecture}' "$p")
  for f in "/var/lib/dpkg/info/$p.list" "/var/lib/dpkg/info/$p:$a.list"; do
    [[ -f "$f" ]] && cp "$f" "$ctx/rootfs/var/lib/dpkg/info/"
  done
done
{
  echo "FROM scratch"
  echo "COPY rootfs/ /"
  echo "COPY --chown=65532:65532 owned/ /"
  sed -n '/^# --- runtime settings/,$p' "$ROOT/Dockerfile"
} >"$ctx/Dockerfile"
check "the runtime settings come from the root Dockerfile (USER, ENTRYPOINT)" \
  grep -q '^USER 65532:65532' "$ctx/Dockerfile"
rev=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
check "docker build of the runtime stage FROM scratch" D build -q -t drydock-self:test \
  --build-arg REVISION="$rev" --build-arg CREATED=2026-01-01T00:00:00Z --build-arg SOURCE=file://drydock "$ctx"
check "docker save" D save -o "$W/self.tar" drydock-self:test

# The in-repo advisories: a database the scan can use offline.
check "db import of the in-repo advisories" "$DRYDOCK" db import "$ROOT/tests/testdata/vuln" --quiet
check "the image: no finding of MEDIUM or above (vuln, secret, misconfig)" \
  "$DRYDOCK" image "$W/self.tar" --scanners vuln,secret,misconfig --severity "$MEDIUM_UP" --exit-code 1 --quiet
"$DRYDOCK" image "$W/self.tar" --scanners vuln,secret,misconfig --list-all-pkgs --format json \
  -o "$W/host.json" --quiet
check "the image: its SBOM names every runtime package the Dockerfile installs" \
  "$PY" - "$W/host.json" "$ROOT/Dockerfile" <<'PYEOF'
import json, re, sys
report = json.load(open(sys.argv[1]))
names = {p["name"] for p in report.get("packages", [])}
want = set(re.findall(r"^\s+([a-z0-9][a-z0-9.+-]*)=[0-9]\S* \\$", open(sys.argv[2]).read(), re.M))
missing = sorted(want - names)
print("installed by the Dockerfile: %d; in the SBOM: %d packages" % (len(want), len(names)))
if not want or missing:
    sys.exit("missing from the SBOM: %s" % missing)
PYEOF

# ---- the image runs the way the deployment files run it -----------------------
run_locked() {
  D run --rm --read-only --cap-drop ALL --security-opt no-new-privileges --network none \
    --tmpfs /cache:uid=65532,gid=65532,mode=0700 "$@"
}
out=$(run_locked drydock-self:test version 2>&1)
same "runs read-only, no capability, no network: drydock version" "drydock $("$DRYDOCK" version | awk '{print $2}')" "$out"
same "the image's USER is 65532:65532 (numeric, not root)" "65532:65532" \
  "$(D inspect -f '{{.Config.User}}' drydock-self:test)"
mkdir -p "$W/in" && cp "$W/self.tar" "$W/in/self.tar" && chmod -R a+rX "$W/in"
if run_locked -v "$W/in:/in:ro" drydock-self:test image /in/self.tar --scanners secret,misconfig \
  --format json --quiet >"$W/inside.json" 2>"$W/inside.err"; then
  ok "inside the container: a scan of an image mounted read-only"
else
  notok "inside the container: a scan of an image mounted read-only"
  detail "$(cat "$W/inside.err")"
fi
"$DRYDOCK" image "$W/self.tar" --scanners secret,misconfig --format json -o "$W/host2.json" --quiet
check "inside the container: the same findings as on the host" \
  "$PY" - "$W/host2.json" "$W/inside.json" <<'PYEOF'
import json, sys
def findings(path):
    r = json.load(open(path))
    return sorted((f.get("kind"), f.get("id") or f.get("rule_id"), f.get("severity"), json.dumps(f.get("location"), sort_keys=True))
                  for f in r["findings"])
a, b = findings(sys.argv[1]), findings(sys.argv[2])
print("host %d findings, container %d" % (len(a), len(b)))
sys.exit(0 if a == b else "host %s\ncontainer %s" % (a, b))
PYEOF

# ---- the Kubernetes manifest holds what harden recommends -----------------------
check "drydock harden --format k8s for the image" "$DRYDOCK" harden "$W/self.tar" --format k8s -o "$W/harden.yaml" --quiet
check "deploy/k8s/worker.yaml: a Deployment of workers with harden's securityContext" \
  "$PY" - "$W/harden.yaml" "$ROOT/deploy/k8s/worker.yaml" <<'PYEOF'
import sys, yaml
def containers(doc):
    spec = doc.get("spec", {})
    if "template" in spec:
        spec = spec["template"].get("spec", {})
    return spec, spec.get("containers", [])
harden = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
mine = [d for d in yaml.safe_load_all(open(sys.argv[2])) if d]
deps = [d for d in mine if d.get("kind") == "Deployment"]
if len(deps) != 1:
    sys.exit("want one Deployment, got %d" % len(deps))
pod, cs = containers(deps[0])
if not cs or cs[0].get("args", [None])[0] != "worker":
    sys.exit("the Deployment's container does not run `worker`: %s" % cs[:1])
want_pod, want_cs = None, []
for d in harden:
    if d.get("kind") in ("Pod", "Deployment"):
        want_pod, want_cs = containers(d)
if not want_cs:
    sys.exit("harden wrote no container")
def subset(want, got, path):
    bad = []
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return ["%s: want a map" % path]
        for k, v in want.items():
            bad += subset(v, got.get(k), path + "." + k)
    elif isinstance(want, list) and isinstance(got, list):
        if sorted(map(str, want)) != sorted(map(str, got)):
            bad.append("%s: want %s, got %s" % (path, want, got))
    elif want != got:
        bad.append("%s: want %r, got %r" % (path, want, got))
    return bad
bad = subset(want_cs[0].get("securityContext", {}), cs[0].get("securityContext"), "container.securityContext")
bad += subset(want_pod.get("securityContext", {}), pod.get("securityContext"), "pod.securityContext")
for k in ("automountServiceAccountToken",):
    if k in want_pod:
        bad += subset(want_pod[k], pod.get(k), "pod." + k)
n = len(want_cs[0].get("securityContext", {})) + len(want_pod.get("securityContext", {}))
print("harden's settings: %d; missing or different: %d" % (n, len(bad)))
sys.exit("\n".join(bad) if bad or n == 0 else 0)
PYEOF

finish
