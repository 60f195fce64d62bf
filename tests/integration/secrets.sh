#!/usr/bin/env bash
# Secrets end to end: an image built on a private dockerd (FROM scratch,
# busybox) with ≥ 40 planted secrets of distinct kinds across layers, a file a
# later layer deletes, one it overwrites, ENV, LABEL and a build ARG (history),
# plus ≥ 40 bait strings; `docker save` to a tar, scanned with
# `--scanners secret`. Asserts 100% recall and zero bait reported, that no
# output format (table, json, sarif, cyclonedx, junit when accepted) holds any
# planted value, --exit-code, and --secret-config (disable, allow, add). The
# fixtures come from a fixed seed (DRYDOCK_TEST_SEED overrides it).
#
#   tests/integration/secrets.sh DRYDOCK_BINARY
#
# Last line: "secrets: N passed, N failed[, N skipped]" or "skipped: why".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
FIX=$ROOT/tests/integration/secret_fixtures.py
T_NAME=secrets
T_CHECK_LINES=30
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
need_static_busybox

workdir /tmp/dd-sec.XXXXXX

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"

ctx=$W/ctx
mkdir -p "$ctx/rootfs/bin"
cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
for a in sh rm echo; do ln -s busybox "$ctx/rootfs/bin/$a"; done
check "fixtures generated" "$PY" "$FIX" "$ctx"
mapfile -t build_args <"$ctx/build-args"
check "docker build (legacy builder, FROM scratch)" \
  env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q "${build_args[@]}" -t dd-secrets:1 "$ctx"
check "docker save" "$DOCKER_CLI" save dd-secrets:1 -o "$W/image.tar"
[[ -s "$W/image.tar" ]] || finish

# ---- recall and bait ---------------------------------------------------------
"$DRYDOCK" image "$W/image.tar" --scanners secret --format json -o "$W/report.json" -q
rc=$?
[[ $rc == 0 ]] && ok "json scan exits 0 without --exit-code" || notok "json scan exits 0 (got $rc)"
check "recall 100% of planted secrets, zero bait reported" "$PY" "$FIX" check "$ctx/planted.json" "$W/report.json"
"$PY" "$FIX" check "$ctx/planted.json" "$W/report.json" | head -1 | sed 's/^/# /'
check "secret findings carry layer, path and line" "$PY" - "$W/report.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [f["rule_id"] for f in r["findings"] if f["kind"] == "secret" and f["location"].get("path")
       and (f["location"].get("layer_index") is None or not f["location"].get("line") or not f["location"].get("diff_id"))]
deleted = [f for f in r["findings"] if f["location"].get("path") == "/app/deleted.env"]
assert not bad, bad
assert deleted and deleted[0]["location"]["layer_index"] == 1, deleted
PYEOF

# ---- no full secret in any format --------------------------------------------
formats=(table json sarif cyclonedx)
"$DRYDOCK" image "$W/image.tar" --scanners secret --format junit -o "$W/probe.junit" -q 2>/dev/null && formats+=(junit)
for f in "${formats[@]}"; do
  "$DRYDOCK" image "$W/image.tar" --scanners secret,misconfig --format "$f" -o "$W/out.$f" -q
  check "$f: no planted value in the output" "$PY" - "$ctx/planted.json" "$W/out.$f" <<'PYEOF'
import json, sys
planted = json.load(open(sys.argv[1]))["planted"]
text = open(sys.argv[2], encoding="utf-8", errors="replace").read()
leaks = [p["rule"] for p in planted if p["value"] in text]
assert not leaks, f"{len(leaks)} planted values in the output: {leaks}"
assert "****" in text or sys.argv[2].endswith(".cyclonedx"), "no redacted evidence at all"
PYEOF
done
check "table shows the redacted match and +N more" grep -q '\*\*\*\*' "$W/out.table"

# ---- gating ------------------------------------------------------------------
"$DRYDOCK" image "$W/image.tar" --scanners secret --exit-code 3 -o /dev/null -q
rc=$?
[[ $rc == 3 ]] && ok "--exit-code 3 with secrets found" || notok "--exit-code 3 (got $rc)"
"$DRYDOCK" image "$W/image.tar" --scanners secret --severity LOW --exit-code 3 -o /dev/null -q
rc=$?
[[ $rc == 0 ]] && ok "--severity LOW filters every secret out: exit 0" || notok "--severity LOW (got $rc)"

# ---- --secret-config ---------------------------------------------------------
cat >"$W/rules.yaml" <<'YEOF'
rules:
  - id: acme-internal-token
    title: ACME internal token
    severity: HIGH
    keywords: [acme_int_]
    regex: 'acme_int_[a-z0-9]{24}'
