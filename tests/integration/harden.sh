#!/usr/bin/env bash
# Hardening checks and `drydock harden` against a real, private Docker daemon.
#
#   tests/integration/harden.sh [DRYDOCK_BINARY]     (default: build/drydock)
#
# 1. A clean, hardened image built here yields no findings at all; a
#    deliberately bad one yields every hardening rule at least once, each at
#    the path and layer (or config field) where the Dockerfile put it.
# 2. For three images (busybox httpd on a high port run as root by default,
#    an entrypoint that writes to /tmp, a non-root server on port 80) the
#    generated `docker run` script really starts the container, the service
#    answers a second container on the user-defined network, and
#    `docker inspect` shows the settings took effect. The generated seccomp
#    profile is accepted by the daemon and the service still answers under it.
#
# Prints "ok - ..." / "not ok - ..." per check and ends with
# "harden: N passed, N failed". Without a daemon it prints "skipped: ..."
# (a failure under CI=true). DRYDOCK_HARDEN_KEEP=1 keeps the work dir.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
T_NAME=harden
T_CHECK_LINES=40
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-${DRYDOCK:-$ROOT/build/drydock}}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
need_static_busybox

workdir /tmp/dd-harden.XXXXXX DRYDOCK_HARDEN_KEEP
HTTPD_PID=""
at_exit '[[ -n "$HTTPD_PID" ]] && kill "$HTTPD_PID" 2>/dev/null'

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
# The generated scripts call `docker`: make it the client that matches the daemon.
mkdir -p "$W/bin"
ln -s "$(command -v "$DOCKER_CLI")" "$W/bin/docker"
export PATH="$W/bin:$PATH"
D() { docker "$@"; }
build() { # build TAG DIR [dockerfile]
  DOCKER_BUILDKIT=0 D build -q -t "$1" -f "$2/${3:-Dockerfile}" "$2" >/dev/null
}

# rootfs DIR [applets...]: busybox at DIR/bin/busybox with applet links.
rootfs() {
  local d=$1
  shift
  mkdir -p "$d/bin" "$d/etc" "$d/tmp" "$d/www"
  chmod 1777 "$d/tmp"
  cp "$BUSYBOX" "$d/bin/busybox"
  for a in "$@"; do ln -sf busybox "$d/bin/$a"; done
  printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000:app:/home/app:/sbin/nologin\n' >"$d/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' >"$d/etc/group"
  printf 'root:!:19000::::::\napp:!:19000::::::\n' >"$d/etc/shadow"
  chmod 0640 "$d/etc/shadow"
  echo "hello from drydock" >"$d/www/index.html"
}

# ---- 1. checks: clean and bad images -----------------------------------------
c=$W/clean
rootfs "$c/rootfs"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001:app:/home/app:/sbin/nologin\n' >"$c/rootfs/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' >"$c/rootfs/etc/group"
cat >"$c/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
LABEL org.opencontainers.image.source="https://example.com/drydock/clean" \
      org.opencontainers.image.revision="0123456789abcdef" \
      org.opencontainers.image.created="2026-01-01T00:00:00Z"
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
ENTRYPOINT ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
EOF
check "clean: docker build" build dd-harden-clean:1.0 "$c"

# A file server on the host loopback for ADD <url> (the daemon fetches it).
mkdir -p "$W/srv"
echo "remote tool" >"$W/srv/tool.txt"
PORT=$((20000 + RANDOM % 20000))
"$BUSYBOX" httpd -f -p "127.0.0.1:$PORT" -h "$W/srv" &
HTTPD_PID=$!

