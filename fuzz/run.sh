#!/bin/bash
# Fuzzes one target for a while:  fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
#   TARGET: any drydock_fuzzer() name in fuzz/CMakeLists.txt: manifest, layer_tar,
#           docker_archive, rpmdb, sbom, dpkg, apk, lockfiles, elf, zip, versions
# Builds build-fuzz/ (clang, ASan+UBSan, libFuzzer) if needed. New inputs go
# to build-fuzz/fuzz-work/TARGET (the committed seeds in fuzz/corpus/TARGET
# are read, never written); crashes, leaks, timeouts and OOMs land in
# build-fuzz/fuzz-artifacts/TARGET/. To keep a crash as a regression case,
# minimise it and copy it into fuzz/corpus/TARGET/:
#   build-fuzz/fuzz/fuzz_TARGET -minimize_crash=1 -runs=10000 CRASH
#   cp minimized-from-… fuzz/corpus/TARGET/regress-<what>
# FUZZ_SKIP_REGRESS=1 leaves out the regress-* inputs of bugs still open.
set -euo pipefail

target=${1:?usage: fuzz/run.sh TARGET SECONDS [libFuzzer flags]}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS [libFuzzer flags]}
shift 2

root=$(cd "$(dirname "$0")/.." && pwd)
build=${DRYDOCK_FUZZ_BUILD:-$root/build-fuzz}
bin=$build/fuzz/fuzz_$target

if [[ ! -f $build/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DDRYDOCK_SANITIZE=ON -DDRYDOCK_FUZZ=ON >/dev/null
fi
ninja -C "$build" -j2 "fuzz/fuzz_$target" >/dev/null

work=$build/fuzz-work/$target
artifacts=$build/fuzz-artifacts/$target
tmp=$build/fuzz-tmp/$target
mkdir -p "$work" "$artifacts" "$tmp"

case $target in
  manifest) max_len=65536 ;;
  *) max_len=262144 ;;
esac

# FUZZ_SKIP_REGRESS=1: leave out the regress-* inputs (known, still open
# bugs would stop the run at once); the seeds are copied into the work dir.
corpora=("$work" "$root/fuzz/corpus/$target")
if [[ ${FUZZ_SKIP_REGRESS:-0} == 1 ]]; then
  find "$root/fuzz/corpus/$target" -maxdepth 1 -type f ! -name 'regress-*' -exec cp -n {} "$work/" \;
  corpora=("$work")
fi

# Hangs (-timeout) and memory (-rss_limit_mb, -malloc_limit_mb) are bugs too.
export TMPDIR=$tmp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$bin" "${corpora[@]}" \
  -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -malloc_limit_mb=1024 \
  -max_len="$max_len" -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