disable: [github-pat]
allow:
  paths: ['^/app/pay/']
YEOF
mkdir -p "$W/rootfs/app/pay"
echo "t=acme_int_q8w7e6r5t4y3u2i1o9p8a7s6" >"$W/rootfs/app/acme.txt"
echo "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" >"$W/rootfs/app/gh.txt"
echo "sk_live_Q7mZr2LxW9vKp4TnB8sYc1Hd" >"$W/rootfs/app/pay/stripe.txt"
"$DRYDOCK" image "dir:$W/rootfs" --scanners secret --secret-config "$W/rules.yaml" --format json -o "$W/cfg.json" -q
check "--secret-config adds, disables and allows" "$PY" - "$W/cfg.json" <<'PYEOF'
import json, sys
ids = sorted(f["rule_id"] for f in json.load(open(sys.argv[1]))["findings"])
assert ids == ["DD-SECRET-acme-internal-token"], ids
PYEOF
echo "rules: [" >"$W/bad.yaml"
out=$("$DRYDOCK" image "dir:$W/rootfs" --scanners secret --secret-config "$W/bad.yaml" -q 2>&1 >/dev/null)
rc=$?
[[ $rc == 2 && $(wc -l <<<"$out") == 1 ]] && ok "malformed --secret-config: exit 2, one line" ||
  notok "malformed --secret-config (rc $rc): $out"

# ---- structured secrets: key stores, Kubernetes manifests, base64 JWTs --------
# A real PKCS#12 file from openssl (and a .pfx copy: the same bytes, one
# finding), a text file named .p12 (not reported), a Secret manifest in either
# key order beside a ConfigMap that is not one, and a base64-wrapped JWT.
st=$W/structured
mkdir -p "$st/app/certs" "$st/app/deploy"
if openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=dd-test -days 2 \
  -keyout "$W/k.pem" -out "$W/c.pem" >/dev/null 2>&1 &&
  openssl pkcs12 -export -inkey "$W/k.pem" -in "$W/c.pem" -passout pass:dd-test \
    -out "$st/app/certs/client.p12" >/dev/null 2>&1; then
  cp "$st/app/certs/client.p12" "$st/app/certs/SERVER.PFX"
  echo "placeholder, the real one is mounted at run time" >"$st/app/certs/mounted.p12"
  "$PY" - "$st/app/deploy" <<'PYEOF'
import base64, os, sys
d = sys.argv[1]
b = lambda s: base64.b64encode(s.encode()).decode()
u = lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")
open(os.path.join(d, "secret.yaml"), "w").write(
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  conn: %s\n  user: %s\n---\n"
    "apiVersion: v1\ndata:\n  conn: %s\nkind: Secret\n" % (b("Qm7-x9Lr2#vTp4Wz"), b("admin"), b("Zr8!kQ2mVx7pL3nT")))
open(os.path.join(d, "config.yaml"), "w").write("apiVersion: v1\nkind: ConfigMap\ndata:\n  conn: %s\n" % b("Wq3@nB8vLz5mK1rY"))
jwt = u('{"alg":"RS256","typ":"JWT"}') + "." + u('{"sub":"deploy-bot","iat":1700000000}') + ".x7Rk2Lp9Vm4Tz8Wn3Bq6Yc1Hd5Fg0JsQ"
open(os.path.join(d, "token.env"), "w").write("AUTH_B64=%s\n" % b(jwt))
PYEOF
  "$DRYDOCK" image "dir:$st" --scanners secret --format json -o "$W/structured.json" -q
  check "structured secrets: PKCS#12 files, Secret data in either order, base64 JWT" "$PY" - "$W/structured.json" <<'PYEOF'
import json, sys
fs = json.load(open(sys.argv[1]))["findings"]
got = sorted((f["rule_id"][len("DD-SECRET-"):], f["location"]["path"]) for f in fs)
want = sorted([("pkcs12-file", "/app/certs/SERVER.PFX"), ("kubernetes-secret-yaml", "/app/deploy/secret.yaml"),
               ("kubernetes-secret-yaml", "/app/deploy/secret.yaml"), ("jwt-base64", "/app/deploy/token.env")])
assert got == want, got
p12 = [f for f in fs if f["rule_id"] == "DD-SECRET-pkcs12-file"][0]
assert [l["path"] for l in p12.get("more_locations", [])] == ["/app/certs/client.p12"], p12
PYEOF
else
  notok "openssl could not make a PKCS#12 file"
fi

finish