b=$W/bad
rootfs "$b/base" sh wget echo cat chmod mkdir true
mkdir -p "$b/base/usr/bin" "$b/base/usr/sbin" "$b/base/data" "$b/base/var/lib/apt/lists"
cat >"$b/base/etc/os-release" <<'EOF'
PRETTY_NAME="Debian GNU/Linux 9 (stretch)"
ID=debian
VERSION_ID="9"
EOF
printf 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\ncarol:x:1000:1001::/home/carol:/bin/sh\nguest:x:1002:1002::/:/bin/sh\n' >"$b/base/etc/passwd"
printf 'root:x:0:\nbob:x:1000:\ncarol:x:1000:\n' >"$b/base/etc/group"
printf 'root:!:19000::::::\ntoor:!:19000::::::\nbob:!:19000::::::\ncarol:!:19000::::::\nguest::19000::::::\n' >"$b/base/etc/shadow"
printf '#!/bin/sh\necho "$*" >>/var/log/apt-fake.log\n' >"$b/base/usr/bin/apt-get"
mkdir -p "$b/base/var/log"
chmod 755 "$b/base/usr/bin/apt-get"
echo "Package: x" >"$b/base/var/lib/apt/lists/deb.debian.org_debian_dists_stretch_main_binary-amd64_Packages"
mkdir -p "$b/tools/usr/bin" "$b/tools/usr/sbin"
printf 'fake' >"$b/tools/usr/bin/sudo"
chmod 4755 "$b/tools/usr/bin/sudo"
printf 'fake' >"$b/tools/usr/bin/gcc"
printf 'fake' >"$b/tools/usr/sbin/sshd"
chmod 755 "$b/tools/usr/bin/gcc" "$b/tools/usr/sbin/sshd"
mkdir -p "$b/leak/root/.ssh" "$b/leak/root/.aws" "$b/leak/app/.git"
echo "-----BEGIN OPENSSH PRIVATE KEY-----" >"$b/leak/root/.ssh/id_rsa"
printf '[default]\naws_access_key_id=x\n' >"$b/leak/root/.aws/credentials"
echo "DB=x" >"$b/leak/app/.env"
echo "ref: refs/heads/main" >"$b/leak/app/.git/HEAD"
echo "extra=1" >"$b/extra.conf"
for i in $(seq 1 14); do echo "$i" >"$b/pad$i.txt"; done
{
  echo "FROM scratch"
  echo "COPY base/ /"                                                   # layer 0
  echo "COPY tools/ /"                                                  # layer 1
  echo "COPY leak/ /"                                                   # layer 2
  echo "ADD extra.conf /etc/extra.conf"                                 # layer 3
  echo "ADD http://127.0.0.1:$PORT/tool.txt /opt/tool.txt"              # layer 4
  echo "ENV DB_PASSWORD=hunter2hunter2"
  echo "ARG API_TOKEN=tok_1234567890abcdef"
  echo "RUN apt-get update"                                             # layer 5
  echo "RUN apt-get -y dist-upgrade"                                    # layer 6
  echo "RUN wget -qO- http://127.0.0.1:9/install.sh | sh; echo ran >/var/log/install.log"  # layer 7
  echo "RUN chmod 0777 /data"                                           # layer 8
  echo "RUN chmod 4755 /usr/bin/sudo"                                   # layer 9 (COPY drops setuid bits)
  for i in $(seq 1 14); do echo "COPY pad$i.txt /pad/"; done            # layers 10-23
  echo "EXPOSE 22"
  echo "VOLUME /etc"
  echo 'CMD ["/bin/sh"]'
} >"$b/Dockerfile"
check "bad: docker build (24 layers, ADD of a loopback URL)" build dd-harden-bad:latest "$b"

for n in clean:1.0 bad:latest; do
  name=${n%%:*}
  D save "dd-harden-$n" -o "$W/$name.tar" 2>/dev/null || notok "$name: docker save"
  "$DRYDOCK" image "$W/$name.tar" --format json --output "$W/$name.json" --no-progress 2>"$W/$name.err"
  check "$name: scan exits 0" test -s "$W/$name.json"
done

expect_findings() { # expect_findings REPORT "RULE[ PATH[ LAYER]]"...
  "$PY" - "$@" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
findings = report.get("findings") or []
bad = []
for spec in sys.argv[2:]:
    parts = spec.split(" ")
    rule = parts[0]
    path = parts[1] if len(parts) > 1 and parts[1] != "-" else None
    layer = int(parts[2]) if len(parts) > 2 else None
    hits = [f for f in findings if f.get("rule_id") == rule]
    if path is not None:
        hits = [f for f in hits if (f.get("location") or {}).get("path") == path or
                (f.get("location") or {}).get("config_field", "").startswith(path)]
    if layer is not None:
        hits = [f for f in hits if (f.get("location") or {}).get("layer_index") == layer]
    if not hits:
        got = sorted({(f["rule_id"], (f.get("location") or {}).get("path", ""),
                       (f.get("location") or {}).get("layer_index", -1)) for f in findings
                      if f.get("rule_id") == rule})
        bad.append(f"{spec}: not found (that rule has: {got or 'nothing'})")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}
