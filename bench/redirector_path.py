#!/usr/bin/env python3
"""Serial redirection benchmark: the full path against a plain socat pty bridge, in one run.

    bench/redirector_path.py DAEMON [--mib N] [--echoes N] [--rounds N] [--json]

Full path: a program on the host writes the redirected port (<run-dir>/<session>/COM1) ->
comredir-redirector -> rdpdr over TLS on loopback -> xfreerdp (Xvfb) -> the client's pty ->
a socat bridge -> the far end. Baseline: the same measurement between the two ends of one
socat pty bridge, measured in the same run (the client side's own socat hop is part of
both, so the ratio isolates what RDP redirection adds).

Measured (serial_path.py): MB/s each way (N MiB of random bytes, compared), and echo round
trip median and p99 (one byte at a time, echoed by the far end). Targets (issue 5): at
least 1 MB/s each way, median added latency under 2 ms. Rounds alternate baseline and full
path; the best throughput and the median of medians are reported.
Exit: 0 measured (targets met or not), 1 data lost, 2 usage / missing tools.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
from rdpenv import RdpEnv, missing_tools  # noqa: E402
from serial_path import latency, open_raw, throughput  # noqa: E402


def measure(host_path, far_path, size, echoes):
    host, far = open_raw(host_path), open_raw(far_path)
    try:
        return {"host_to_device": throughput(host, far, size, 120),
                "device_to_host": throughput(far, host, size, 120),
                "echo": latency(host, far, echoes, 10)}
    finally:
        os.close(host)
        os.close(far)


def summarize(runs):
    failed = [r["echo"]["error"] for r in runs if "error" in r["echo"]]
    if failed:
        raise RuntimeError("echo failed: " + failed[0])
    return {
        "host_to_device_mb_s": max(r["host_to_device"]["mb_per_s"] for r in runs),
        "device_to_host_mb_s": max(r["device_to_host"]["mb_per_s"] for r in runs),
        "echo_median_ms": round(statistics.median(r["echo"]["median_ms"] for r in runs), 3),
        "echo_p99_ms": round(statistics.median(r["echo"]["p99_ms"] for r in runs), 3),
        "intact": all(r["host_to_device"]["intact"] and r["device_to_host"]["intact"] and
                      "error" not in r["echo"] for r in runs),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("daemon")
    ap.add_argument("--mib", type=float, default=4.0, help="MiB each way per round (default 4)")
    ap.add_argument("--echoes", type=int, default=1000, help="echoes per round (default 1000)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of each (default 3)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()
    missing = missing_tools()
    if missing:
        print(f"redirector_path: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    size = int(a.mib * 1024 * 1024)
    tmp = tempfile.mkdtemp(prefix="comredir-bench-")
    env = RdpEnv(os.path.abspath(a.daemon), tmp)  # the daemon runs in tmp
    try:
        env.start_daemon(hosts={"bench": {"product": "linux", "os": []}}, host="bench")
        base_a, base_b = env.serial_pair("baseline")
        far, client = env.serial_pair("client")
        env.connect(client, name="bench-client")
        port = env.wait_port(lambda p: p["client"] == "bench-client")
        if port is None:
            print("redirector_path: no port appeared: " + env.log_text()[-1500:],
                  file=sys.stderr)
            return 1
        base_runs, full_runs = [], []
        for _ in range(a.rounds):
            base_runs.append(measure(base_a, base_b, size, a.echoes))
            full_runs.append(measure(port["path"], far, size, a.echoes))
    finally:
        env.stop()
    base, full = summarize(base_runs), summarize(full_runs)
    out = {
        "mib_each_way": a.mib, "echoes": a.echoes, "rounds": a.rounds,
        "baseline_socat": base, "redirector": full,
        "ratio_host_to_device": round(full["host_to_device_mb_s"] / base["host_to_device_mb_s"], 4),
        "ratio_device_to_host": round(full["device_to_host_mb_s"] / base["device_to_host_mb_s"], 4),
        "added_median_latency_ms": round(full["echo_median_ms"] - base["echo_median_ms"], 3),
    }
    out["targets_met"] = (full["host_to_device_mb_s"] >= 1 and full["device_to_host_mb_s"] >= 1
                          and out["added_median_latency_ms"] < 2)
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{'path':<22}{'host->dev MB/s':>16}{'dev->host MB/s':>16}"
              f"{'echo median ms':>16}{'echo p99 ms':>13}")
        for name, r in (("socat pty bridge", base), ("comredir redirector", full)):
            print(f"{name:<22}{r['host_to_device_mb_s']:>16.2f}{r['device_to_host_mb_s']:>16.2f}"
                  f"{r['echo_median_ms']:>16.3f}{r['echo_p99_ms']:>13.3f}")
        print(f"ratio redirector/socat: host->dev {out['ratio_host_to_device']:.3f}, "
              f"dev->host {out['ratio_device_to_host']:.3f}; added median latency "
              f"{out['added_median_latency_ms']:.3f} ms; targets "
              f"(>= 1 MB/s, < 2 ms added) {'met' if out['targets_met'] else 'NOT met'}")
    return 0 if base["intact"] and full["intact"] else 1


if __name__ == "__main__":
    sys.exit(main())
