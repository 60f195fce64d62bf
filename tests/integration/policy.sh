#!/usr/bin/env bash
# Suppression end to end (docs/policy.md): a FROM-scratch image built with a
# private dockerd — a Debian 11 dpkg database with openssl, libssl1.1 and curl
# at vulnerable versions (the in-repo Debian tracker fixture gives them
# CVE-2023-0286 and CVE-2023-27533) and a GitHub token in a second layer — is
# scanned with ignore files (the default .drydockignore / .trivyignore in the
# working directory, --ignorefile, expiry under DRYDOCK_TODAY), an ignore
# policy (a purl version range that must not reach libssl1.1, a path glob, a
# layer diff_id, a malformed file), and VEX documents (OpenVEX not_affected,
# the image as product with a subcomponent, a later `affected` overriding,
# CycloneDX 1.6; every VEX input validated against its schema). Then the
# reports: the table's summary and --show-suppressed, the JSON `suppressed`
# array, SARIF (schema-valid, external suppressions), CycloneDX (schema-valid,
# analysis states), and --exit-code 1 passing when every finding is
# suppressed.
#
#   tests/integration/policy.sh DRYDOCK_BINARY
#
# Last line: "policy: N passed, N failed[, N skipped]" or "skipped: why".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
T_NAME=policy
T_CHECK_LINES=40
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"

workdir /tmp/dd-policy.XXXXXX DRYDOCK_POLICY_KEEP
export DRYDOCK_CACHE_DIR=$W/cache
unset DRYDOCK_TODAY
FIX=$ROOT/tests/testdata/policy

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"

# ---- the image --------------------------------------------------------------------
# A GitHub token (ghp_ + 30 base62 + their CRC32 checksum), from a fixed seed
# (DRYDOCK_TEST_SEED overrides it).
TOKEN=$("$PY" -c 'import os,random,string,zlib; R=random.Random(int(os.environ.get("DRYDOCK_TEST_SEED") or 20261207)); a=string.ascii_letters+string.digits; b="".join(R.choice(a) for _ in range(30)); v=zlib.crc32(b.encode()); B="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"; print("ghp_"+b+"".join(B[v//62**i%62] for i in range(5,-1,-1)))')
ctx=$W/ctx
mkdir -p "$ctx/base/etc" "$ctx/base/var/lib/dpkg" "$ctx/app/app/config"
cat >"$ctx/base/etc/os-release" <<'EOF'
PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"
ID=debian
VERSION_ID="11"
VERSION_CODENAME=bullseye
EOF
stanza() { # stanza NAME VERSION [SOURCE]
  printf 'Package: %s\nStatus: install ok installed\nArchitecture: amd64\n' "$1"
  [[ -n "${3:-}" ]] && printf 'Source: %s\n' "$3"
  printf 'Version: %s\nDescription: test\n\n' "$2"
}
{
  stanza openssl 1.1.1n-0+deb11u3
  stanza libssl1.1 1.1.1n-0+deb11u3 openssl
  stanza curl 7.74.0-1.3+deb11u3
} >"$ctx/base/var/lib/dpkg/status"
echo "GITHUB_TOKEN=$TOKEN" >"$ctx/app/app/config/test.env"
cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY base/ /
COPY app/ /
CMD ["/app/run"]
EOF
check "db import of the in-repo Debian tracker fixture" "$DRYDOCK" db import "$ROOT/tests/testdata/vuln/debian-json"
check "docker build (legacy builder, FROM scratch)" \
  env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t dd-policy-app:1 "$ctx"