no_findings() {
  "$PY" -c '
import json, sys
fs = json.load(open(sys.argv[1])).get("findings") or []
for f in fs: print(f["rule_id"], (f.get("location") or {}).get("path", ""), f.get("evidence", ""))
sys.exit(1 if fs else 0)' "$1"
}

if [[ -s "$W/clean.json" ]]; then
  check "clean: hardened image yields zero findings" no_findings "$W/clean.json"
fi
if [[ -s "$W/bad.json" ]]; then
  # Rule, then where: a path (or config field) and the layer index.
  for spec in \
    "DD-CIS-4.1 config.User" \
    "DD-CIS-4.6 config.Healthcheck" \
    "DD-CIS-4.7 - 5" \
    "DD-CIS-4.8 /usr/bin/sudo 9" \
    "DD-CIS-4.9 - 3" \
    "DD-CIS-4.10 config.Env[DB_PASSWORD]" \
    "DD-CIS-4.10 history[" \
    "DD-IMG-001 /usr/bin/sudo 9" \
    "DD-IMG-001 - 9" \
    "DD-IMG-002 /etc/shadow 0" \
    "DD-IMG-003 /etc/passwd 0" \
    "DD-IMG-003 /etc/group 0" \
    "DD-IMG-004 /etc/passwd 0" \
    "DD-IMG-005 /root/.ssh/id_rsa 2" \
    "DD-IMG-005 /root/.aws/credentials 2" \
    "DD-IMG-005 /app/.env 2" \
    "DD-IMG-006 /app/.git 2" \
    "DD-IMG-007 /data 8" \
    "DD-IMG-008 /var/lib/apt/lists 0" \
    "DD-IMG-009 RepoTags" \
    "DD-IMG-010 - 4" \
    "DD-IMG-011 - 7" \
    "DD-IMG-012 - 6" \
    "DD-IMG-013 config.ExposedPorts" \
    "DD-IMG-013 /usr/sbin/sshd 1" \
    "DD-IMG-014 /bin/sh 0" \
    "DD-IMG-015 /usr/bin/apt-get 0" \
    "DD-IMG-016 /usr/bin/gcc 1" \
    "DD-IMG-017 /etc/os-release 0" \
    "DD-IMG-018 config.Labels" \
    "DD-IMG-019 rootfs.diff_ids" \
    "DD-IMG-020 config.Volumes"; do
    read -r rule _ <<<"$spec"
    check "bad: $spec" expect_findings "$W/bad.json" "$spec"
  done
  check "bad: every rule of the table fired at least once" "$PY" -c '
import json, subprocess, sys
report = json.load(open(sys.argv[1]))
fired = {f["rule_id"] for f in report.get("findings") or []}
missing = [r for r in sys.argv[2].split() if r not in fired]
print("missing:", missing) if missing else None
sys.exit(1 if missing else 0)' "$W/bad.json" "$(grep -ho '"DD-[A-Z]*-[0-9.]*"' "$ROOT"/src/check/image/*.cc | tr -d '"' | sort -u | tr '\n' ' ')"
  check "bad: secret values are redacted in every finding (evidence and created_by)" "$PY" -c '
import json, sys
fs = json.load(open(sys.argv[1])).get("findings") or []
leaks = [f["rule_id"] for f in fs if "hunter2hunter2" in json.dumps(f) or "tok_1234567890abcdef" in json.dumps(f)]
print("leaked by:", leaks) if leaks else None
sys.exit(1 if leaks else 0)' "$W/bad.json"
  check "bad: --exit-code gates on the findings" bash -c \
    '"$1" image "$2" --quiet --no-progress --severity HIGH --exit-code 3 >/dev/null; [[ $? == 3 ]]' _ "$DRYDOCK" "$W/bad.tar"
fi

# ---- 2. harden: generated profiles really run -------------------------------------
# A client image to probe services from a second container.
mkdir -p "$W/client"
rootfs "$W/client/rootfs" sh wget cat
printf 'FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/bin/busybox"]\n' >"$W/client/Dockerfile"
check "client: docker build" build dd-harden-client:1 "$W/client"

