#!/usr/bin/python3
"""Fleet report benchmark: `comredir-policy report` over a generated estate of N hosts (the
example estate's GPOs, client files and policies, N host pools in the store), against the
same binary's `effective` for one host of it, both timed in this run.

    bench/report_fleet.py COMREDIR_POLICY [--hosts N] [--runs R] [--resource-graph] [--json]

Prints the median wall time of `report --json F --html F` over R runs (target: < 2 s for
1,000 hosts), the median of `effective --host pool-0001 --json`, and the ratio
report / (N x effective): below 1 means the fleet costs less per host than asking N times
(the config, the store and the process start are paid once).

With --resource-graph, also `report --resource-graph` against the local HTTPS stand-in for
Azure Resource Graph (tests/integration/arm_server.py, 127.0.0.1 only) serving the same N
pools in pages of 1000, with the config naming half of them (the other half: OS layer
unknown), and its ratio to the config-only report of the same run. The stand-in's own
serving time is in that figure.

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


def timed(cmd, cwd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - t, p.returncode, p.stderr.decode()


def graph_setup(tmp, root, n):
    """The stand-in serving n pools, and a config whose hosts name the first half of them."""
    sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
    from arm_server import ArmServer
    example = os.path.join(HERE, "..", "..", "shared", "data", "arm", "HostPool_Update.json")
    if not os.path.exists(example):
        raise SystemExit(f"report_fleet.py: --resource-graph needs ../shared beside the checkout (`{example}`)")
    server = ArmServer(example, tmp, generated_pools=n)
    with open(os.path.join(root, "fleet.json")) as f:
        config = json.load(f)
    config["hosts"] = {k: v for k, v in config["hosts"].items() if int(k.split("-")[1]) < n // 2}
    del config["hostPoolStore"]
    with open(os.path.join(root, "half.json"), "w") as f:
        json.dump(config, f)
    env = dict(os.environ, COMREDIR_ARM_TOKEN="bench", no_proxy="127.0.0.1", NO_PROXY="127.0.0.1")
    cmd_tail = ["--resource-graph", "--subscription", "sub-gen", "--arm-endpoint", server.url, "--ca-file",
                server.cert, "--config", "half.json", "--json", "g.json", "--html", "g.html"]
    return server, env, cmd_tail


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--resource-graph", action="store_true")
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
        reports, ones, graphs = [], [], []
        server = None
        if a.resource_graph:
            server, env, tail = graph_setup(tmp, root, a.hosts)
        for _ in range(a.runs):  # interleaved: all see the same machine
            t, code, err = timed(report_cmd, root)
            if code != 0:
                print(f"report failed ({code}): {err.strip()}", file=sys.stderr)
                return 1
            reports.append(t)
            ones.append(timed(one_cmd, root)[0])
            if server:
                t, code, err = timed([a.binary, "report", *tail], root, env)
                if code != 0:
                    print(f"report --resource-graph failed ({code}): {err.strip()}", file=sys.stderr)
                    return 1
                graphs.append(t)
        if server:
            server.stop()
        with open(os.path.join(root, "r.json")) as f:
            hosts = json.load(f)["summary"]["hosts"]
        html_kib = os.path.getsize(os.path.join(root, "r.html")) / 1024
        result = {"hosts": hosts, "runs": a.runs,
                  "report_s": round(statistics.median(reports), 3),
                  "effective_one_ms": round(statistics.median(ones) * 1000, 2),
                  "html_kib": round(html_kib)}
        result["report_vs_n_effective"] = round(result["report_s"] / (hosts * statistics.median(ones)), 3)
        if graphs:
            with open(os.path.join(root, "g.json")) as f:
                g = json.load(f)
            result["graph_hosts"] = g["summary"]["hosts"]
            result["graph_unknown_hosts"] = sum(h["osUnknown"] for h in g["hosts"])
            result["graph_report_s"] = round(statistics.median(graphs), 3)
            result["graph_vs_config_report"] = round(result["graph_report_s"] / result["report_s"], 3)
    if a.json:
        print(json.dumps(result))
    else:
        print(f"report of {result['hosts']} hosts: {result['report_s']} s median of {a.runs} "
              f"(target < 2 s), HTML {result['html_kib']} KiB")
        print(f"effective for one host: {result['effective_one_ms']} ms; report / "
              f"({hosts} x effective) = {result['report_vs_n_effective']}")
        if graphs:
            print(f"report --resource-graph of {result['graph_hosts']} pools ({result['graph_unknown_hosts']} "
                  f"with the OS layer unknown): {result['graph_report_s']} s median, "
                  f"{result['graph_vs_config_report']}x the config report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
