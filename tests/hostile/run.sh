#!/bin/bash
# The hostile-input suite: builds the corpus (tests/hostile/make_corpus.py)
# into a fresh temp dir and runs drydock on every case (run_cases.py says
# what is checked: exit status, the one stderr line, no crash, hang,
# sanitizer report, unbounded memory or write outside the output file).
#
#   tests/hostile/run.sh DRYDOCK_BINARY [CASE_NAME_REGEX]
#
# Works with a release binary (run under a 4 GB address-space limit) and an
# ASan/UBSan one (sanitizer limits instead). HOSTILE_KEEP=1 keeps the temp dir.
# Exit status: 0 when every case passed, 1 otherwise, 2 on a usage error.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: tests/hostile/run.sh DRYDOCK_BINARY [CASE_NAME_REGEX]" >&2
  exit 2
fi
bin=$(readlink -f "$1")
if [[ ! -x $bin ]]; then
  echo "tests/hostile/run.sh: $1: not an executable" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/drydock-hostile.XXXXXX")
cleanup() {
  if [[ ${HOSTILE_KEEP:-0} == 1 ]]; then
    echo "# kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

"$py" "$here/make_corpus.py" "$tmp/corpus"
mkdir -p "$tmp/work"
"$py" "$here/run_cases.py" "$bin" "$tmp/corpus" "$tmp/work" ${2:+"$2"}