# A: busybox httpd on 8080, no USER (root by default), no HEALTHCHECK.
mkdir -p "$W/a"
rootfs "$W/a/rootfs" sh wget
cat >"$W/a/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
EXPOSE 8080
ENTRYPOINT ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
EOF
# B: the entrypoint writes its page to /tmp and serves it from there.
mkdir -p "$W/b"
rootfs "$W/b/rootfs" sh echo
cat >"$W/b/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
USER app
EXPOSE 8081
ENTRYPOINT ["/bin/sh", "-c", "mkdir -p /tmp/www && echo written-at-start > /tmp/www/index.html && exec /bin/busybox httpd -f -p 8081 -h /tmp/www"]
EOF
# C: a non-root user binds port 80.
mkdir -p "$W/c"
rootfs "$W/c/rootfs"
cat >"$W/c/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
USER app
EXPOSE 80
HEALTHCHECK --interval=2s --timeout=2s CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/"]
ENTRYPOINT ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]
EOF

inspect_ok() { # inspect_ok CONTAINER WANT_USER WANT_CAPADD
  local got
  got=$(D inspect -f '{{.HostConfig.ReadonlyRootfs}}|{{json .HostConfig.CapDrop}}|{{json .HostConfig.CapAdd}}|{{json .HostConfig.SecurityOpt}}|{{.Config.User}}|{{.HostConfig.PidsLimit}}|{{.HostConfig.Memory}}|{{.HostConfig.NanoCpus}}|{{.HostConfig.NetworkMode}}|{{range $k, $v := .HostConfig.Tmpfs}}{{$k}} {{end}}' "$1") || return 1
  local want="true|[\"ALL\"]|$3|[\"no-new-privileges:true\"]|$2|256|536870912|1000000000|$1-net|/tmp "
  [[ "$got" == "$want" ]] || { echo "got  $got"; echo "want $want"; return 1; }
}
answers() { # answers CONTAINER PORT WANT_TEXT: a second container on the network fetches the page
  local ip i out=""
  for ((i = 0; i < 40; i++)); do
    ip=$(D inspect -f "{{(index .NetworkSettings.Networks \"$1-net\").IPAddress}}" "$1" 2>/dev/null)
    # busybox-static's wget crashes writing a body to a pipe; nc speaks HTTP/1.0 just as well.
    if [[ -n "$ip" ]] && out=$(D run --rm --network "$1-net" dd-harden-client:1 sh -c \
      "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 $ip $2" 2>&1) && [[ "$out" == *"$3"* ]]; then
      return 0
    fi
    sleep 0.5
  done
  echo "no answer from $1 ($ip:$2): $out"
  D logs "$1" 2>&1 | tail -5
  return 1
}
healthy() { # healthy CONTAINER
  local i s
  for ((i = 0; i < 120; i++)); do
    s=$(D inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null)
    [[ "$s" == healthy ]] && return 0
    sleep 0.5
  done
  echo "health status: $s"
  return 1
}

declare -A PORT_OF=([a]=8080 [b]=8081 [c]=80)
declare -A TEXT_OF=([a]="hello from drydock" [b]="written-at-start" [c]="hello from drydock")
declare -A CAPS_OF=([a]="null" [b]="null" [c]='["NET_BIND_SERVICE"]')
for n in a b c; do
  build "dd-harden-$n:1" "$W/$n" || { notok "$n: docker build"; continue; }
  name=ddh-$n
  check "$n: harden --format run writes a script" \
    "$DRYDOCK" harden "docker:dd-harden-$n:1" --format run --name "$name" --output "$W/$n/run.sh" --quiet
  check "$n: the script is valid bash and explains every flag" bash -c \
    'bash -n "$1" && ! sed -n "/^args=(/,/^)/p" "$1" | grep -v "^args=(\|^)" | grep -v " # "' _ "$W/$n/run.sh"
  check "$n: the generated docker run starts the container" bash "$W/$n/run.sh"
  check "$n: the service answers a second container on the user network" answers "$name" "${PORT_OF[$n]}" "${TEXT_OF[$n]}"
  check "$n: docker inspect shows read-only rootfs, cap-drop ALL, no-new-privileges, user, pids, memory, cpus, network, tmpfs" \
    inspect_ok "$name" 1000:1000 "${CAPS_OF[$n]}"
  check "$n: still running (nothing failed on the read-only filesystem)" \
    bash -c '[[ "$(docker inspect -f "{{.State.Running}}" "$1")" == true ]]' _ "$name"
