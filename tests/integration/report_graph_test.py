#!/usr/bin/python3
"""`comredir-policy report --resource-graph` against the local HTTPS stand-in for Azure
Resource Manager (arm_server.py + graph_stand_in.py, 127.0.0.1 only): paging with
$skipToken (the same body resent), a config host's OS layer joined to its Azure pool, pools
no config host names reported as `unknown` (never allow) or `deny` when their properties
deny, two pools with one name, management groups, 429 then success, a truncated result and
a page that fails (both partial: written, marked, exit 3), malformed JSON and an untrusted
certificate (nothing written, exit 3), usage errors (exit 2), and the token in no output.

Usage: report_graph_test.py COMREDIR_POLICY SOURCE_DIR SHARED_DATA
"""
import atexit
import json
import os
import shutil
import sys
import tempfile
import time

from clitest import Suite

if shutil.which("openssl") is None:
    print("skip: openssl is not installed (needed for the test server's certificate)")
    sys.exit(77)
try:
    import jsonschema
except ImportError:
    print("skip: python3-jsonschema is not installed")
    sys.exit(77)

from arm_server import ArmServer  # noqa: E402

BIN, SRC, SHARED = sys.argv[1], sys.argv[2], sys.argv[3]
TOKEN = "tok-graph-7d1c9e2b-secret"
SCHEMA = json.load(open(os.path.join(SRC, "docs", "report.schema.json")))
tmp = tempfile.mkdtemp(prefix="comredir-graph-")
atexit.register(shutil.rmtree, tmp, True)
estate = os.path.join(tmp, "examples")
shutil.copytree(os.path.join(SRC, "examples"), estate)
server = ArmServer(os.path.join(SHARED, "arm", "HostPool_Update.json"), tmp)
s = Suite(BIN, home=tmp, cwd=estate)
texts = []  # every output, for the token check at the end
ARM = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.DesktopVirtualization/hostpools/{}"


def run(*args, ca=True, token=TOKEN, env_extra=None, cwd=None):
    env = {"no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1", **(env_extra or {})}
    if token:
        env["COMREDIR_ARM_TOKEN"] = token
    base = ["report", "--resource-graph", "--arm-endpoint", server.url]
    if ca:
        base += ["--ca-file", server.cert]
    code, out, err = s.run(*base, *args, env_extra=env, cwd=cwd)
    texts.append(out + err)
    return code, out, err


