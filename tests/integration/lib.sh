# shellcheck shell=bash
# What the integration scripts share: the pass/fail/skip counters and their
# result lines, the check/same helpers, the closing summary line scripts/test
# parses, skip_or_fail, a work dir and a private dockerd (scripts/lib/dockerd.sh),
# both removed on exit.
#
#   T_NAME=harden                         # the name on the summary line
#   source "$(dirname "$0")/lib.sh"
#   need_drydock "$1"                     # sets DRYDOCK (absolute) or skips
#   workdir /tmp/dd-harden.XXXXXX         # sets W; removed on exit
#   start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
#   check "it works" some command
#   finish                                # "harden: N passed, N failed[, N skipped]"
#
# finish exits 0 when nothing failed, 1 otherwise. Sourcing it installs an EXIT
# trap (the at_exit hooks, then dd_stop, then the work dir) and makes INT and
# TERM exit 130 through it; a script must not set its own EXIT trap.
#
# Set these before calling the helpers when a script's lines differ:
#   T_OK, T_NOTOK, T_SKIP  result line prefixes ("ok - ", "not ok - ", "skip - ")
#   T_CHECK_LINES          at most this many lines of a failed check's output (0: all)
#   T_CHECK_SHOW           "always" prints a check's output when it passes too

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "lib.sh is sourced by the integration scripts, not run" >&2
  exit 2
fi

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../scripts/lib/dockerd.sh
source "$LIB_DIR/../../scripts/lib/dockerd.sh"

pass=0
fail=0
skipped=0
T_OK=${T_OK-"ok - "}
T_NOTOK=${T_NOTOK-"not ok - "}
T_SKIP=${T_SKIP-"skip - "}
T_CHECK_LINES=${T_CHECK_LINES:-0}
T_CHECK_SHOW=${T_CHECK_SHOW:-fail}

ok() { echo "$T_OK$*"; pass=$((pass + 1)); }
notok() { echo "$T_NOTOK$*"; fail=$((fail + 1)); }
skip() { echo "$T_SKIP$*"; skipped=$((skipped + 1)); }

# detail TEXT: TEXT under the result line above it, each line marked "#   ".
detail() {
  [[ -n "$1" ]] || return 0
  if ((T_CHECK_LINES > 0)); then
    sed 's/^/#   /' <<<"$1" | head -n "$T_CHECK_LINES"
  else
    sed 's/^/#   /' <<<"$1"
  fi
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds; prints its output
# when it fails (or always, with T_CHECK_SHOW=always). Returns COMMAND's verdict.
check() {
  local desc=$1 out rc
  shift
  out=$("$@" 2>&1)
  rc=$?
  if ((rc == 0)); then
    ok "$desc"
    [[ "$T_CHECK_SHOW" == always ]] && detail "$out"
    return 0
  fi
  notok "$desc"
  detail "$out"
  return 1
}

# same DESCRIPTION WANT GOT: passes when the strings are equal; prints both (a
# diff when either has several lines) otherwise.
same() {
  if [[ "$2" == "$3" ]]; then
    ok "$1"
    return 0
  fi
  notok "$1"
  if [[ "$2" == *$'\n'* || "$3" == *$'\n'* ]]; then
    detail "$(diff <(echo "$2") <(echo "$3"))"
  else
    echo "#   want: $2"
    echo "#   got:  $3"
  fi
  return 1
}

# finish [NAME]: prints "NAME: N passed, N failed[, N skipped]" (NAME defaults
# to $T_NAME) and exits, non-zero when anything failed.
finish() {
  local line="${1:-$T_NAME}: $pass passed, $fail failed"
  ((skipped > 0)) && line+=", $skipped skipped"
  echo "$line"
  ((fail == 0))
  exit
}

# skip_or_fail WHY: the suite cannot run here. Prints "skipped: WHY" and exits
# 0, except under CI=true, where it is a failure.
skip_or_fail() {
  if [[ "${CI:-}" == true ]]; then
    notok "$1"
    finish
  fi
  echo "skipped: $1"
  exit 0
}

# need_drydock PATH: sets DRYDOCK to PATH made absolute; skips when it is not
# an executable.
need_drydock() {
  [[ -x "$1" ]] || skip_or_fail "drydock binary not found at $1 (run scripts/build)"
  DRYDOCK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
}

# need_static_busybox: sets BUSYBOX; skips without a static one (FROM-scratch
# images need it: ldd says "not a dynamic executable").
need_static_busybox() {
  BUSYBOX=/bin/busybox
  [[ -x "$BUSYBOX" ]] && ! ldd "$BUSYBOX" >/dev/null 2>&1 ||
    skip_or_fail "static busybox not found at $BUSYBOX (scripts/deps --test installs busybox-static)"
}

T_WORKDIR=""
T_KEEP_VAR=""
T_AT_EXIT=()

# workdir [TEMPLATE [KEEP_VAR]]: sets W to a new temp dir (mktemp -d TEMPLATE),
# removed on exit unless the variable named KEEP_VAR is 1.
workdir() {
  W=$(mktemp -d ${1:+"$1"}) || { echo "mktemp failed" >&2; exit 2; }
  T_WORKDIR=$W
  T_KEEP_VAR=${2:-}
}

# at_exit COMMAND: runs COMMAND (with eval) on exit, before the daemon stops.
at_exit() { T_AT_EXIT+=("$1"); }

# start_dockerd: dd_start, and "ok - private dockerd started" when it did; the
# daemon is stopped (by its pid file) on exit. Returns non-zero with the
# reason in DD_WHY when no daemon can run.
start_dockerd() {
  dd_start || return 1
  ok "private dockerd started"
}

t_on_exit() {
  local c
  for c in "${T_AT_EXIT[@]}"; do eval "$c"; done
  dd_stop
  [[ -n "$T_WORKDIR" ]] || return 0
  if [[ -n "$T_KEEP_VAR" && "${!T_KEEP_VAR:-0}" == 1 ]]; then
    echo "# work dir kept: $T_WORKDIR"
  else
    # Go's module cache is read-only.
    chmod -R u+w "$T_WORKDIR" 2>/dev/null
    rm -rf "$T_WORKDIR"
  fi
}
trap t_on_exit EXIT
trap 'exit 130' INT TERM
