#!/usr/bin/env bash
# inventory-binaries: drydock's binary catalogers against real tools.
#   tests/integration/inventory_binaries.sh DRYDOCK
# In a temporary directory (removed on exit):
#   Go     a small program with real module dependencies, served offline by a
#          file:// module proxy built here (a plain dep, a module path with
#          capitals, a module replaced by another module, a directory
#          replacement), built three ways (plain; -trimpath -ldflags="-s -w";
#          -buildvcs=false); drydock's golang packages of each must equal what
#          `go version -m` says (module path and version of the mod and dep
#          lines, a replacement standing for what it replaces, and the Go
#          version as the stdlib package and go.version). Same for a Go binary
#          Debian ships (docker, skopeo or umoci). Then the trimmed binary
#          and the plain one with their .go.buildinfo section removed (`go
#          version` can no longer read them): drydock must still find the same
#          Go version, the main module (trimmed build), and dependencies whose
#          versions agree with `go version -m`.
#   Generic  binaries and libraries Debian ships (busybox, bash, libcrypto,
#          libcurl, curl, libperl, zlib, libpython, ssh when installed), copied
#          with mode 0755 as a source install would leave them: drydock's
#          version for each product must equal the upstream part of the
#          version dpkg gives the package that owns the file.
#   Java   Debian's commons-lang3 jar, alone and nested two levels deep in a
#          Spring Boot style jar: coordinates from its pom.properties, version
#          equal to dpkg's, license from its manifest, inner paths.
# Ends with "inventory-binaries: N passed, N failed".
set -uo pipefail

drydock=${1:?usage: inventory_binaries.sh DRYDOCK}
drydock=$(cd "$(dirname "$drydock")" && pwd)/$(basename "$drydock")
py=/usr/bin/python3
T_NAME=inventory-binaries
T_OK="PASS "
T_NOTOK="FAIL "
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
workdir
tmp=$W

for tool in go objcopy dpkg-query "$py"; do
  command -v "$tool" >/dev/null 2>&1 || { notok "tool $tool is missing (scripts/deps --test installs it)"; finish; }
done

# drydock's packages of dir:DIR, one "type<TAB>full name<TAB>version<TAB>metadata json<TAB>inner" line
# each, sorted; the report's diagnostics go to DIR.diag.
drydock_list() {
  "$drydock" image "dir:$1" --list-all-pkgs --format json 2>"$1.stderr" | "$py" -c '
import json, sys
d = json.load(sys.stdin)
with open(sys.argv[1], "w") as f:
    for x in d.get("diagnostics", []):
        f.write(x["where"] + ": " + x["message"] + "\n")
for p in d["packages"]:
    full = (p.get("namespace") + ("/" if p["type"] != "maven" else ":") if p.get("namespace") else "") + p["name"]
    inner = ",".join(e.get("inner", "") for e in p["evidence"])
    print("\t".join([p["type"], full, p.get("version", ""), json.dumps(p.get("metadata") or {}, sort_keys=True),
                     inner, ",".join(p.get("licenses") or [])]))
' "$1.diag" | LC_ALL=C sort
}

# ------------------------------------------------------------------------ Go
go_dir=$tmp/go
mkdir -p "$go_dir"
export GOPATH=$go_dir/gopath GOCACHE=$go_dir/cache GOPROXY=file://$go_dir/proxy GOSUMDB=off GOFLAGS=-modcacherw \
  CGO_ENABLED=0 GO111MODULE=on GOTOOLCHAIN=local GOWORK=off

# A module proxy on disk: MODULE VERSION DECLARED-PATH FILE CONTENT.
"$py" - "$go_dir/proxy" <<'EOF'
import json, os, sys, zipfile
root = sys.argv[1]
def esc(p):
    return "".join("!" + c.lower() if c.isupper() else c for c in p)
def module(path, version, declared, name, body):
    d = os.path.join(root, esc(path), "@v")
    os.makedirs(d, exist_ok=True)
    gomod = "module %s\n\ngo 1.19\n" % declared
    with open(os.path.join(d, "list"), "a") as f:
        f.write(version + "\n")
    with open(os.path.join(d, version + ".info"), "w") as f:
        json.dump({"Version": version, "Time": "2023-06-01T00:00:00Z"}, f)
    with open(os.path.join(d, version + ".mod"), "w") as f:
        f.write(gomod)
    with zipfile.ZipFile(os.path.join(d, version + ".zip"), "w") as z:
        prefix = "%s@%s/" % (path, version)
        z.writestr(prefix + "go.mod", gomod)
        z.writestr(prefix + name, body)