def load(name):
    path = os.path.join(estate, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    texts.append(text)
    return json.loads(text) if name.endswith(".json") else text


def host(report, name):
    return next((h for h in report["hosts"] if h["host"] == name), None)


def decision(report, name, feature):
    h = host(report, name) or {"decisions": []}
    return next((d for d in h["decisions"] if d["feature"] == feature), None)


def graph_source(report):
    return next((x for x in report["sources"] if x["kind"] == "resource-graph"), {})


def valid(report):
    try:
        jsonschema.validate(report, SCHEMA)
        return ""
    except jsonschema.ValidationError as e:
        return e.message


# ---- the fleet: three pages, joined with the config -----------------------------------------
n = len(server.requests)
code, out, err = run("--subscription", "sub-fleet", "--config", "comredir.json", "--feature", "com_ports",
                     "--feature", "drives", "--json", "fleet.json", "--html", "fleet.html")
report = load("fleet.json")
sent = server.requests[n:]
bodies = [json.loads(r["body"]) for r in sent]
s.check("three pages of 3 rows: three POSTs to the query endpoint with api-version 2024-04-01",
        len(sent) == 3 and all(r["method"] == "POST" and r["path"] == "/providers/Microsoft.ResourceGraph/resources"
                               and r["query"].get("api-version") == ["2024-04-01"] for r in sent), sent)
s.check("each request carries the bearer token", all(r["headers"].get("Authorization") == "Bearer " + TOKEN for r in sent))
s.check("the body: the subscription, the query projecting id, $top 1000, objectArray",
        bodies[0]["subscriptions"] == ["sub-fleet"] and "managementGroups" not in bodies[0]
        and "| project id," in bodies[0]["query"] and bodies[0]["options"] == {"$top": 1000, "resultFormat": "objectArray"},
        bodies[0])
s.check("later pages resend the same body with the $skipToken the previous page gave",
        [b["options"].get("$skipToken") for b in bodies] == [None, "Mw==", "Ng=="]
        and all({**b, "options": {k: v for k, v in b["options"].items() if k != "$skipToken"}} == bodies[0] for b in bodies), bodies)
s.check("exit 3: one pool's customRdpProperty is invalid (reported, the report written)",
        code == 3 and report is not None and "pool-bad" in err and "`redirectcomports:i:7`" in err, (code, err))
s.check("the JSON validates against docs/report.schema.json", report is not None and valid(report) == "", report and valid(report))
dup_sub, dup_other = ARM.format("sub-fleet", "rg-us", "pool-dup"), ARM.format("sub-other", "rg-us", "pool-dup")
s.check("one row per pool: config hosts under their names, two pools of one name by ARM id",
        [h["host"] for h in report["hosts"]] == ["lab", "pool1", "pool-bad", "pool-eu", "pool-nocom", "pool-null", dup_sub, dup_other],
        [h["host"] for h in report["hosts"]])
g = report["sources"][1]
s.check("sources: the config, then Resource Graph with its scope, pools, pages and requests",
        report["sources"][0] == {"kind": "config", "path": "comredir.json"} and g["kind"] == "resource-graph"
        and g["endpoint"] == server.url and g["subscriptions"] == ["sub-fleet"] and g["hostPools"] == 8
        and g["pages"] == 3 and g["requests"] == 3 and g["ok"] and not g["partial"], report["sources"])
p1 = host(report, "pool1")
s.check("pool1 (a config host): its GPOs and .rdp, and the pool's properties from Azure by ARM id",
        not p1["osUnknown"] and p1["hostPoolId"] == ARM.format("sub-fleet", "rg-avd", "pool1")
        and [x["kind"] for x in p1["sources"]] == ["gpo", "gpo", "hostpool", "rdp"]
        and p1["sources"][2]["path"] == ARM.format("sub-fleet", "rg-avd", "pool1"), p1.get("sources"))
d = decision(report, "pool1", "drives")
s.check("pool1 drives: Azure's property is what the host-pool layer reads (not the example store's `drivestoredirect:s:*`)",
        d["status"] == "allow", d)
d = decision(report, "lab", "com_ports")
s.check("lab com_ports: allow, the config's OS layer and Azure's `redirectcomports:i:1`",
        d["status"] == "allow" and not host(report, "lab")["osUnknown"], d)
eu = host(report, "pool-eu")
s.check("a pool no config host names: OS layer unknown, said as its source",
        eu["osUnknown"] and eu["sources"][0]["kind"] == "unknown" and not eu["sources"][0]["ok"]
        and "no host of config `comredir.json` names host pool `pool-eu`" in eu["sources"][0]["error"], eu["sources"])
d = decision(report, "pool-eu", "com_ports")
s.check("... its com_ports: `unknown`, never allow, decided by the OS layer that is not known",
        d["status"] == "unknown" and d["decidedBy"] == "os_policy" and d["reason"].startswith("unknown: ")
        and d["overrode"] == [], d)
d = decision(report, "pool-nocom", "com_ports")
s.check("a pool whose properties deny COM ports: `deny` by host_pool whatever the OS policy says",
        d["status"] == "deny" and d["decidedBy"] == "host_pool" and d["setting"] == "host pool `pool-nocom`: `redirectcomports:i:0`"
        and "denies whatever the OS policy says" in d["reason"], d)
s.check("a pool whose customRdpProperty is null: nothing set, `unknown`",
        decision(report, "pool-null", "com_ports")["status"] == "unknown")
d = decision(report, "pool-bad", "com_ports")
s.check("an invalid value in Azure: `error`, named by the pool's ARM id",
        d["status"] == "error" and ARM.format("sub-fleet", "rg-eu", "pool-bad") in " ".join(host(report, "pool-bad")["inputErrors"]), d)
s.check("two pools of one name keep their own properties",
        decision(report, dup_sub, "com_ports")["status"] == "unknown" and decision(report, dup_other, "com_ports")["status"] == "deny")
counts = report["summary"]["features"]["com_ports"]
s.check("summary counts per status match the hosts",
        counts == {"allow": 1, "deny": 3, "error": 1, "unknown": 3} and report["summary"]["hosts"] == 8
        and not report["summary"]["partial"], counts)
s.check("the config host whose pool Azure did not return is named in a note",
        report["summary"]["notes"] == ["config host(s) whose host pool Azure Resource Graph did not return, not reported: `serial-linux`"],
        report["summary"]["notes"])
html = load("fleet.html")
s.check("the HTML: Resource Graph in the sources, an Unknown column with its count, the ARM id per host",
        "Azure Resource Graph " + server.url + " (subscriptions sub-fleet): 8 host pools in 3 page(s)" in html
        and '<span id="count-unknown-com_ports">3</span>' in html
        and "unknown (denied until the OS policy is known)" in html
        and ARM.format("sub-fleet", "rg-eu", "pool-eu") in html, html[:400])

# ---- the terminal, --host, no config, management groups ----------------------------------------
code, out, err = run("--subscription", "sub-fleet", "--config", "comredir.json", "--feature", "com_ports",
                     "--host", "pool1", "--host", "pool-eu", "--host", "pool-nocom")
s.check("--host picks pools by name; the matrix says unknown and deny; exit 0",
        code == 0 and [line.split() for line in out.splitlines()[2:5]] == [
            ["HOST", "com_ports"], ["pool1", "deny"], ["pool-eu", "unknown"]], (code, out, err))
s.check("... the summary line names the config and the graph",
        out.startswith("3 host(s), 0 with errors; config `comredir.json`; Azure Resource Graph: 8 host pools\n"), out[:120])
code, out, err = run("--subscription", "sub-fleet", "--feature", "com_ports", "--host", dup_other, "--host", "nothere",
                     "--json", "-", cwd=tmp)  # no comredir.json there to be found
r = json.loads(out) if out.startswith("{") else {"hosts": [], "sources": []}
s.check("without a config: only Resource Graph in the sources, every OS layer unknown",
        [x["kind"] for x in r["sources"]] == ["resource-graph"] and host(r, dup_other)["osUnknown"]
        and "no config given" in host(r, dup_other)["sources"][0]["error"], r.get("sources"))
s.check("--host by ARM id; a name that is neither a host nor a pool is an error row, exit 3",
        code == 3 and [h["host"] for h in r["hosts"]] == [dup_other, "nothere"] and not host(r, "nothere")["loaded"], (code, err))
n = len(server.requests)
code, out, err = run("--management-group", "mg-fleet", "--feature", "com_ports", "--host", "pool-eu", "--json", "-")
body = json.loads(server.requests[n]["body"]) if len(server.requests) > n else {}
s.check("--management-group: the body names managementGroups, not subscriptions",
        code == 0 and body.get("managementGroups") == ["mg-fleet"] and "subscriptions" not in body, (code, body, err))

code, out, err = run("--subscription", "sub-fleet", "--config", "comredir.json", "--feature", "com_ports",
                     "--host", "pool1", "--host", "pool-eu", "--baseline", "pool1", "--json", "-")
r = json.loads(out) if out.startswith("{") else {}
eu = next((h for h in (r.get("baseline") or {}).get("hosts", []) if h["host"] == "pool-eu"), {})
s.check("--baseline with Azure's pools: pool-eu's properties against pool1's, property by property",
        code == 0 and {"property": "redirectcomports", "baseline": "i:0", "value": "i:1"} in eu.get("differences", [])
        and {"property": "audiocapturemode", "baseline": None, "value": "i:1"} in eu.get("differences", []), (code, eu, err))

# ---- throttling, partial results, failures -----------------------------------------------------
n = len(server.requests)
start = time.monotonic()
code, out, err = run("--subscription", "sub-busy", "--host", "pool1", "--config", "comredir.json", "--json", "busy.json",
                     "--verbose")
sent = server.requests[n:]
gap = sent[1]["time"] - sent[0]["time"] if len(sent) > 1 else 0
s.check("429 with x-ms-user-quota-resets-after 00:00:01: waited about a second, then the pages; exit 0",
        code == 0 and len(sent) == 4 and 0.9 <= gap < 5, (code, len(sent), gap, err))
s.check("--verbose shows the retry and never the token",
        "resource-graph: POST " in err and "HTTP 429" in err and "retrying in 1000 ms" in err and "Bearer ***" in err, err)
busy = load("busy.json")
s.check("... and the report counts every request", graph_source(busy)["requests"] == 4 if busy else False,
        busy and busy["sources"])

code, out, err = run("--subscription", "sub-truncated", "--json", "trunc.json", "--html", "trunc.html")
t = load("trunc.json")
s.check("a truncated result: written, marked partial, how many of how many said, exit 3",
        code == 3 and t is not None and t["summary"]["partial"] and graph_source(t)["partial"] and graph_source(t)["ok"]
        and "Azure Resource Graph: Resource Graph gave 2 of 8 host pools (resultTruncated, no $skipToken)" in t["summary"]["errors"]
        and len(t["hosts"]) == 2 and valid(t) == "", (code, err, t and t["summary"]))
s.check("... the HTML says it is partial", 'id="summary-partial"' in (load("trunc.html") or ""))

code, out, err = run("--subscription", "sub-pagefail", "--json", "fail.json")
f = load("fail.json")
s.check("a page that fails after the first: the first page's pools reported, partial, page 2 named, exit 3",
        code == 3 and f is not None and len(f["hosts"]) == 3 and f["summary"]["partial"] and not graph_source(f)["ok"]
        and "page 2: HTTP 503 (ServiceUnavailable: try later)" in graph_source(f)["message"]
        and "the result is partial" in graph_source(f)["message"], (code, err, f and graph_source(f)))

code, out, err = run("--subscription", "sub-garbage", "--json", "garbage.json")
s.check("malformed JSON: exit 3, one line naming it, nothing written",
        code == 3 and "malformed JSON" in err and len(err.strip().splitlines()) == 1 and load("garbage.json") is None, (code, err))
n = len(server.requests)
code, out, err = run("--subscription", "sub-fleet", "--json", "untrusted.json", ca=False)
s.check("an untrusted certificate: exit 3, said, nothing written, no request reached the server",
        code == 3 and "certificate" in err.lower() and load("untrusted.json") is None and len(server.requests) == n, (code, err))
code, out, err = run("--subscription", "sub-echo")
s.check("an error echoing the Authorization header: exit 3, the token redacted",
        code == 3 and "Bearer ***" in err and TOKEN not in err, err)
empty_bin = os.path.join(tmp, "nobin")
os.makedirs(empty_bin, exist_ok=True)
code, out, err = run("--subscription", "sub-fleet", token=None, env_extra={"PATH": empty_bin})
s.check("no token (no COMREDIR_ARM_TOKEN, no az): exit 3, said", code == 3 and "az" in err, (code, err))

# ---- usage ---------------------------------------------------------------------------------------
code, out, err = s.run("report", "--config", "comredir.json", "--subscription", "sub-fleet")
s.check("--subscription without --resource-graph: exit 2", code == 2 and "--subscription is for --resource-graph" in err, (code, err))
code, out, err = run("--subscription", "a", "--management-group", "b")
s.check("subscriptions and management groups together: exit 2", code == 2 and "not both" in err, (code, err))
code, out, err = run()
s.check("neither: exit 2", code == 2, (code, err))
code, out, err = s.run("report", "--resource-graph", "--subscription", "a", "--arm-endpoint", "http://127.0.0.1:1",
                       env_extra={"COMREDIR_ARM_TOKEN": TOKEN})
texts.append(out + err)
s.check("an http:// endpoint: exit 2", code == 2 and "is not an https URL" in err, (code, err))
code, out, err = s.run("report", "--help")
s.check("--help teaches --resource-graph: scope, unknown, token, exit codes",
        "--resource-graph" in out and "--management-group" in out and "unknown" in out and "COMREDIR_ARM_TOKEN" in out, out[-800:])

s.check("the token appears in no output, no JSON and no HTML", all(TOKEN not in t for t in texts),
        [t[:200] for t in texts if TOKEN in t])
server.stop()
s.finish()