check "docker save" "$DOCKER_CLI" save dd-policy-app:1 -o "$W/app.tar"
[[ -s "$W/app.tar" ]] || finish
IMAGE_ID=$("$DOCKER_CLI" inspect -f '{{.Id}}' dd-policy-app:1)
IMAGE_HEX=${IMAGE_ID#sha256:}

# scan NAME [flags...]: scans the image with $SCANNERS (default all three)
# from $RUN_DIR (default $W) into $W/NAME.out (stdout) and $W/NAME.err;
# prints the exit status.
scan() {
  local name=$1
  shift
  (cd "${RUN_DIR:-$W}" && "$DRYDOCK" image "$W/app.tar" --scanners "${SCANNERS:-vuln,secret,misconfig}" \
    --no-progress "$@") \
    >"$W/$name.out" 2>"$W/$name.err"
  echo $?
}
# jcheck DESCRIPTION NAME PYTHON: runs PYTHON with `r` bound to the JSON report
# in $W/NAME.out and helpers: vulns(list) -> sorted (package, id); sup(r) ->
# {(package or rule, id): suppression}.
jcheck() {
  local desc=$1 name=$2 code=$3
  check "$desc" "$PY" -c "
import json, sys
r = json.load(open('$W/$name.out'))
def key(f):
    v = f.get('vulnerability')
    return (v['package'], v['id']) if v else (f['rule_id'], f['location'].get('path', f['location'].get('config_field', '')))
def vulns(fs):
    return sorted(key(f) for f in fs if f.get('vulnerability'))
def sup(r):
    return {key(f): f['suppression'] for f in r['suppressed']}
def want(what, got, expected):
    assert got == expected, f'{what}: got {got!r}, want {expected!r}'
$code
"
}
one_line() { # one_line FILE REGEX: FILE is one line matching REGEX
  [[ $(wc -l <"$1") == 1 ]] && grep -Eq "$2" "$1" || { cat "$1"; return 1; }
}

ALL="[('curl', 'CVE-2023-0286'), ('curl', 'CVE-2023-27533'), ('libssl1.1', 'CVE-2023-0286'), ('openssl', 'CVE-2023-0286')]"

# ---- the baseline --------------------------------------------------------------------
rc=$(scan base --format json)
check "baseline: exit 0" [ "$rc" = 0 ]
jcheck "baseline: four vulnerabilities, a token, nothing suppressed, schema_version 2" base "
want('vulns', vulns(r['findings']), $ALL)
assert any(f['kind'] == 'secret' and f['location']['path'] == '/app/config/test.env' for f in r['findings'])
want('suppressed', r['suppressed'], [])
want('schema_version', r['schema_version'], 2)"
LAYER2=$("$PY" -c "import json; print(json.load(open('$W/base.out'))['artifact']['layers'][1]['diff_id'])")
rc=$(scan base-gate --format json --exit-code 1)
check "baseline: --exit-code 1 fails the gate" [ "$rc" = 1 ]

# ---- ignore files --------------------------------------------------------------------
mkdir -p "$W/cwd-trivy" "$W/cwd-both"
printf '# curl is built without TELNET\nCVE-2023-27533\n' >"$W/cwd-trivy/.trivyignore"
cp "$W/cwd-trivy/.trivyignore" "$W/cwd-both/.trivyignore"
printf 'CVE-2023-0286 # not reachable\n' >"$W/cwd-both/.drydockignore"
rc=$(RUN_DIR=$W/cwd-trivy scan trivyignore --format json)
jcheck "a .trivyignore in the working directory is read when there is no .drydockignore" trivyignore "
want('suppressed', sorted(sup(r)), [('curl', 'CVE-2023-27533')])
s = sup(r)[('curl', 'CVE-2023-27533')]
want('suppression', (s['kind'], s['source'], s['reason']), ('ignorefile', '.trivyignore:2', 'listed in .trivyignore'))"
rc=$(RUN_DIR=$W/cwd-both scan both --format json)
jcheck ".drydockignore wins over .trivyignore (only one is read); every package of the id" both "
want('suppressed', vulns(r['suppressed']), [('curl', 'CVE-2023-0286'), ('libssl1.1', 'CVE-2023-0286'), ('openssl', 'CVE-2023-0286')])
want('kept', vulns(r['findings']), [('curl', 'CVE-2023-27533')])
want('reason', sup(r)[('openssl', 'CVE-2023-0286')]['reason'], 'not reachable')"
printf 'CVE-2023-27533 exp:2024-01-31\n%s\n' "$(cd "$W" && "$PY" -c "
import json
r = json.load(open('base.out'))
print([f['id'] for f in r['findings'] if f['kind'] == 'secret'][0])")" >"$W/exp.ignore"
rc=$(DRYDOCK_TODAY=2024-01-30 scan exp-before --format json --ignorefile "$W/exp.ignore")
jcheck "exp:2024-01-31 still suppresses on 2024-01-30; a fingerprint suppresses its finding" exp-before "
want('suppressed', sorted(sup(r)), [('DD-SECRET-github-pat', '/app/config/test.env'), ('curl', 'CVE-2023-27533')])
want('expires', sup(r)[('curl', 'CVE-2023-27533')]['expires'], '2024-01-31')"
check "exp: no warning before the date" bash -c '[[ ! -s "$1" ]] || { cat "$1"; exit 1; }' _ "$W/exp-before.err"
rc=$(DRYDOCK_TODAY=2024-01-31 scan exp-on --format json --ignorefile "$W/exp.ignore")
jcheck "exp:2024-01-31 no longer suppresses on 2024-01-31 (Trivy's rule)" exp-on "
want('suppressed', sorted(sup(r)), [('DD-SECRET-github-pat', '/app/config/test.env')])"
check "exp: one warning naming file:line" \
  one_line "$W/exp-on.err" "^drydock: warning: .*/exp\.ignore:1: CVE-2023-27533 expired on 2024-01-31; it no longer suppresses$"
rc=$(DRYDOCK_TODAY=2024-01-31 scan exp-quiet --format json --quiet --ignorefile "$W/exp.ignore")
check "exp: --quiet silences the warning" bash -c '[[ ! -s "$1" ]]' _ "$W/exp-quiet.err"
printf 'CVE-2023-27533 exp:2024-02-30\n' >"$W/bad-date.ignore"
rc=$(scan bad-date --format json --ignorefile "$W/bad-date.ignore")
check "an impossible date: exit 2" [ "$rc" = 2 ]
check "an impossible date: one line naming file:line and why" \
  one_line "$W/bad-date.err" "^drydock: .*/bad-date\.ignore:1: exp: 2024-02-30: February 2024 has 29 days$"
rc=$(DRYDOCK_TODAY=tomorrow scan bad-today --format json)
check "DRYDOCK_TODAY that is not a date: exit 2, one line" \
  bash -c '[[ $1 == 2 ]] && [[ $(wc -l <"$2") == 1 ]] && grep -q DRYDOCK_TODAY "$2"' _ "$rc" "$W/bad-today.err"

# ---- the ignore policy ---------------------------------------------------------------
cat >"$W/range.yaml" <<'EOF'
ignore:
  - purl: pkg:deb/debian/openssl
    versions: "< 1.1.1n-0+deb11u4"
    reason: rebuilt with the fix backported
EOF
rc=$(scan range --format json --ignore-policy "$W/range.yaml")
jcheck "a purl range suppresses openssl, not libssl1.1 (same source, same version) nor curl" range "
want('suppressed', vulns(r['suppressed']), [('openssl', 'CVE-2023-0286')])
s = sup(r)[('openssl', 'CVE-2023-0286')]
want('suppression', s, {'kind': 'policy', 'source': '$W/range.yaml:2 (ignore[0])', 'reason': 'rebuilt with the fix backported'})"
sed 's/deb11u4/deb11u3/' "$W/range.yaml" >"$W/range-bound.yaml"
rc=$(scan range-bound --format json --ignore-policy "$W/range-bound.yaml")
jcheck "the range's bound itself is outside it" range-bound "want('suppressed', r['suppressed'], [])"
cat >"$W/where.yaml" <<EOF
ignore:
  - path: /app/config/**
    reason: test credentials, revoked
  - layer: $LAYER2
    reason: the app layer is rebuilt nightly
    expires: 2099-01-01
EOF
rc=$(scan where --format json --ignore-policy "$W/where.yaml")
jcheck "a path glob and a layer diff_id (first matching entry wins)" where "
s = sup(r)
want('token', s[('DD-SECRET-github-pat', '/app/config/test.env')]['reason'], 'test credentials, revoked')
assert all(k[0] == 'DD-SECRET-github-pat' or v['reason'] == 'the app layer is rebuilt nightly' for k, v in s.items()), s
want('vulns kept', vulns(r['findings']), $ALL)"
printf 'ignore:\n  - layer: %s\n    reason: the app layer is rebuilt nightly\n' "$LAYER2" >"$W/layer.yaml"
rc=$(scan layer --format json --ignore-policy "$W/layer.yaml")
jcheck "a layer diff_id alone: the token in that layer, not the packages of the first" layer "
s = sup(r)
want('token', s[('DD-SECRET-github-pat', '/app/config/test.env')]['reason'], 'the app layer is rebuilt nightly')
want('vulns kept', vulns(r['findings']), $ALL)"
printf 'ignore:\n  - id: CVE-2023-0286\n    expires: 2025-01-01\n' >"$W/bad.yaml"
rc=$(scan bad-policy --format json --ignore-policy "$W/bad.yaml")
check "a policy entry without a reason: exit 2, one line naming file:line" \
  bash -c '[[ $1 == 2 ]] && grep -Eq "^drydock: .*/bad\.yaml:2: ignore\[0\]: reason: required" "$2" && [[ $(wc -l <"$2") == 1 ]]' \
  _ "$rc" "$W/bad-policy.err"
check "and no report written" bash -c '[[ ! -s "$1" ]]' _ "$W/bad-policy.out"

# ---- VEX -----------------------------------------------------------------------------
D=sha256%3A$IMAGE_HEX
cat >"$W/image.vex.json" <<EOF
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/dd-policy-app",
  "author": "drydock tests",
  "timestamp": "2024-05-01T00:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2023-0286"},
     "products": [{"@id": "pkg:oci/dd-policy-app@$D", "subcomponents": [{"@id": "pkg:deb/debian/libssl1.1"}]}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
     "impact_statement": "the service never parses X.400 names"},
    {"vulnerability": {"name": "CVE-2023-27533"},
     "products": [{"@id": "pkg:oci/dd-policy-app@sha256%3A$(printf 'f%.0s' {1..64})",
                   "subcomponents": [{"@id": "pkg:deb/debian/curl"}]}],
     "status": "not_affected", "justification": "component_not_present"},
    {"vulnerability": {"name": "CVE-2023-0286"},
     "products": [{"@id": "pkg:deb/debian/curl@7.74.0-1.3%2Bdeb11u3"}],
     "status": "fixed", "status_notes": "curl does not call the X.400 code"}
  ]
}
EOF
check "every VEX input validates against its schema (OpenVEX 0.2.0, CycloneDX 1.5/1.6)" \
  "$ROOT/tests/validate_vex.sh" "$W/image.vex.json" "$FIX/openvex-not-affected.json" \
  "$FIX/openvex-later-affected.json" "$FIX/cyclonedx-1.6-vex.json" "$FIX/cyclonedx-1.5-vex.json"