noinline = "//go:noinline\n"
module("example.org/greet", "v1.4.0", "example.org/greet", "greet.go",
       "package greet\n\n" + noinline + "func Hello(n string) string { return \"hello \" + n }\n")
module("example.org/MixedCase/kit", "v0.2.1", "example.org/MixedCase/kit", "kit.go",
       "package kit\n\n" + noinline + "func Twice(n int) int { return 2 * n }\n")
module("example.org/old", "v1.0.0", "example.org/old", "old.go",
       "package old\n\n" + noinline + "func Name() string { return \"old\" }\n")
module("example.org/new", "v1.0.1", "example.org/old", "old.go",
       "package old\n\n" + noinline + "func Name() string { return \"new\" }\n")
EOF
mkdir -p "$go_dir/app" "$go_dir/local" "$go_dir/bins/plain" "$go_dir/bins/trim" "$go_dir/bins/novcs" \
  "$go_dir/bins/nobuildinfo" "$go_dir/bins/debian"
cat >"$go_dir/local/go.mod" <<'EOF'
module example.com/local

go 1.19
EOF
cat >"$go_dir/local/local.go" <<'EOF'
package local

//go:noinline
func Three() int { return 3 }
EOF
cat >"$go_dir/app/go.mod" <<'EOF'
module example.com/app

go 1.19

require (
	example.com/local v0.0.0
	example.org/MixedCase/kit v0.2.1
	example.org/greet v1.4.0
	example.org/old v1.0.0
)

replace example.org/old => example.org/new v1.0.1

replace example.com/local => ../local
EOF
cat >"$go_dir/app/main.go" <<'EOF'
package main

import (
	"fmt"

	"example.com/local"
	"example.org/MixedCase/kit"
	"example.org/greet"
	"example.org/old"
)

func main() { fmt.Println(greet.Hello(old.Name()), kit.Twice(local.Three())) }
EOF
if (cd "$go_dir/app" && go mod tidy >"$go_dir/build.log" 2>&1 &&
  go build -o ../bins/plain/app . >>"$go_dir/build.log" 2>&1 &&
  go build -trimpath -ldflags="-s -w" -o ../bins/trim/app . >>"$go_dir/build.log" 2>&1 &&
  go build -buildvcs=false -o ../bins/novcs/app . >>"$go_dir/build.log" 2>&1); then
  ok "go builds the test program offline from the file:// module proxy (plain, -trimpath -s -w, -buildvcs=false)"
else
  sed 's/^/    /' "$go_dir/build.log"
  notok "go builds the test program offline from the file:// module proxy"
  finish
fi
objcopy --remove-section .go.buildinfo "$go_dir/bins/trim/app" "$go_dir/bins/nobuildinfo/app"
mkdir -p "$go_dir/bins/nobuildinfo-plain"
objcopy --remove-section .go.buildinfo "$go_dir/bins/plain/app" "$go_dir/bins/nobuildinfo-plain/app"
debian_go=""
for b in /usr/bin/docker /usr/bin/skopeo /usr/bin/umoci; do
  if [[ -x $b ]] && go version -m "$b" >/dev/null 2>&1; then
    debian_go=$b
    break
  fi
done
[[ -n $debian_go ]] && cp "$debian_go" "$go_dir/bins/debian/"