done
check "a: the --health-cmd harden added reaches healthy" healthy ddh-a
check "c: the image's HEALTHCHECK reaches healthy under the profile" healthy ddh-c
check "c: the process really runs as uid 1000" bash -c \
  '[[ "$(docker exec ddh-c /bin/busybox id -u)" == 1000 ]]'

# The narrowed seccomp profile: Docker accepts it and the service works under it.
check "a: harden --format seccomp writes JSON" \
  "$DRYDOCK" harden "docker:dd-harden-a:1" --format seccomp --output "$W/a/seccomp.json" --quiet
check "a: the seccomp profile is valid JSON without ptrace (no debugger in the image)" "$PY" -c '
import json, sys
p = json.load(open(sys.argv[1]))
names = {n for s in p["syscalls"] if s["action"] == "SCMP_ACT_ALLOW" for n in s["names"]}
assert p["defaultAction"] == "SCMP_ACT_ERRNO", p["defaultAction"]
assert "ptrace" not in names and "mount" not in names and "read" in names, "unexpected allow-list"' "$W/a/seccomp.json"
D rm -f ddh-a >/dev/null 2>&1
check "a: the run script with SECCOMP=profile starts the container" env SECCOMP="$W/a/seccomp.json" bash "$W/a/run.sh"
check "a: the service answers under the narrowed seccomp profile" answers ddh-a 8080 "hello from drydock"
check "a: docker inspect shows the custom seccomp profile" bash -c \
  'docker inspect -f "{{.HostConfig.SecurityOpt}}" ddh-a | grep -q "seccomp="'
check "a: a container under the profile runs in seccomp filter mode" bash -c \
  'docker run --rm --security-opt seccomp="$1" dd-harden-client:1 cat /proc/self/status | grep -q "^Seccomp:[[:space:]]*2"' _ "$W/a/seccomp.json"

# compose and Kubernetes renderings parse and carry the same decisions.
check "compose: YAML with user, read_only, cap_drop, tmpfs, network" bash -c '
"$1" harden docker:dd-harden-c:1 --format compose --quiet | "$2" -c "
import sys, yaml
d = yaml.safe_load(sys.stdin)
s = next(iter(d[\"services\"].values()))
assert s[\"user\"] == \"1000:1000\" and s[\"read_only\"] is True and s[\"cap_drop\"] == [\"ALL\"], s
assert s[\"cap_add\"] == [\"NET_BIND_SERVICE\"] and any(t.startswith(\"/tmp:\") for t in s[\"tmpfs\"]), s
assert s[\"security_opt\"] == [\"no-new-privileges:true\"] and s[\"networks\"], s
"' _ "$DRYDOCK" "$PY"
check "k8s: Pod YAML with runAsNonRoot, readOnlyRootFilesystem, drop ALL, RuntimeDefault" bash -c '
"$1" harden docker:dd-harden-c:1 --format k8s --quiet | "$2" -c "
import sys, yaml
d = yaml.safe_load(sys.stdin)
sc = d[\"spec\"][\"securityContext\"]; c = d[\"spec\"][\"containers\"][0]
assert sc[\"runAsNonRoot\"] and sc[\"runAsUser\"] == 1000 and sc[\"seccompProfile\"][\"type\"] == \"RuntimeDefault\", sc
assert c[\"securityContext\"][\"readOnlyRootFilesystem\"] and c[\"securityContext\"][\"capabilities\"][\"drop\"] == [\"ALL\"]
assert c[\"resources\"][\"limits\"][\"memory\"] == \"512Mi\"
"' _ "$DRYDOCK" "$PY"
check "harden: an unknown --format exits 2 with one line" bash -c \
  '"$1" harden docker:dd-harden-a:1 --format xml 2>"$2/err.txt"; [[ $? == 2 && $(wc -l <"$2/err.txt") == 1 ]]' _ "$DRYDOCK" "$W"
check "harden: a missing target exits 2 with one line" bash -c \
  '"$1" harden "$2/nope.tar" 2>"$2/err.txt"; [[ $? == 2 && $(wc -l <"$2/err.txt") == 1 ]]' _ "$DRYDOCK" "$W"

for n in a b c; do D rm -f "ddh-$n" >/dev/null 2>&1; D network rm "ddh-$n-net" >/dev/null 2>&1; done
finish
