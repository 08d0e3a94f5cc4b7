#!/usr/bin/env bash
# Runs every built libFuzzer target for a short smoke on its seed corpus:
# tests/fuzz/seeds/<reader>/ plus the real files of ../shared/data it reads.
# Usage: smoke.sh BUILD_DIR SECONDS   (JOBS: targets run side by side, default 2)
set -euo pipefail
bin=$1
seconds=$2
jobs=${JOBS:-2}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$(cd "$root/../shared/data" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

real_files() {
  case "$1" in
    pol) find "$shared/gpo" "$root/examples" -iname 'registry.pol' ;;
    rdp) find "$shared/rdp" "$root/examples/clients" "$root/tests/data/rdp" -name '*.rdp'; echo "$shared/hostpool/avd-accelerator-default.txt" ;;
    intune) find "$shared/intune" "$root/examples/intune" -name '*.json' ;;
    hostpool_store) echo "$root/examples/hostpools.json" ;;
    regfile) find "$root/tests/data/reg" -name '*.reg' 2>/dev/null || true ;;
    config) echo "$root/examples/comredir.json" ;;
    admx) find "$shared/admx" "$root/admx" -name '*.admx' -o -name '*.adml' ;;
    gp_edit) find "$shared/gpo" "$root/examples" -iname 'registry.pol'; find "$root/tests/data/reg" -name '*.reg' ;;
    rdpdr_decode|rdpdr_session) find "$root/tests/data/rdpdr" -name '*.bin' ;;
    gpo_meta) find "$shared/gpo" "$root/examples" -iname 'bkupInfo.xml' -o -iname 'manifest.xml' -o -iname 'gpt.ini' ;;
  esac
}

# One target: seeds copied, libFuzzer run; its report goes to $work/<name>.result.
smoke_one() {
  local fuzzer=$1 name reader corpus i f
  name=$(basename "$fuzzer")
  reader=${name#fuzz_}
  corpus="$work/$reader"
  mkdir -p "$corpus"
  [ -d "$here/seeds/$reader" ] && cp "$here/seeds/$reader"/* "$corpus"/ 2>/dev/null || true
  i=0
  while IFS= read -r f; do
    [ -f "$f" ] && cp "$f" "$corpus/real-$i" && i=$((i + 1))
  done < <(real_files "$reader")
  if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$work/$name-" "$corpus" > "$work/$name.log" 2>&1; then
    { echo "fuzz: $name for ${seconds}s on $(ls "$corpus" | wc -l) seeds: passed"
      grep -E "stat::number_of_executed_units" "$work/$name.log" || true; } > "$work/$name.result"
  else
    { echo "fuzz: $name FAILED"; tail -40 "$work/$name.log"; } > "$work/$name.result"
    touch "$work/$name.failed"
  fi
}

fuzzers=()
for fuzzer in "$bin"/fuzz_*; do
  [ -x "$fuzzer" ] && fuzzers+=("$fuzzer")
done
running=0
for fuzzer in "${fuzzers[@]}"; do
  if ((running >= jobs)); then
    wait -n
    running=$((running - 1))
  fi
  smoke_one "$fuzzer" &
  running=$((running + 1))
done
wait
ran=0
failed=0
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer")
  cat "$work/$name.result"
  if [ -e "$work/$name.failed" ]; then failed=$((failed + 1)); else ran=$((ran + 1)); fi
done
echo "fuzz smoke: $ran passed, $failed failed"
[ "$ran" -gt 0 ] && [ "$failed" -eq 0 ]