rc=$(scan vex-na --format json --vex "$FIX/openvex-not-affected.json")
jcheck "OpenVEX not_affected for any openssl: openssl only, with the impact statement" vex-na "
want('suppressed', vulns(r['suppressed']), [('openssl', 'CVE-2023-0286')])
s = sup(r)[('openssl', 'CVE-2023-0286')]
want('kind', (s['kind'], s['status'], s['justification']), ('vex', 'not_affected', 'vulnerable_code_not_in_execute_path'))
want('reason', s['reason'], 'X.400 addresses in GeneralName are never parsed by this service')
assert s['source'].endswith('openvex-not-affected.json: statements[0]'), s"
rc=$(scan vex-image --format json --vex "$W/image.vex.json")
jcheck "the image as product (by its image id) with libssl1.1 as subcomponent; a versioned purl; another image's statement does not apply" vex-image "
want('suppressed', vulns(r['suppressed']), [('curl', 'CVE-2023-0286'), ('libssl1.1', 'CVE-2023-0286')])
want('fixed', sup(r)[('curl', 'CVE-2023-0286')]['status'], 'fixed')"
rc=$(scan vex-later --format json --vex "$FIX/openvex-later-affected.json" --vex "$FIX/openvex-not-affected.json")
jcheck "a later 'affected' overrides an earlier not_affected, whatever the file order" vex-later "
want('suppressed', r['suppressed'], [])
notes = {key(f): f.get('vex', {}).get('status') for f in r['findings'] if f.get('vulnerability')}
want('note', notes[('openssl', 'CVE-2023-0286')], 'affected')"
rc=$(scan vex-cdx --format json --vex "$FIX/cyclonedx-1.6-vex.json")
jcheck "CycloneDX 1.6 VEX: bom-refs to purls (one of them versioned)" vex-cdx "
want('suppressed', vulns(r['suppressed']), [('curl', 'CVE-2023-27533'), ('openssl', 'CVE-2023-0286')])
want('states', sorted(v['status'] for v in sup(r).values()), ['fixed', 'not_affected'])"

