#!/usr/bin/env bash
# drydock containers / host end to end on a private dockerd, and the
# differential test against Docker Bench for Security (../shared/peers).
#
#   tests/integration/audit.sh DRYDOCK_BINARY
#
# Creates containers covering every CIS §5 setting (`docker create` for the
# ones that cannot start here), audits them with `drydock containers --all`
# and checks each setting's verdict; then, when the Docker Bench copy is
# present, runs its container_runtime checks on the same daemon, compares
# PASS/WARN/INFO/NOTE per check per running container, prints the agreement
# table and asserts that the disagreements are exactly the ones documented in
# docs/cis-differences.md. AUDIT_TIMING=0 skips the 50-container timing.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
PEER=$ROOT/../shared/peers/docker-bench-security
T_NAME=audit
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"
# 4.5 reads DOCKER_CONTENT_TRUST from the environment: the expectations below assume it unset.
unset DOCKER_CONTENT_TRUST

need_drydock "${1:-${DRYDOCK:-$ROOT/build/drydock}}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
need_static_busybox

workdir /tmp/dd-audit.XXXXXX

# ---- drydock-only checks that need no daemon ----
DOCKER_HOST=unix://$W/absent.sock check "no daemon: one line, exit 2" \
  bash -c "out=\$('$DRYDOCK' containers 2>&1); rc=\$?; [[ \$rc == 2 && \$(wc -l <<<\"\$out\") == 1 && \$out == *'no such socket'* ]]"
touch "$W/file.sock"
DOCKER_HOST=unix://$W/file.sock check "socket path is a regular file: exit 2, 'not a socket'" \
  bash -c "out=\$('$DRYDOCK' containers 2>&1); [[ \$? == 2 && \$out == *'not a socket'* ]]"
check "--skip with a bad id is a usage error" bash -c "'$DRYDOCK' host --root '$W' --skip 'x;y' 2>/dev/null; [[ \$? == 2 ]]"

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
D() { "$DOCKER_CLI" "$@"; }

ctx=$W/ctx
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/tmp"
cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
for a in sh sleep ps true cat; do ln -s busybox "$ctx/rootfs/bin/$a"; done
printf 'FROM scratch\nCOPY rootfs/ /\nCMD ["sleep","3600"]\n' >"$ctx/Dockerfile"
check "build the busybox image" env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t ddaudit/bb "$ctx"

