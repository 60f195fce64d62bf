#!/usr/bin/env bash
# Integration test of `drydock dockerfile` and `drydock compose`.
#
#   tests/integration/lint.sh [DRYDOCK_BINARY]     (default: build/drydock)
#
# (a) Lints the Dockerfile corpus (tests/testdata/dockerfiles) and the compose
#     project: JSON parses, SARIF validates against the 2.1.0 schema, the
#     table names files with line:column, --severity/--exit-code gate, inline
#     ignores work, hostile input exits 2 with one line.
# (b) On a private dockerd, builds FROM-scratch Dockerfiles with the classic
#     builder (DOCKER_BUILDKIT=0) and checks that the instructions drydock
#     splits (--dump-instructions) are the "Step N/M : …" lines Docker runs.
# (c) Compares the merged compose model with `docker-compose config` when
#     docker-compose is installed.
# Ends with "lint: N passed, N failed[, N skipped]".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
CORPUS=$ROOT/tests/testdata/dockerfiles
COMPOSE=$ROOT/tests/testdata/compose/project
T_NAME=lint
T_CHECK_LINES=20
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-${DRYDOCK:-$ROOT/build/drydock}}"
workdir /tmp/dd-lint.XXXXXX

# ---- (a) corpus, formats, gates -------------------------------------------
mapfile -t files < <(ls "$CORPUS"/*.Dockerfile)
check "corpus has >= 100 Dockerfiles (${#files[@]})" test "${#files[@]}" -ge 100

"$DRYDOCK" dockerfile "${files[@]}" --format json -o "$W/corpus.json"
rc=$?
check "json over the corpus exits 0 (rc=$rc)" test "$rc" -eq 0
check "json report parses and every finding has file, line, column, rule" "$PY" - "$W/corpus.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scanners"] == ["dockerfile"], d["scanners"]
fs = d["findings"]
assert len(fs) > 100, len(fs)
for f in fs:
    loc = f["location"]
    assert loc["path"].endswith(".Dockerfile"), loc
    assert loc["line"] >= 1 and loc["column"] >= 1, loc
    assert f["rule_id"].startswith("DD-DF-"), f["rule_id"]
    assert f["remediation"] and f["references"], f["rule_id"]
PY

"$DRYDOCK" dockerfile "${files[@]}" --format sarif -o "$W/corpus.sarif"
out=$(bash "$ROOT/tests/validate_sarif.sh" "$W/corpus.sarif" 2>&1)
rc=$?
if [[ $rc -eq 77 || "$out" == skipped* ]]; then skip "sarif schema validation: $out"; elif [[ $rc -eq 0 ]]; then ok "sarif validates against the 2.1.0 schema"; else notok "sarif validates"; sed 's/^/#   /' <<<"$out" | head; fi
check "sarif regions carry line and column" "$PY" -c "
import json,sys
d=json.load(open('$W/corpus.sarif'))
r=d['runs'][0]['results']
assert r and all(x['locations'][0]['physicalLocation']['region']['startColumn']>=1 for x in r)
"

table=$("$DRYDOCK" dockerfile "$CORPUS/091-legacy-plain.Dockerfile")
check "table shows file:line:column and no image header" bash -c '
grep -q "091-legacy-plain.Dockerfile:2:1" <<<"$1" && grep -q "DD-DF-013" <<<"$1" && ! grep -q "Image ID" <<<"$1"' _ "$table"

cat >"$W/Dockerfile" <<'DF'
FROM debian:latest
RUN apt-get update && apt-get install -y curl
# drydock ignore=DD-DF-081
RUN curl -k https://example.invalid/x
ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8sKd01Rr
DF
"$DRYDOCK" dockerfile "$W" --severity CRITICAL --exit-code 3 -q >/dev/null
rc=$?
check "--severity CRITICAL --exit-code 3 gates on the ENV secret (rc=$rc)" test "$rc" -eq 3
"$DRYDOCK" dockerfile "$W/Dockerfile" --severity UNKNOWN --exit-code 3 >/dev/null
rc=$?
check "nothing at UNKNOWN: exit 0 (rc=$rc)" test "$rc" -eq 0
json=$("$DRYDOCK" dockerfile "$W/Dockerfile" -f json)
check "inline ignore drops DD-DF-081; the secret is redacted" bash -c '
! grep -q DD-DF-081 <<<"$1" && grep -q DD-DF-073 <<<"$1" && ! grep -q "bPxRfiCYzq8sKd01" <<<"$1"' _ "$json"
check "stdin (-) is read" bash -c "printf 'FROM x\nMAINTAINER me\n' | '$DRYDOCK' dockerfile - -f json | grep -q DD-DF-013"
check "--trusted-registries flags other registries" bash -c "
printf 'FROM quay.io/x/y:1\n' > '$W/t.Dockerfile'
'$DRYDOCK' dockerfile '$W/t.Dockerfile' --trusted-registries docker.io,ghcr.io -f json | grep -q DD-DF-005"

check "--trusted-registries wildcards cover subdomains; COPY --from=IMAGE is checked" bash -c "
printf 'FROM reg.example.com/x/y:1\nCOPY --from=quay.io/a/b:1 /x /x\n' > '$W/w.Dockerfile'
out=\$('$DRYDOCK' dockerfile '$W/w.Dockerfile' --trusted-registries '*.example.com' -f json)
[[ \$(grep -o '\"DD-DF-005\"' <<<\"\$out\" | wc -l) -eq 1 ]] && grep -q quay.io <<<\"\$out\""
printf 'FROM x:1\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\nONBUILD RUN apt-get install -y wget\n' >"$W/p.Dockerfile"
json=$("$DRYDOCK" dockerfile "$W/p.Dockerfile" -f json)
check "# hadolint ignore=DL3008 drops DD-DF-031 on the next RUN; ONBUILD RUN is linted" "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
lines = sorted(f["location"]["line"] for f in d["findings"] if f["rule_id"] == "DD-DF-031")
assert lines == [4], lines
' "$json"
check "--forbid-inline-ignores reports the pragma (DL1001)" bash -c "
'$DRYDOCK' dockerfile '$W/p.Dockerfile' --forbid-inline-ignores -f json | grep -q DD-DF-086"
check "--require-label NAME:TYPE checks every stage's labels" bash -c "
printf 'FROM x:1\nLABEL org.opencontainers.image.source=not-a-url\n' > '$W/l.Dockerfile'
out=\$('$DRYDOCK' dockerfile '$W/l.Dockerfile' --require-label org.opencontainers.image.source:url --require-label maintainer:email -f json)
grep -q DD-DF-092 <<<\"\$out\" && grep -q DD-DF-089 <<<\"\$out\" && ! '$DRYDOCK' dockerfile '$W/l.Dockerfile' -f json | grep -q DD-DF-09"
err=$("$DRYDOCK" dockerfile "$W/l.Dockerfile" --require-label x:colour 2>&1 >/dev/null)
rc=$?
check "--require-label with an unknown type: exit 2, one line (rc=$rc)" bash -c '[[ $1 -eq 2 && $(wc -l <<<"$2") -eq 1 && $2 == *colour* ]]' _ "$rc" "$err"
printf 'FROM x\nRUN <<EOF\necho never ends\n' >"$W/bad.Dockerfile"
err=$("$DRYDOCK" dockerfile "$W/bad.Dockerfile" 2>&1 >/dev/null)
rc=$?
check "unterminated heredoc: exit 2, one line (rc=$rc)" bash -c '[[ $1 -eq 2 && $(wc -l <<<"$2") -eq 1 && $2 == *unterminated* ]]' _ "$rc" "$err"
err=$("$DRYDOCK" dockerfile "$W/missing" 2>&1 >/dev/null)
rc=$?
check "missing file: exit 2 (rc=$rc)" test "$rc" -eq 2
err=$("$DRYDOCK" dockerfile "$W/Dockerfile" -f cyclonedx 2>&1 >/dev/null)
rc=$?
check "unsupported format: exit 2 (rc=$rc)" test "$rc" -eq 2

# compose
(cd "$COMPOSE" && "$DRYDOCK" compose compose.yaml compose.override.yaml -f json -o "$W/compose.json")
rc=$?
check "compose project lints (rc=$rc)" test "$rc" -eq 0
check "compose findings name file, line and service" "$PY" - "$W/compose.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {(f["rule_id"], f["location"].get("config_field", "")): f for f in d["findings"]}
priv = by[("DD-CMP-001", "services.web.privileged")]
assert priv["location"]["path"] == "compose.override.yaml" and priv["location"]["line"] == 6, priv["location"]
assert ("DD-CMP-018", "services.db.ports") in by  # postgres published on 0.0.0.0 by the override
assert ("DD-CMP-019", "services.db.environment.POSTGRES_PASSWORD") in by  # from extends in base.yaml
assert ("DD-CMP-021", "services.worker.restart") in by  # from the merge key through extends
assert "fromfile123" not in json.dumps(d)
PY
"$DRYDOCK" compose "$COMPOSE/compose.yaml" -f sarif -o "$W/compose.sarif"
out=$(bash "$ROOT/tests/validate_sarif.sh" "$W/compose.sarif" 2>&1)
rc=$?
if [[ $rc -eq 77 || "$out" == skipped* ]]; then skip "compose sarif validation: $out"; elif [[ $rc -eq 0 ]]; then ok "compose sarif validates"; else notok "compose sarif validates"; sed 's/^/#   /' <<<"$out" | head; fi
printf 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nservices: {s: {image: "a:1", x: *g}}\n' >"$W/bomb.yml"
start=$(date +%s%N)
err=$(timeout 20 "$DRYDOCK" compose "$W/bomb.yml" 2>&1 >/dev/null)
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "YAML alias bomb: exit 2 in ${ms} ms (rc=$rc)" bash -c '[[ $1 -eq 2 && $2 == *alias* && $3 -lt 5000 ]]' _ "$rc" "$err" "$ms"

# ---- (b) instruction splitting vs the classic builder -----------------------
if start_dockerd; then
  mkdir -p "$W/ctx/rootfs/bin"
  cp /bin/busybox "$W/ctx/rootfs/bin/busybox" 2>/dev/null || true
  for a in sh echo true; do ln -sf busybox "$W/ctx/rootfs/bin/$a"; done
  for df in "$CORPUS"/oracle/*.Dockerfile; do
    name=$(basename "$df" .Dockerfile)
    if [[ ! -x "$W/ctx/rootfs/bin/busybox" ]]; then skip "$name: no static busybox"; continue; fi
    cp "$df" "$W/ctx/Dockerfile"
    if ! DOCKER_BUILDKIT=0 "$DOCKER_CLI" build --no-cache -t "dd-lint-$name" "$W/ctx" >"$W/$name.log" 2>&1; then
      notok "$name: docker build failed"
      sed 's/^/#   /' "$W/$name.log" | tail -5
      continue
    fi
    "$DRYDOCK" dockerfile --dump-instructions "$W/ctx/Dockerfile" >"$W/$name.dump"
    check "$name: drydock splits instructions as docker's classic builder runs them" "$PY" - "$W/$name.log" "$W/$name.dump" <<'PY'
import json, re, sys
norm = lambda s: " ".join(s.split())
steps = [norm(m.group(1)) for m in re.finditer(r"Step \d+/\d+ : (.*)$", open(sys.argv[1]).read().replace("\r", "\n"), re.M)]
ours = [norm(json.loads(l)["text"]) for l in open(sys.argv[2]) if l.strip()]
if steps != ours:
    print("docker:", steps)
    print("drydock:", ours)
    sys.exit(1)
PY
  done
else
  skip "docker oracle: cannot start a private dockerd: $DD_WHY"
fi

# ---- (c) compose merge vs docker-compose config ------------------------------
if command -v docker-compose >/dev/null 2>&1; then
  (cd "$COMPOSE" && env -u QUEUE -u NGINX_TAG docker-compose -f compose.yaml -f compose.override.yaml config) >"$W/dc.yml" 2>"$W/dc.err"
  rc=$?
  (cd "$COMPOSE" && env -u QUEUE -u NGINX_TAG "$DRYDOCK" compose --dump-model compose.yaml compose.override.yaml) >"$W/dd-model.json"
  if [[ $rc -ne 0 ]]; then
    skip "docker-compose config failed: $(head -c 300 "$W/dc.err")"
  else
    check "merged compose model matches docker-compose config (image, env, ports, caps, command, restart, privileged)" \
      "$PY" - "$W/dc.yml" "$W/dd-model.json" <<'PY'
import json, re, sys, yaml
dc = yaml.safe_load(open(sys.argv[1]))["services"]
dd = json.load(open(sys.argv[2]))["services"]
def env(v):
    if isinstance(v, list):
        v = dict(e.split("=", 1) if "=" in e else (e, None) for e in v)
    # `config` re-escapes a literal $ as $$ in its output.
    return {k: (None if x is None else str(x).replace("$$", "$")) for k, x in (v or {}).items()}
def ports(v):
    out = set()
    for p in v or []:
        if isinstance(p, dict):
            out.add((str(p.get("published", "")), str(p.get("target", ""))))
        else:
            parts = str(p).split("/")[0].split(":")
            out.add((parts[-2] if len(parts) > 1 else "", parts[-1]))
    return out
def flag(v):
    return str(v).lower() in ("true", "1", "yes")
bad = []
assert set(dc) == set(dd), (sorted(dc), sorted(dd))
for name in dc:
    a, b = dc[name], dd[name]
    checks = {
        "image": (a.get("image"), b.get("image")),
        "restart": (a.get("restart"), b.get("restart")),
        "privileged": (flag(a.get("privileged")), flag(b.get("privileged"))),
        "environment": (env(a.get("environment")), env(b.get("environment"))),
        "ports": (ports(a.get("ports")), ports(b.get("ports"))),
        "cap_add": (set(a.get("cap_add") or []), set(b.get("cap_add") or [])),
        "cap_drop": (set(a.get("cap_drop") or []), set(b.get("cap_drop") or [])),
        "command": (a.get("command"), b.get("command")),
    }
    for k, (x, y) in checks.items():
        if x != y:
            bad.append("%s.%s: docker-compose %r, drydock %r" % (name, k, x, y))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
  fi
else
  skip "compose oracle: docker-compose is not installed (Debian 12 has only v1; the merge is covered by the unit tests)"
fi

finish
