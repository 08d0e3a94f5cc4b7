#!/usr/bin/env bash
# Sets everything up, builds from scratch and runs the whole test suite:
#   1. clang-format check
#   2. one clang build instrumented for AddressSanitizer + UndefinedBehaviorSanitizer and for
#      libFuzzer (fuzzer-no-link): the tests, the fuzz targets and clang-tidy's compile
#      database all come from it
#   3. every test under ASan+UBSan (unit, cross-checks against python3-samba and FreeRDP, CLI
#      and redirector end to end, layout), stress loops at their full counts
#   4. every libFuzzer target run for a short smoke on its seeds
#   5. clang-tidy over the build's compile database (scripts/tidy.sh)
# Usage: scripts/test.sh [--quick]
#   --quick: steps 1-3 with the stress loops shortened (COMREDIR_STRESS=short): the inner loop.
# Environment: JOBS (parallel jobs, default 2), FUZZ_SECONDS (per fuzz target, default 10),
# BUILD_DIR (default build-test). ccache is used when installed (a fresh machine has none).
# CONTRIBUTING.md says how long each mode takes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-10}
build=${BUILD_DIR:-$root/build-test}
quick=0
case "${1:-}" in
  "") ;;
  --quick) quick=1 ;;
  *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
esac
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

# The libraries (where tests and fuzzers spend their time) -O1, the rest -O0: the
# sanitized tests stay fast and the CLI, daemon and test files compile in half the time.
# Line tables are all the sanitizers' reports need, at a fraction of full debug info.
step "build (clang, ASan+UBSan+libFuzzer instrumentation)"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O0 -gline-tables-only" -DCOMREDIR_LIBRARY_OPT=-O1 -DCOMREDIR_SANITIZE=ON -DCOMREDIR_FUZZ=ON \
  -DCOMREDIR_BENCH=OFF -DCMAKE_INSTALL_PREFIX=/usr "${launcher[@]}"
cmake --build "$build" -j "$jobs"

if ((quick)); then
  step "tests under ASan+UBSan (stress loops short)"
  export COMREDIR_STRESS=short
else
  step "tests under ASan+UBSan (stress loops at full counts)"
fi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$build" --output-on-failure -j "$jobs"
((quick)) && exit 0

step "fuzz smoke (${fuzz_seconds}s per target)"
bash "$root/tests/fuzz/smoke.sh" "$build/tests/fuzz" "$fuzz_seconds"

step "clang-tidy"
# The build above exported its compile_commands.json (CMAKE_EXPORT_COMPILE_COMMANDS).
JOBS=$jobs bash "$root/scripts/tidy.sh" "$build"
