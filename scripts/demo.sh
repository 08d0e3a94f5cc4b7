#!/usr/bin/env bash
# Sets everything up, builds comredir-policy and runs it on the bundled example
# estate: `effective --host pool1` from examples/ (where ./comredir.json is found).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup-debian.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
cmake --build "$root/build" --target comredir-policy
cd "$root/examples"
echo
echo "\$ comredir-policy effective --host pool1"
"$root/build/cli/comredir-policy" effective --host pool1
