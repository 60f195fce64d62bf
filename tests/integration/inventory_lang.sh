#!/usr/bin/env bash
# Language package inventory against the real tools:
#   npm     a real `npm install` tree: drydock's npm packages from node_modules,
#           and from the package-lock.json alone, equal `npm ls --all --json`.
#   python  real dist-info/egg-info directories (Debian's dist-packages):
#           drydock's pypi packages equal importlib.metadata.distributions().
#   ruby    (when ruby is installed) real installed gemspecs: drydock's gems
#           equal what Gem::Specification.load reads from them.
# Usage: tests/integration/inventory_lang.sh DRYDOCK
# Prints one line per check and ends with "inventory-lang: N passed, N failed".
set -uo pipefail

drydock=${1:?usage: inventory_lang.sh DRYDOCK}
py=/usr/bin/python3
T_NAME=inventory-lang
T_OK="ok   "
T_NOTOK="FAIL "
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
workdir
tmp=$W
# A language whose tool is not installed is noted, not counted.
skip() { echo "skip $1"; }

# Sorted "name@version" lines of drydock's packages of TYPE in dir:DIR,
# optionally only those one CATALOGER found.
drydock_set() {
  local dir=$1 type=$2 cataloger=${3:-}
  "$drydock" image "dir:$dir" --list-all-pkgs --format json >"$tmp/report.json" 2>"$tmp/report.err" || {
    echo "drydock failed: $(cat "$tmp/report.err")"
    return 1
  }
  "$py" - "$tmp/report.json" "$type" "$cataloger" <<'EOF'
import json, re, sys
report, want_type, cataloger = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
out = set()
for p in report.get("packages", []):
    if p["type"] != want_type:
        continue
    if cataloger and not any(e["cataloger"] == cataloger for e in p["evidence"]):
        continue
    name = (p["namespace"] + "/" if p.get("namespace") else "") + p["name"]
    if want_type == "pypi":  # PEP 503
        name = re.sub(r"[-_.]+", "-", name).lower()
    out.add(f"{name}@{p['version']}")
print("\n".join(sorted(out)))
EOF
}

# Compares two sorted sets; names the differences on failure.
compare() {
  local what=$1 want=$2 got=$3
  if [[ -z $want ]]; then
    notok "$what: the real tool listed nothing"
  elif [[ $want == "$got" ]]; then
    ok "$what ($(wc -l <<<"$want") packages)"
  else
    notok "$what"
    detail "$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | sed 's/^</missing:/; s/^>/extra:  /')"
  fi
}

# ---- npm -------------------------------------------------------------------------------
if command -v npm >/dev/null 2>&1; then
  mkdir -p "$tmp/npm"
  cat >"$tmp/npm/package.json" <<'EOF'
{
  "name": "drydock-inventory-fixture",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "@types/node": "20.11.30",
    "chalk": "4.1.2",
    "debug": "4.3.4",
    "semver": "7.5.4",
    "@babel/code-frame": "7.24.7"
  },
  "devDependencies": {
    "ms": "2.1.3"
  }
}
EOF
  if (cd "$tmp/npm" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >"$tmp/npm.log" 2>&1); then
    want=$(cd "$tmp/npm" && npm ls --all --json 2>/dev/null | "$py" -c '
import json, sys
seen = set()
def walk(node):
    for name, dep in (node.get("dependencies") or {}).items():
        if "version" in dep:
            seen.add(name + "@" + dep["version"])
        walk(dep)
walk(json.load(sys.stdin))
print("\n".join(sorted(seen)))')
    got=$(drydock_set "$tmp/npm" npm npm-package)
    compare "npm: node_modules tree equals npm ls --all" "$want" "$got"
    mkdir -p "$tmp/npm-lock"
    cp "$tmp/npm/package-lock.json" "$tmp/npm-lock/"
    got=$(drydock_set "$tmp/npm-lock" npm npm-package-lock)
    compare "npm: package-lock.json alone equals npm ls --all" "$want" "$got"
  else
    notok "npm: npm install failed"
    detail "$(tail -5 "$tmp/npm.log")"
  fi
else
  skip "npm: npm is not installed"
fi

# ---- python ----------------------------------------------------------------------------
site_src=/usr/lib/python3/dist-packages
if [[ -d $site_src ]] && compgen -G "$site_src/*.dist-info" >/dev/null; then
  mkdir -p "$tmp/site"
  # Every installed distribution Debian's python3 has: dist-info and
  # egg-info directories and egg-info files.
  for d in "$site_src"/*.dist-info "$site_src"/*.egg-info; do
    [[ -e $d ]] && cp -r "$d" "$tmp/site/"
  done
  want=$("$py" - "$tmp/site" <<'EOF'
import importlib.metadata as m, re, sys
out = set()
for d in m.distributions(path=[sys.argv[1]]):
    name = d.metadata["Name"]
    if name and d.version:
        out.add(re.sub(r"[-_.]+", "-", name).lower() + "@" + d.version)
print("\n".join(sorted(out)))
EOF
)
  got=$(drydock_set "$tmp/site" pypi)
  compare "python: dist-info/egg-info equal importlib.metadata" "$want" "$got"
else
  skip "python: no dist-packages directory with dist-info to copy"
fi

# ---- ruby (optional) ---------------------------------------------------------------------
if command -v ruby >/dev/null 2>&1; then
  mkdir -p "$tmp/gems/specifications"
  while IFS= read -r f; do cp "$f" "$tmp/gems/specifications/"; done < <(
    ruby -e 'puts Gem::Specification.dirs.flat_map { |d| Dir[File.join(d, "*.gemspec")] }' 2>/dev/null)
  if compgen -G "$tmp/gems/specifications/*.gemspec" >/dev/null; then
    want=$(ruby -e 'Dir[File.join(ARGV[0], "*.gemspec")].each { |f| s = Gem::Specification.load(f); puts "#{s.name}@#{s.version}" if s }' \
      "$tmp/gems/specifications" | sort -u)
    got=$(drydock_set "$tmp/gems" gem)
    compare "ruby: installed gemspecs equal Gem::Specification.load" "$want" "$got"
  else
    skip "ruby: no installed gemspecs to compare"
  fi
else
  skip "ruby: ruby is not installed"
fi

finish