# ---- the reports -----------------------------------------------------------------------
flags=(--ignore-policy "$W/range.yaml" --vex "$W/image.vex.json" --ignorefile "$FIX/drydockignore")
rc=$(scan table --format table "${flags[@]}")
check "table: the summary line says how many were suppressed, and none is listed" bash -c '
  grep -q "^Total: .*, 4 suppressed (--show-suppressed lists them)$" "$1" && ! grep -q "^Suppressed (" "$1" ||
    { cat "$1"; exit 1; }' _ "$W/table.out"
rc=$(scan table-shown --format table --show-suppressed "${flags[@]}")
check "table --show-suppressed: each with what, by which source, where and why" bash -c '
  f=$1
  grep -q "^Suppressed (4)$" "$f" &&
  grep -Eq "HIGH +CVE-2023-0286 +openssl 1\.1\.1n-0\+deb11u3 +policy +.*range\.yaml:2 \(ignore\[0\]\) +rebuilt with the fix backported" "$f" &&
  grep -Eq "CVE-2023-0286 +libssl1\.1 .* +vex +.*image\.vex\.json: statements\[0\] +the service never parses X\.400 names \[vulnerable_code_not_in_execute_path\]" "$f" &&
  grep -Eq "CVE-2023-27533 +curl .* +ignorefile +.*drydockignore:2 +curl is built without TELNET" "$f" &&
  grep -q "^Total: .*, 4 suppressed$" "$f" || { cat "$f"; exit 1; }' _ "$W/table-shown.out"
