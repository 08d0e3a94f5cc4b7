#!/usr/bin/env bash
# Runs clang-tidy (config: .clang-tidy) over libpolicy/src/*/*.cpp, libhost/src/*.cpp,
# console/src/*.cpp, console/daemon/*.cpp (not beast_src.cpp: Boost's own sources), cli/*.cpp,
# redirector/src/*/*.cpp and redirector/daemon/*.cpp using the
# compile_commands.json of an existing build directory. Prints the number of findings and
# exits non-zero if there is any (or if clang-tidy itself fails).
# Usage: scripts/tidy.sh BUILD_DIR   (JOBS: parallel clang-tidy processes, default 2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: scripts/tidy.sh BUILD_DIR}
build=$(cd "$build" && pwd)
jobs=${JOBS:-2}

if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: $build/compile_commands.json missing (configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2
  exit 1
fi
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ]; then
  echo "tidy: clang-tidy not found" >&2
  exit 1
fi

shopt -s nullglob
files=("$root"/libpolicy/src/*/*.cpp "$root"/libhost/src/*.cpp "$root"/console/src/*.cpp "$root"/cli/*.cpp
       "$root"/redirector/src/*/*.cpp "$root"/redirector/daemon/*.cpp)
for f in "$root"/console/daemon/*.cpp; do
  [ "$(basename "$f")" = beast_src.cpp ] || files+=("$f")
done
# A file missing from the database would be skipped silently by run-clang-tidy.
for f in "${files[@]}"; do
  if ! grep -qF "\"file\": \"$f\"" "$build/compile_commands.json"; then
    echo "tidy: $f is not in $build/compile_commands.json (re-run cmake)" >&2
    exit 1
  fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
runner=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
if [ -n "$runner" ]; then
  root_re=$(printf '%s' "$root" | sed 's/[][\.*^$+?(){}|]/\\&/g')
  "$runner" -clang-tidy-binary "$tidy" -p "$build" -j "$jobs" -quiet \
    "^$root_re/(libpolicy/src/[^/]+|libhost/src|console/src|cli|redirector/src/[^/]+|redirector/daemon)/[^/]+\.cpp\$" >"$log" 2>&1 || status=$?
else
  for f in "${files[@]}"; do
    "$tidy" -p "$build" --quiet "$f" >>"$log" 2>&1 || status=$?
  done
fi

# One finding per distinct "file:line:col: warning|error: ... [check]" line (a header finding
# is reported once per translation unit that includes it); plus location-less errors.
findings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(^|: )(warning|error): ' | sort -u || true)
count=0
[ -n "$findings" ] && count=$(printf '%s\n' "$findings" | wc -l)

if ((count > 0)); then
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -vE '^[^ ]*clang-tidy[^ ]* |^[0-9]+ (warnings?|errors?)( and [0-9]+ errors?)? generated\.$' >&2 || true
  echo "clang-tidy: $count finding(s) in ${#files[@]} files" >&2
  exit 1
fi
if ((status != 0)); then
  sed 's/\x1b\[[0-9;]*m//g' "$log" >&2
  echo "clang-tidy: failed (exit $status) with no finding parsed" >&2
  exit 1
fi
echo "clang-tidy: 0 findings in ${#files[@]} files"
