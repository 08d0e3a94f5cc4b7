#!/usr/bin/python3
"""Fleet report benchmark: `comredir-policy report` over a generated estate of N hosts (the
example estate's GPOs, client files and policies, N host pools in the store), against the
same binary's `effective` for one host of it, both timed in this run.

    bench/report_fleet.py COMREDIR_POLICY [--hosts N] [--runs R] [--json]

Prints the median wall time of `report --json F --html F` over R runs (target: < 2 s for
1,000 hosts), the median of `effective --host pool-0001 --json`, and the ratio
report / (N x effective): below 1 means the fleet costs less per host than asking N times
(the config, the store and the process start are paid once).

Exit: 0 measured (target met or not), 1 the report failed, 2 usage.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "examples")
GPOS = ["sysvol/contoso.com/Policies/{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}",
        "sysvol/contoso.com/Policies/{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}"]
CLIENTS = ["clients/alice-pool1.rdp", "clients/bob-lab.rdp"]
PROPS = ["redirectcomports:i:1;redirectclipboard:i:1;drivestoredirect:s:*",
         "redirectcomports:i:0;redirectclipboard:i:0;audiocapturemode:i:1",
         "redirectcomports:i:1;usbdevicestoredirect:s:*;redirectlocation:i:0"]


def make_estate(root, n):
    shutil.copytree(EXAMPLES, root)
    hosts, pools = {}, []
    for i in range(n):
        name = f"pool-{i:04d}"
        hosts[name] = {"product": "avd", "os": [{"gpo": "local-gpo"}, {"gpo": GPOS[i % 2]}],
                       "rdp": CLIENTS[i % 2]}
        pools.append({"name": name, "product": "avd", "customRdpProperty": PROPS[i % 3]})
    with open(os.path.join(root, "fleet.json"), "w") as f:
        json.dump({"version": 1, "hostPoolStore": "fleet-pools.json",
                   "defaults": {"product": "avd", "clientOs": "windows"}, "hosts": hosts}, f)
    with open(os.path.join(root, "fleet-pools.json"), "w") as f:
        json.dump({"version": 1, "hostPools": pools}, f)


def timed(cmd, cwd):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t, p.returncode, p.stderr.decode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    a.binary = os.path.abspath(a.binary)
    if not os.access(a.binary, os.X_OK):
        print(f"report_fleet.py: `{a.binary}` is not executable", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="comredir-fleet-") as tmp:
        root = os.path.join(tmp, "estate")
        make_estate(root, a.hosts)
        report_cmd = [a.binary, "report", "--config", "fleet.json", "--json", "r.json", "--html", "r.html"]
        one_cmd = [a.binary, "effective", "--config", "fleet.json", "--host", "pool-0001", "--json"]
        reports, ones = [], []
        for _ in range(a.runs):  # interleaved: both see the same machine
            t, code, err = timed(report_cmd, root)
            if code != 0:
                print(f"report failed ({code}): {err.strip()}", file=sys.stderr)
                return 1
            reports.append(t)
            ones.append(timed(one_cmd, root)[0])
        with open(os.path.join(root, "r.json")) as f:
            hosts = json.load(f)["summary"]["hosts"]
        html_kib = os.path.getsize(os.path.join(root, "r.html")) / 1024
        result = {"hosts": hosts, "runs": a.runs,
                  "report_s": round(statistics.median(reports), 3),
                  "effective_one_ms": round(statistics.median(ones) * 1000, 2),
                  "html_kib": round(html_kib)}
        result["report_vs_n_effective"] = round(result["report_s"] / (hosts * statistics.median(ones)), 3)
    if a.json:
        print(json.dumps(result))
    else:
        print(f"report of {result['hosts']} hosts: {result['report_s']} s median of {a.runs} "
              f"(target < 2 s), HTML {result['html_kib']} KiB")
        print(f"effective for one host: {result['effective_one_ms']} ms; report / "
              f"({hosts} x effective) = {result['report_vs_n_effective']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