rc=$(scan sarif --format sarif "${flags[@]}")
check "SARIF validates against the 2.1.0 schema" "$ROOT/tests/validate_sarif.sh" "$W/sarif.out"
check "SARIF: suppressed results carry an external, accepted suppression with the reason" "$PY" -c "
import json
r = json.load(open('$W/sarif.out'))['runs'][0]['results']
sup = [x for x in r if x.get('suppressions')]
assert len(sup) == 4, len(sup)
for x in sup:
    s = x['suppressions'][0]
    assert s['kind'] == 'external' and s['status'] == 'accepted' and s['justification'], s
assert any('rebuilt with the fix backported' in x['suppressions'][0]['justification'] for x in sup)
assert len(r) - len(sup) >= 1  # the token and the misconfigurations remain"
rc=$(scan cdx --format cyclonedx "${flags[@]}")
check "CycloneDX validates against the 1.6 schema" "$ROOT/tests/validate_sbom.sh" "$W/cdx.out"
check "CycloneDX: suppressed vulnerabilities carry their analysis state" "$PY" -c "
import json
d = json.load(open('$W/cdx.out'))
comp = {c['bom-ref']: c['name'] for c in d['components']}
a = {(comp[v['affects'][0]['ref']], v['id']): v.get('analysis', {}) for v in d['vulnerabilities']}
assert a[('libssl1.1', 'CVE-2023-0286')]['state'] == 'not_affected', a
assert a[('libssl1.1', 'CVE-2023-0286')]['justification'] == 'code_not_reachable', a
assert a[('openssl', 'CVE-2023-0286')]['state'] == 'not_affected' and 'rebuilt' in a[('openssl', 'CVE-2023-0286')]['detail'], a
assert a[('curl', 'CVE-2023-27533')]['state'] == 'not_affected', a
assert a[('curl', 'CVE-2023-0286')]['state'] == 'resolved', a"
cp "$W/cdx.out" "$W/as-vex.cdx.json"
rc=$(scan cdx-roundtrip --format json --vex "$W/as-vex.cdx.json")
jcheck "drydock's own CycloneDX output read back as VEX suppresses the same vulnerabilities" cdx-roundtrip "
want('suppressed', vulns(r['suppressed']), $ALL)"

# ---- the gate ----------------------------------------------------------------------------
rc=$(SCANNERS=vuln scan gate-some --format json --exit-code 1 "${flags[@]:0:4}")
check "--exit-code 1 fails while a finding is left" [ "$rc" = 1 ]
rc=$(SCANNERS=vuln scan gate-all --format json --exit-code 1 "${flags[@]}")
check "--exit-code 1 passes when every finding is suppressed" [ "$rc" = 0 ]
jcheck "and the report still lists them, suppressed" gate-all "
want('findings', r['findings'], [])
want('suppressed', vulns(r['suppressed']), $ALL)
want('summary', r['summary'], {'CRITICAL': 0, 'HIGH': 0, 'MEDIUM': 0, 'LOW': 0, 'UNKNOWN': 0})"

finish