# What `go version -m BIN` says, in drydock's terms: one "golang<TAB>path<TAB>version" line per module
# (a replacement by a module stands for what it replaces; a directory replacement leaves the version
# empty; "(devel)" is no version), plus stdlib at the Go version in semver form, sorted.
# With "raw" as $2, replacements are ignored: each dep line as written.
go_expected() {
  go version -m "$1" | "$py" -c '
import re, sys
lines = sys.stdin.read().splitlines()
go = lines[0].split(": ", 1)[1].strip()
out, last = [], None
for l in lines[1:]:
    f = l.strip("\t").split("\t")
    if f[0] in ("mod", "dep"):
        last = [f[1], "" if f[2] == "(devel)" else f[2]]
        out.append(last)
    elif f[0] == "=>" and last is not None and sys.argv[1] != "raw":
        if f[1].startswith(("./", "../", "/")):
            last[1] = ""
        else:
            last[0], last[1] = f[1], f[2]
        last = None
m = re.match(r"go(\d+)\.(\d+)(?:\.(\d+))?$", go)
out.append(["stdlib", "v%s.%s.%s" % (m.group(1), m.group(2), m.group(3) or "0")])
for path, version in sorted(out):
    print("golang\t%s\t%s" % (path, version))
print("go.version\t" + go)
' "${2:-}" | LC_ALL=C sort
}
# drydock's golang packages of DIR in the same form; every go.version must be one value.
go_got() {
  drydock_list "$1" | "$py" -c '
import json, sys
versions = set()
for l in sys.stdin:
    t, name, version, md, inner, lic = l.rstrip("\n").split("\t")
    if t != "golang":
        continue
    md = json.loads(md)
    print("golang\t%s\t%s" % (name, version))
    versions.add(md.get("go.version", "(none)"))
for v in versions:
    print("go.version\t" + v)
' | LC_ALL=C sort
}

for kind in plain trim novcs; do
  want=$(go_expected "$go_dir/bins/$kind/app")
  got=$(go_got "$go_dir/bins/$kind")
  same "go ($kind build): drydock's modules and Go version equal go version -m ($(grep -c '^golang' <<<"$want") modules)" \
    "$want" "$got"
done
if [[ -n $debian_go ]]; then
  want=$(go_expected "$debian_go")
  got=$(go_got "$go_dir/bins/debian")
  same "go (Debian's $(basename "$debian_go")): drydock's modules and Go version equal go version -m" "$want" "$got"
else
  notok "a Go binary from Debian (docker.io, skopeo or umoci; scripts/deps --test installs them)"
fi

# The binary without build info: go cannot read it, drydock recovers the rest.
if go version "$go_dir/bins/nobuildinfo/app" 2>&1 | grep -q "could not read Go build info"; then
  ok "go version cannot read the binary whose .go.buildinfo was removed"
else
  notok "go version cannot read the binary whose .go.buildinfo was removed"
fi
want=$(go_expected "$go_dir/bins/trim/app")
got=$(go_got "$go_dir/bins/nobuildinfo")
same "go (no build info): the Go version recovered from runtime.buildVersion" \
  "$(grep -E '^(go.version|golang.stdlib)' <<<"$want")" "$(grep -E '^(go.version|golang.stdlib)' <<<"$got")"
same "go (no build info): the main module guessed from the -trimpath file table" \
  "golang	example.com/app	" "$(grep -F 'golang	example.com/app	' <<<"$got")"
# Recovered dependencies: -trimpath names a module's files path@version as
# the dep line requires it (a replacement leaves no trace there), so each must
# be a dep line of go version -m as written.
raw=$(go_expected "$go_dir/bins/trim/app" raw)
rec=$(grep -vE '^(go.version|golang.stdlib|golang.example.com/app.)' <<<"$got")
missing=$(LC_ALL=C comm -13 <(echo "$raw") <(echo "$rec"))
if [[ -z $missing && $(grep -c . <<<"$rec") -ge 4 ]]; then
  ok "go (no build info): $(grep -c . <<<"$rec") dependencies recovered from the pclntab, as go version -m's dep lines"
else
  notok "go (no build info): dependencies recovered from the pclntab, as go version -m's dep lines"
  echo "    recovered: $rec" | head -5
  echo "    not in go version -m: $missing"
fi

# Without -trimpath the files are in the module cache, whose directory names
# the module actually built (a replacement's own path and version); the main
# module's files are local paths, so it stays unknown.
want=$(go_expected "$go_dir/bins/plain/app")
got=$(go_got "$go_dir/bins/nobuildinfo-plain")
rec=$(grep -vE '^(go.version|golang.stdlib)' <<<"$got")
missing=$(LC_ALL=C comm -13 <(echo "$want") <(echo "$rec"))
if [[ -z $missing && $(grep -c . <<<"$rec") -ge 3 ]] && grep -q "example.org/new	v1.0.1" <<<"$rec"; then
  ok "go (no build info, no -trimpath): $(grep -c . <<<"$rec") modules from module cache paths, replacements as built"
else
  notok "go (no build info, no -trimpath): modules from module cache paths, replacements as built"
  echo "    recovered: $rec" | head -5
  echo "    not in go version -m: $missing"
fi

