#!/usr/bin/env bash
# Runs every benchmark and its baseline in one go and prints ours / baseline ratios.
#
#   bash bench/run.sh BUILD_DIR        (e.g. bash bench/run.sh build)
#
# BUILD_DIR must hold built bench_parse, bench_resolve, bench_admx and comredir-policy (a
# Release build: cmake -DCMAKE_BUILD_TYPE=Release, then build those four targets).
# bench_admx's corpus is generated into BUILD_DIR/bench/admx_corpus when missing or stale
# (bench/make_admx_corpus.py, ~4 s).
# Environment: MIN_TIME (Google Benchmark --benchmark_min_time, seconds, default 0.5; per round
# for the parsers), ROUNDS (rounds of each parser beside its baseline, default 5),
# RUNS (whole-process runs of `effective`, `--version` and a C++ hello world, default 30), SAMBA_SECONDS (default 2),
# ADMX_RUNS (whole-folder loads timed by bench_admx, default 7).
# Shared machines are noisy: compare the ratios, which are measured in the same run.
# Exit codes: 0 ran (targets met or not), 2 usage / missing binaries.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: bash bench/run.sh BUILD_DIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="$(cd "$1" 2>/dev/null && pwd)" || { echo "run.sh: no such build directory \`$1\`" >&2; exit 2; }
data="${COMREDIR_SHARED_DATA:-$root/../shared/data}"
min_time="${MIN_TIME:-0.5}"
runs="${RUNS:-30}"
samba_seconds="${SAMBA_SECONDS:-2}"
admx_runs="${ADMX_RUNS:-7}"
rounds="${ROUNDS:-5}"

parse_bin="$build/bench/bench_parse"
resolve_bin="$build/bench/bench_resolve"
admx_bin="$build/bench/bench_admx"
cli_bin="$build/cli/comredir-policy"
for b in "$parse_bin" "$resolve_bin" "$admx_bin" "$cli_bin"; do
    [[ -x "$b" ]] || { echo "run.sh: \`$b\` is not built (hint: cmake --build $1 --target bench_parse bench_resolve bench_admx comredir-policy)" >&2; exit 2; }