# name | docker run flags. A container that cannot start here is created.
mkdir -p "$W/data"
CASES=(
  "plain|"
  "hardened|--read-only --memory 64m --cpu-shares 512 --pids-limit 50 --security-opt no-new-privileges --restart on-failure:3 --ulimit nofile=1024:2048 --health-cmd true --health-interval 2s"
  "hostnet|--network host"
  "ports|-p 80:80 -p 127.0.0.1:8080:8080"
  "hostns|--pid host --ipc host --uts host"
  "caps|--cap-add SYS_ADMIN --cap-add CHOWN"
  "mounts|-v /etc:/hostetc -v /usr:/hostusr:ro"
  "sock|-v $DD_DIR/docker.sock:/var/run/docker.sock"
  "seccomp|--security-opt seccomp=unconfined"
  "devices|--device /dev/null:/dev/xnull"
  "restart|--restart on-failure:10"
  "cpus|--cpus 0.5 --memory 32m"
  "userns|--userns host"
  "sshd|--entrypoint /bin/sh ddaudit/bb -c 'exec -a /usr/sbin/sshd sleep 3600'"
  "shared|--mount type=bind,source=$W/data,target=/data,bind-propagation=rshared"
  "privileged|--privileged"
  "cgroup|--cgroup-parent /ddaudit-parent"
)
running=()
created=()
for spec in "${CASES[@]}"; do
  name=${spec%%|*}
  flags=${spec#*|}
  image=ddaudit/bb
  [[ "$flags" == *"ddaudit/bb"* ]] && image=""
  if [[ "$name" != privileged ]] && eval "D run -d --name $name $flags $image" >/dev/null 2>"$W/err"; then
    running+=("$name")
  else
    D rm -f "$name" >/dev/null 2>&1
    if eval "D create --name $name $flags $image" >/dev/null 2>"$W/err"; then
      created+=("$name")
    else
      notok "create $name: $(head -1 "$W/err")"
    fi
  fi
done
echo "# running: ${running[*]}"
echo "# created: ${created[*]}"
(( ${#running[@]} + ${#created[@]} >= 12 )) && ok "≥ 12 containers" || notok "fewer than 12 containers"
# The hardened container's first health check (interval 2s): wait until
# docker reports a status other than "starting", up to 60 s, rather than a
# fixed sleep that a loaded machine can outrun.
for ((i = 0; i < 120; i++)); do
  hs=$(D inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' hardened 2>/dev/null)
  [[ -n "$hs" && "$hs" != starting ]] && break
  sleep 0.5
done

J=$W/drydock.json
check "drydock containers --all --format json" bash -c "'$DRYDOCK' containers --all --format json -o '$J'"
RUNNING_JSON=$W/drydock-running.json
"$DRYDOCK" containers --format json -o "$RUNNING_JSON" 2>/dev/null

# Each setting and the verdict it must produce (drydock-only assertions).
expect() {  # container check status
  check "$2 on $1 is $3" "$PY" - "$J" "$1" "$2" "$3" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
got = [o["status"] for o in doc.get("outcomes", []) if o["target"] == sys.argv[2] and o["id"] == sys.argv[3]]
if got != [sys.argv[4]]:
    sys.exit(f"{sys.argv[3]} {sys.argv[2]}: got {got}, want {sys.argv[4]}")
PYEOF
}
expect plain 5.5 PASS;        expect privileged 5.5 WARN
expect plain 5.4 PASS;        expect caps 5.4 WARN
expect mounts 5.6 WARN;       expect plain 5.6 PASS
expect sshd 5.7 WARN;         expect plain 5.7 PASS
expect ports 5.8 WARN;        expect ports 5.9 WARN;     expect plain 5.9 PASS
expect hostnet 5.10 WARN;     expect plain 5.10 PASS
expect plain 5.11 WARN;       expect hardened 5.11 PASS
expect plain 5.12 WARN;       expect hardened 5.12 PASS; expect cpus 5.12 PASS
expect plain 5.13 WARN;       expect hardened 5.13 PASS
expect ports 5.14 WARN
expect restart 5.15 WARN;     expect hardened 5.15 PASS
expect hostns 5.16 WARN;      expect hostns 5.17 WARN;   expect hostns 5.21 WARN
expect devices 5.18 INFO;     expect plain 5.18 PASS
expect hardened 5.19 PASS;    expect plain 5.19 INFO
expect seccomp 5.22 WARN;     expect plain 5.22 PASS
expect hardened 5.26 PASS;    expect plain 5.26 WARN
expect hardened 5.27 PASS;    expect plain 5.27 WARN
expect hardened 5.29 PASS;    expect plain 5.29 WARN
expect sock 5.32 WARN;        expect plain 5.32 PASS
expect userns 5.31 WARN
expect shared 5.20 WARN
expect cgroup 5.25 WARN
expect plain 5.23 NOTE
# §4 on the image the containers run (ddaudit/bb: no USER, no HEALTHCHECK, COPY only).
expect plain 4.1 WARN;        expect hardened 4.1 WARN
expect ddaudit/bb:latest 4.6 WARN; expect ddaudit/bb:latest 4.7 PASS
expect ddaudit/bb:latest 4.9 PASS; expect ddaudit/bb:latest 4.10 PASS
expect daemon 4.5 WARN;       expect daemon 4.8 NOTE
check "--user 1000 passes 4.1" bash -c "
'$DOCKER_CLI' run -d --name asuser --user 1000:1000 ddaudit/bb >/dev/null &&
'$DRYDOCK' containers asuser --format json | '$PY' -c '
import json,sys; d=json.load(sys.stdin); s={(o[\"id\"],o[\"target\"]): o[\"status\"] for o in d[\"outcomes\"]}
assert s[(\"4.1\",\"asuser\")] == \"PASS\", s'; rc=\$?; '$DOCKER_CLI' rm -f asuser >/dev/null; exit \$rc"
check "5.1 swarm is judged once for the daemon" "$PY" -c "
import json; d = json.load(open('$J'))
s = [o for o in d['outcomes'] if o['id'] == '5.1']
assert len(s) == 1 and s[0]['target'] == 'daemon' and s[0]['status'] == 'PASS', s"
check "created containers are audited only with --all" "$PY" -c "
import json; d = json.load(open('$RUNNING_JSON'))
t = {o['target'] for o in d['outcomes']}
assert 'privileged' not in t and 'plain' in t, t"
check "--skip 5.10,5.31 --only 5 exclude and include" bash -c "
'$DRYDOCK' containers --all --only 5 --skip 5.10,5.31 --format json | '$PY' -c '
import json,sys; d=json.load(sys.stdin); ids={o[\"id\"] for o in d[\"outcomes\"]}
assert \"5.10\" not in ids and \"5.31\" not in ids and \"5.4\" in ids, ids'"
check "named containers only" bash -c "
'$DRYDOCK' containers plain caps --format json | '$PY' -c '
import json,sys; d=json.load(sys.stdin); t={o[\"target\"] for o in d[\"outcomes\"]}
assert t == {\"plain\",\"caps\",\"daemon\",\"ddaudit/bb:latest\"}, t'"
check "--exit-code with --severity CRITICAL gates on privileged" bash -c "
'$DRYDOCK' containers --all --severity CRITICAL --exit-code 3 -q >/dev/null; [[ \$? == 3 ]]"
check "junit: one testcase per check per container" bash -c "
'$DRYDOCK' containers --all --format junit | '$PY' -c '
import sys, xml.etree.ElementTree as ET
r = ET.fromstring(sys.stdin.read()); cases = r.findall(\".//testcase\")
fails = r.findall(\".//failure\"); assert len(cases) >= 12*31 and fails, (len(cases), len(fails))'"
check "sarif: pass and fail results" bash -c "
'$DRYDOCK' containers --all --format sarif | '$PY' -c '
import json,sys; d=json.load(sys.stdin); kinds={r[\"kind\"] for r in d[\"runs\"][0][\"results\"]}
assert {\"pass\",\"fail\"} <= kinds, kinds'"
check "table names the CIS ids" bash -c "'$DRYDOCK' containers --all | grep -q '5.32'"
check "host: live audit runs against this daemon" bash -c "'$DRYDOCK' host --format json | '$PY' -c '
import json,sys; d=json.load(sys.stdin); ids={o[\"id\"]:o for o in d[\"outcomes\"]}
assert ids[\"7.1\"][\"status\"] == \"N/A\" and ids[\"6.2\"][\"status\"] == \"INFO\", ids[\"7.1\"]'"

# ---- differential test against Docker Bench for Security ----
if [[ ! -f "$PEER/docker-bench-security.sh" ]]; then
  skip "Docker Bench comparison: ../shared/peers/docker-bench-security absent"
  finish
fi
cp -r "$PEER" "$W/bench"
run_bench() {  # log
  (cd "$W/bench" && PATH=$(dirname "$(command -v "$DOCKER_CLI")"):$PATH sh docker-bench-security.sh \
    -c container_images,container_runtime -l "$1" >/dev/null 2>&1)
}
run_bench "$W/bench.log"
if [[ ! -s "$W/bench.log.json" ]]; then
  notok "Docker Bench produced no JSON log"
  finish
fi
ok "Docker Bench ran on the same daemon"
check "agreement with Docker Bench equals the documented differences" \
  "$PY" "$ROOT/tests/integration/audit_compare.py" "$W/bench.log.json" "$RUNNING_JSON" "$ROOT/docs/cis-differences.md" \
  "$(D ps --format '{{.ID}} {{.Names}}' --no-trunc | tr '\n' ';')"
"$PY" "$ROOT/tests/integration/audit_compare.py" "$W/bench.log.json" "$RUNNING_JSON" "$ROOT/docs/cis-differences.md" \
  "$(D ps --format '{{.ID}} {{.Names}}' --no-trunc | tr '\n' ';')" --table | sed 's/^/# /'

# ---- 50 running containers: drydock vs Docker Bench, one run each ----
if [[ "${AUDIT_TIMING:-1}" == 1 ]]; then
  n=$(D ps -q | wc -l)
  for ((i = n; i < 50; i++)); do D run -d --name "bulk$i" ddaudit/bb >/dev/null 2>&1; done
  n=$(D ps -q | wc -l)
  t0=$(date +%s.%N)
  "$DRYDOCK" containers --format json -o "$W/t.json"
  t1=$(date +%s.%N)
  run_bench "$W/bench50.log"
  t2=$(date +%s.%N)
  echo "# timing: $n running containers: drydock $(echo "$t1 - $t0" | bc) s, Docker Bench (container_runtime) $(echo "$t2 - $t1" | bc) s"
  check "50-container audit covered every running container" "$PY" -c "
import json; d=json.load(open('$W/t.json')); t={o['target'] for o in d['outcomes'] if o['id'].startswith('5.')} - {'daemon'}
assert len(t) == $n, (len(t), $n)"
fi
finish