# ------------------------------------------------------------------- generic
gen=$tmp/generic
mkdir -p "$gen"
# FILE PRODUCT: the file is copied in when installed.
lib=/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
candidates=(
  "/usr/bin/busybox busybox"
  "/bin/bash bash"
  "$lib/libcrypto.so.3 openssl"
  "$lib/libcurl.so.4 curl"
  "/usr/bin/curl curl"
  "$lib/libperl.so.5.36 perl"
  "$lib/libz.so.1 zlib"
  "$lib/libpython3.11.so.1.0 python"
  "/usr/bin/ssh openssh"
)
declare -A want_version=()
n=0
for c in "${candidates[@]}"; do
  read -r file product <<<"$c"
  [[ -e $file ]] || continue
  real=$(readlink -f "$file")
  owner=$(dpkg-query -S "$real" 2>/dev/null || dpkg-query -S "${real#/usr}" 2>/dev/null)
  pkg=${owner%%:*}
  [[ -n $pkg ]] || continue
  dv=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)
  # Upstream part: no epoch, no Debian revision, no repack suffix.
  up=${dv#*:}
  up=${up%-*}
  up=${up%%[.+~]dfsg*}
  n=$((n + 1))
  mkdir -p "$gen/$n"
  # A source install leaves its binaries and libraries mode 0755.
  install -m 0755 "$real" "$gen/$n/$(basename "$file")"
  want_version[$n]="$product $up ($pkg $dv)"
done
if ((n < 4)); then
  notok "at least four Debian binaries to compare (busybox-static, bash, libssl3, libcurl4 are test dependencies)"
fi
for ((i = 1; i <= n; i++)); do
  read -r product up rest <<<"${want_version[$i]}"
  file=$(ls "$gen/$i")
  got=$(drydock_list "$gen/$i" | awk -F'\t' -v p="$product" '$1 == "generic" && $2 == p { print $3 }')
  same "generic: $file is $product $up as dpkg says $rest" "$up" "$got"
done

# ---------------------------------------------------------------------- Java
jar=/usr/share/java/commons-lang3.jar
if [[ -f $jar ]] && dpkg-query -S "$jar" >/dev/null 2>&1; then
  pkg=$(dpkg-query -S "$jar" | cut -d: -f1)
  dv=$(dpkg-query -W -f='${Version}' "$pkg")
  up=${dv%%-*}
  mkdir -p "$tmp/java/plain" "$tmp/java/nested"
  cp "$jar" "$tmp/java/plain/"
  "$py" - "$jar" "$tmp/java/nested/app.jar" <<'EOF'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
with zipfile.ZipFile(dst + ".mid", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("lib/commons-lang3-3.12.0.jar", data)
mid = open(dst + ".mid", "rb").read()
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.JarLauncher\r\n\r\n")
    z.writestr("META-INF/maven/com.example/demo/pom.properties", "groupId=com.example\nartifactId=demo\nversion=0.0.1\n")
    z.writestr("BOOT-INF/lib/middle.jar", mid, compress_type=zipfile.ZIP_STORED)
EOF
  rm -f "$tmp/java/nested/app.jar.mid"
  lic=$("$py" -c '
import sys, zipfile
mf = zipfile.ZipFile(sys.argv[1]).read("META-INF/MANIFEST.MF").decode().replace("\r\n", "\n").replace("\n ", "")
print(next((l.split(": ", 1)[1] for l in mf.split("\n") if l.lower().startswith("bundle-license:")), ""))
' "$jar")
  got=$(drydock_list "$tmp/java/plain" | awk -F'\t' '$1 == "maven" { print $2 "@" $3 " " $6 }')
  same "java: commons-lang3.jar is org.apache.commons:commons-lang3 $up as dpkg says ($pkg $dv), license from its manifest" \
    "org.apache.commons:commons-lang3@$up $lic" "$got"
  got=$(drydock_list "$tmp/java/nested" | awk -F'\t' '$1 == "maven" { print $2 "@" $3 " inner=" $5 }')
  same "java: the same jar nested two levels deep keeps its inner path" \
    "com.example:demo@0.0.1 inner=
org.apache.commons:commons-lang3@$up inner=BOOT-INF/lib/middle.jar!/lib/commons-lang3-3.12.0.jar" "$got"
else
  notok "java: /usr/share/java/commons-lang3.jar (libcommons-lang3-java; scripts/deps --test installs it)"
fi

finish