done
admx_corpus="$build/bench/admx_corpus"
/usr/bin/python3 "$here/make_admx_corpus.py" --if-stale --data "$data" "$admx_corpus" ||
    { echo "run.sh: cannot generate the ADMX corpus in \`$admx_corpus\`" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The parsers and their baselines take turns, round by round, and each ratio is taken
# within a round: a machine that slows down in the middle slows both sides of a ratio.
round_time=$min_time
echo "== bench_parse .rdp vs FreeRDP ($rounds interleaved repetitions of ${round_time}s)" >&2
"$parse_bin" --benchmark_filter='Rdp' --benchmark_min_time="$round_time" --benchmark_repetitions="$rounds" \
    --benchmark_enable_random_interleaving=true --benchmark_format=json --benchmark_out="$tmp/parse.json" \
    --benchmark_out_format=json >/dev/null
echo "== Registry.pol vs python3-samba ($rounds rounds, each side in turn)" >&2
samba_round=$(/usr/bin/python3 -c "print(max(0.5, $samba_seconds / $rounds))")
for ((i = 0; i < rounds; i++)); do
    "$parse_bin" --benchmark_filter='BM_ParsePol$' --benchmark_min_time="$round_time" --benchmark_format=json \
        --benchmark_out="$tmp/pol.$i.json" --benchmark_out_format=json >/dev/null
    if ! /usr/bin/python3 "$here/samba_pol_throughput.py" --data "$data" --seconds "$samba_round" >"$tmp/samba.$i.json"; then
        echo "run.sh: samba baseline did not run" >&2
        echo '{"name":"samba_preg","bytes_per_second":null}' >"$tmp/samba.$i.json"
    fi
done
echo "== bench_resolve (min_time ${min_time}s)" >&2
"$resolve_bin" --benchmark_min_time="$min_time" --benchmark_format=json --benchmark_out="$tmp/resolve.json" \
    --benchmark_out_format=json >/dev/null

echo "== bench_admx (median of $admx_runs whole-folder loads)" >&2
"$admx_bin" --corpus="$admx_corpus" --runs="$admx_runs" --benchmark_format=json \
    --benchmark_out="$tmp/admx.json" --benchmark_out_format=json >/dev/null
cp "$admx_corpus/corpus.json" "$tmp/corpus.json"


echo "== comredir-policy effective --host pool1 (median of $runs runs, beside a C++ hello world)" >&2
# The baseline: the smallest C++ program (iostream), built here with the same compiler
# defaults: what any C++ process start costs on this machine now.
printf '#include <iostream>\nint main() { std::cout << "hello\\n"; }\n' >"$tmp/hello.cpp"
"${CXX:-c++}" -O2 "$tmp/hello.cpp" -o "$tmp/hello" ||
    { echo "run.sh: cannot build the hello-world baseline with \`${CXX:-c++}\`" >&2; exit 2; }
(cd "$root/examples" && "$cli_bin" effective --host pool1 >/dev/null) ||
    { echo "run.sh: \`effective --host pool1\` failed" >&2; exit 2; }
# Whole processes, timed from the parent; the commands take turns so drift hits all alike.
/usr/bin/python3 - "$runs" "$root/examples" "$tmp/startup.json" "$tmp/hello" "$cli_bin" <<'PY'
import json, subprocess, sys, time
runs, cwd, out, hello, cli = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
cmds = {"hello": [hello], "version": [cli, "--version"], "effective": [cli, "effective", "--host", "pool1"]}
times = {k: [] for k in cmds}
for _ in range(runs):
    for k, c in cmds.items():
        t0 = time.perf_counter_ns()
        subprocess.run(c, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
        times[k].append(time.perf_counter_ns() - t0)
json.dump(times, open(out, "w"))
PY

/usr/bin/python3 - "$tmp" "$rounds" <<'EOF'
import json, statistics, sys, pathlib

tmp = pathlib.Path(sys.argv[1])
rounds = int(sys.argv[2])

def benches(name):
    doc = json.loads((tmp / name).read_text())
    return {b["name"]: b for b in doc["benchmarks"]}, doc.get("context", {})

parse_doc = json.loads((tmp / "parse.json").read_text())
parse_runs, ctx = parse_doc["benchmarks"], parse_doc.get("context", {})
resolve, _ = benches("resolve.json")
admx = json.loads((tmp / "admx.json").read_text())["benchmarks"]
corpus = json.loads((tmp / "corpus.json").read_text())
# Per-round throughputs: ours (BM_ParsePol) and samba's, round i beside round i.
pol_rounds = [json.loads((tmp / f"pol.{i}.json").read_text())["benchmarks"][0]["bytes_per_second"]
              for i in range(rounds)]
samba_rounds = [json.loads((tmp / f"samba.{i}.json").read_text()).get("bytes_per_second")
                for i in range(rounds)]
# .rdp: the repetitions of ours and FreeRDP's, paired by repetition index.
def reps(name):
    return {b.get("repetition_index", 0): b["bytes_per_second"] for b in parse_runs
            if b.get("run_type") == "iteration" and b["run_name"] == name}
startup = json.loads((tmp / "startup.json").read_text())

def ns_per_feature(key):
    x = resolve.get(key)
    return 1e9 / x["items_per_second"] if x else None

mb = lambda v: f"{v / 1e6:.1f} MB/s" if v else "n/a"
ours_rdp, base_rdp = reps("BM_ParseRdp"), reps("BM_FreeRdpParseRdp")
rdp_pairs = [(ours_rdp[i], base_rdp[i]) for i in sorted(ours_rdp) if i in base_rdp]
pol_pairs = [(p, s) for p, s in zip(pol_rounds, samba_rounds) if p and s]
ms = lambda k: statistics.median(startup[k]) / 1e6
eff_ms, hello_ms, version_ms = ms("effective"), ms("hello"), ms("version")

rows = []
def ratio_row(what, pairs, base_name, target):
    """(ours, baseline) per round: the medians of each side, and the median of the
    per-round ratios (min-max beside it)."""
    if not pairs:
        rows.append((what, "n/a", f"n/a ({base_name})", "n/a", f">= {target}x", "n/a"))
        return
    ratios = sorted(o / b for o, b in pairs)
    r = statistics.median(ratios)
    ours = statistics.median(o for o, _ in pairs)
    base = statistics.median(b for _, b in pairs)
    rows.append((what, mb(ours), f"{mb(base)} ({base_name})",
                 f"{r:.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f}, {len(ratios)} rounds)", f">= {target}x",
                 "met" if r >= target else "MISSED"))

ratio_row("Registry.pol parse", pol_pairs, "samba ndr_unpack", 5)
ratio_row(".rdp parse", rdp_pairs, "FreeRDP 2", 2)
for key, label in [("BM_ResolveComPorts", "resolve com_ports"),
                   ("BM_ResolveAllFeatures", "resolve all 17"),
                   ("BM_ResolveReasonComPorts", "resolve+reason com_ports"),
                   ("BM_ResolveReasonAllFeatures", "resolve+reason all 17")]:
    v = ns_per_feature(key)
    target = key in ("BM_ResolveComPorts", "BM_ResolveAllFeatures")
    rows.append((label, f"{v:.0f} ns/feature" if v else "n/a", "-", "-", "< 1000 ns" if target else "-",
                 ("met" if v and v < 1000 else "MISSED") if target else "-"))
v = ns_per_feature("BM_ReadLayersResolveAllFeatures")
v2 = ns_per_feature("BM_CopyInputsAllFeatures")
rows.append(("(floor) copy FeatureInputs", f"{v2:.0f} ns/feature" if v2 else "n/a", "-", "-", "-", "-"))
rows.append(("read_layers+resolve all 17", f"{v:.0f} ns/feature" if v else "n/a", "-", "-", "-", "-"))
def median_ms(name):  # over the repetitions (one whole-folder pass each), wall clock
    t = [b["real_time"] for b in admx if b.get("run_type") == "iteration" and
         b.get("run_name", "").split("/")[0] == name and b.get("time_unit") == "ms"]
    return statistics.median(t) if t else None

load_ms = median_ms("BM_LoadAdmxFolder")
xml_ms = median_ms("BM_PugixmlParseFolder")
admx_mb = (corpus["admx_bytes"] + corpus["adml_bytes"]) / 1e6
admx_files = corpus["admx_files"] + corpus["adml_files"]
rows.append((f"ADMX folder load ({corpus['admx_files']} pairs, {admx_mb:.1f} MB)",
             f"{load_ms:.0f} ms ({admx_files / load_ms * 1e3:.0f} files/s, {admx_mb / load_ms * 1e3:.0f} MB/s)"
             if load_ms else "n/a",
             f"{xml_ms:.1f} ms (pugixml load_file)" if xml_ms else "n/a",
             f"{load_ms / xml_ms:.1f}x cost" if load_ms and xml_ms else "n/a", "< 1000 ms",
             ("met" if load_ms < 1000 else "MISSED") if load_ms else "n/a"))
rows.append(("effective --host pool1", f"{eff_ms:.2f} ms (median of {len(startup['effective'])})",
             f"{hello_ms:.2f} ms (C++ hello world)", f"{eff_ms / hello_ms:.2f}x", "<= 3 ms",
             "met" if eff_ms <= 3 else "MISSED"))
rows.append(("comredir-policy --version", f"{version_ms:.2f} ms", f"{hello_ms:.2f} ms (C++ hello world)",
             f"{version_ms / hello_ms:.2f}x", "-", "-"))

head = ("measure", "ours", "baseline", "ratio", "target", "")
widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
print(f"comredir bench  {ctx.get('date', '')}  host {ctx.get('host_name', '?')}  "
      f"{ctx.get('num_cpus', '?')} cpus  load {ctx.get('load_avg', '?')}  "
      f"(throughput from CPU time; libbenchmark build {ctx.get('library_build_type', '?')})")
print(line(head))
print(line(["-" * w for w in widths]))
for r in rows:
    print(line(r))
EOF
