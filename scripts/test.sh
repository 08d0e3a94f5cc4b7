#!/usr/bin/env bash
# Sets everything up, builds from scratch and runs the whole test suite:
#   1. clang-format check
#   2. optimised build + ctest (unit, cross-checks against python3-samba and FreeRDP, CLI and
#      redirector end to end)
#   3. the same tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   4. every libFuzzer target built with clang and run for a short smoke on its seeds
#   5. clang-tidy check (scripts/tidy.sh) over libpolicy, cli and redirector sources
# Usage: scripts/test.sh [--quick]   (--quick: steps 1 and 2 only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-10}
started=$SECONDS
last=$SECONDS
# Each step's heading says how long the previous one took (CI must stay under 30 minutes).
step() {
  printf '\n==== %s   (previous step %d s, %d s so far)\n' "$*" $((SECONDS - last)) $((SECONDS - started))
  last=$SECONDS
}
trap 'rc=$?; printf "\n==== exit code %d after %d s\n" $rc $((SECONDS - started))' EXIT

step "setup"
bash "$root/scripts/setup-debian.sh"

# First, as it takes seconds and the rest takes many minutes.
step "clang-format"
(cd "$root" && git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror)
echo "clang-format: clean"

# -O2 without debug info: the same optimised code as RelWithDebInfo, and a quarter less
# compile time (GCC 12 spends it on debug info for the JSON templates).
step "build + tests (-O2)"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG"
cmake --build "$root/build" -j "$jobs"
ctest --test-dir "$root/build" --output-on-failure -j "$jobs"

[ "${1:-}" = "--quick" ] && exit 0

step "tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOMREDIR_SANITIZE=ON -DCOMREDIR_BENCH=OFF
cmake --build "$root/build-asan" -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs"

step "fuzz smoke (${fuzz_seconds}s per target)"
CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOMREDIR_FUZZ=ON \
  -DCOMREDIR_BENCH=OFF -DCOMREDIR_CROSSCHECK=OFF
cmake --build "$root/build-fuzz" -j "$jobs" --target fuzzers
bash "$root/tests/fuzz/smoke.sh" "$root/build-fuzz/tests/fuzz" "$fuzz_seconds"

step "clang-tidy"
# The release build above exported its compile_commands.json (CMAKE_EXPORT_COMPILE_COMMANDS).
bash "$root/scripts/tidy.sh" "$root/build"
