#!/usr/bin/python3
"""`comredir-policy report` on the example estate: the matrix, exact decisions with their
winning setting, summary counts that match the hosts, the JSON against
docs/report.schema.json, the HTML self-contained (no external resource) with the same
figures, baseline drift property by property, and the errors: an unknown host (reported,
exit 3), an unknown baseline (exit 2), an output that cannot be written (exit 3, nothing
half-written), --fail-on-deny (exit 4).

Usage: report_cli_test.py COMREDIR_POLICY SOURCE_DIR
"""
import json
import os
import re
import shutil
import sys
import tempfile

from clitest import Suite

try:
    import jsonschema
except ImportError:
    print("skip: python3-jsonschema is not installed")
    sys.exit(77)

BIN, SRC = sys.argv[1], sys.argv[2]
SCHEMA = json.load(open(os.path.join(SRC, "docs", "report.schema.json")))

tmp = tempfile.mkdtemp(prefix="comredir-report-")
estate = os.path.join(tmp, "examples")
shutil.copytree(os.path.join(SRC, "examples"), estate)
s = Suite(BIN, home=tmp, cwd=estate)


def decision(report, host, feature):
    for h in report["hosts"]:
        if h["host"] == host:
            for d in h["decisions"]:
                if d["feature"] == feature:
                    return d
    return None


# ---- the terminal matrix ------------------------------------------------------------------
code, out, err = s.run("report", "--config", "comredir.json", "--feature", "com_ports", "--feature", "clipboard")
rows = [re.split(r"\s+", line.strip()) for line in out.splitlines()[2:] if line.strip()]
s.check("report prints hosts x features: allow / deny per cell", code == 0 and rows == [
    ["HOST", "com_ports", "clipboard"],
    ["cpc-finance", "deny", "allow"],
    ["lab", "allow", "deny"],
    ["pool1", "deny", "allow"],
    ["serial-linux", "allow", "deny"]], (code, out, err))
s.check("... after a one-line summary", out.startswith("4 host(s), 0 with errors; config `comredir.json`"), out[:80])

# ---- JSON and HTML -------------------------------------------------------------------------------
code, out, err = s.run("report", "--config", "comredir.json", "--json", "r.json", "--html", "r.html",
                       "--baseline", "pool1")
s.check("--json and --html write files, nothing on stdout", code == 0 and out == "", (code, out, err))
report = json.load(open(os.path.join(estate, "r.json")))
try:
    jsonschema.validate(report, SCHEMA)
    valid = ""
except jsonschema.ValidationError as e:
    valid = e.message
s.check("the JSON validates against docs/report.schema.json", valid == "", valid)
s.check("every host of the config, by name", [h["host"] for h in report["hosts"]] ==
        ["cpc-finance", "lab", "pool1", "serial-linux"])
d = decision(report, "pool1", "com_ports")
s.check("pool1 com_ports: denied by the OS policy, the GPO's setting named",
        d["status"] == "deny" and d["decidedBy"] == "os_policy" and not d["byDefault"] and
        d["setting"].startswith("GPO `Contoso - RDS device lockdown` {3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}: "
                                "`Do not allow COM port redirection` (TS_CLIENT_COM) Enabled: fDisableCcm = 1"), d)
s.check("... with what it overrode: the host pool's and the client's settings",
        [(o["layer"], o["setting"]) for o in d["overrode"]] ==
        [("host_pool", "host pool `pool1`: `redirectcomports:i:1`"),
         ("client", "`clients/alice-pool1.rdp` line 4: `redirectcomports:i:1`")], d["overrode"])
s.check("... and the GPO it beat by order",
        d["conflicts"] == ["conflict: GPO `Contoso - RDS device lockdown` wins by order over GPO "
                           "`Local Group Policy` (fDisableCcm = 0)"], d["conflicts"])
d = decision(report, "pool1", "pnp_devices")
s.check("a default decides: byDefault, and the setting says why",
        d["status"] == "deny" and d["byDefault"] and "not configured: default" in d["setting"], d)
s.check("serial_console is reported for the Linux host only",
        decision(report, "serial-linux", "serial_console")["status"] == "allow" and
        decision(report, "pool1", "serial_console") is None)
counts = {f["id"]: {"allow": 0, "deny": 0, "error": 0, "unknown": 0} for f in report["features"]}
for h in report["hosts"]:
    for dd in h["decisions"]:
        counts[dd["feature"]][dd["status"]] += 1
s.check("summary counts are the hosts' decisions", report["summary"]["features"] == counts and
        report["summary"]["hosts"] == 4 and report["summary"]["hostsWithErrors"] == 0)
s.check("summary: com_ports denied on 2 hosts", counts["com_ports"] == {"allow": 2, "deny": 2, "error": 0, "unknown": 0})
drift = {h["host"]: h for h in report["baseline"]["hosts"]}
s.check("baseline drift: lab's clipboard and drives differ from pool1's, property by property",
        {"property": "redirectclipboard", "baseline": "i:1", "value": "i:0"} in drift["lab"]["differences"] and
        {"property": "drivestoredirect", "baseline": "s:*", "value": "s:C:\\;E:\\"} in drift["lab"]["differences"],
        drift["lab"])
s.check("baseline drift: a product without a host-pool layer is not compared, and says so",
        not drift["cpc-finance"]["compared"] and "no host-pool layer" in drift["cpc-finance"]["note"], drift["cpc-finance"])

html = open(os.path.join(estate, "r.html"), encoding="utf-8").read()
external = re.findall(r'(?:src|href)\s*=\s*"(?!#)[^"]*"|<link\b|@import|url\(', html)
s.check("the HTML is self-contained: no external resource, no link, only #anchors", external == [], external[:5])
s.check("the HTML shows the same host count as the JSON",
        re.search(r'id="summary-hosts">(\d+)<', html).group(1) == "4")
for f in ("com_ports", "clipboard", "location"):
    got = re.search(rf'id="count-deny-{f}">(\d+)<', html)
    s.check(f"the HTML's deny count of {f} is the JSON's", got and int(got.group(1)) == counts[f]["deny"],
            got.group(0) if got else None)
row = re.search(r'<tr id="d-pool1-com_ports">(.*?)</tr>', html, re.S)
s.check("the HTML's pool1 com_ports row: deny, os_policy, the GPO setting, what it overrode",
        row and 'class="deny"' in row.group(1) and ">os_policy<" in row.group(1) and
        "fDisableCcm = 1" in row.group(1) and "host_pool: host pool `pool1`" in row.group(1),
        row.group(1)[:600] if row else None)
s.check("the HTML has collapsible host sections and accessible tables",
        html.count("<details") == 4 and "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html)
s.check("light and dark, and print", "prefers-color-scheme: dark" in html and "@media print" in html)

# ---- errors -------------------------------------------------------------------------------------
code, out, err = s.run("report", "--config", "comredir.json", "--host", "pool1", "--host", "nope",
                       "--feature", "com_ports", "--json", "-")
j = json.loads(out) if out.startswith("{") else {}
s.check("an unknown host is in the report as an error, exit 3",
        code == 3 and j.get("summary", {}).get("hostsWithErrors") == 1 and
        j["summary"]["features"]["com_ports"] == {"allow": 0, "deny": 1, "error": 1, "unknown": 0} and
        "comredir-policy: nope: host `nope` is not in config" in err, (code, err))
code, out, err = s.run("report", "--config", "comredir.json", "--baseline", "nowhere")
s.check("an unknown baseline: exit 2, said in one line",
        code == 2 and err.strip() == "comredir-policy: baseline `nowhere` is no host or host pool of the report",
        (code, err))
code, out, err = s.run("report", "--config", "comredir.json", "--baseline", "cpc-finance")
s.check("a baseline without a host-pool layer: exit 2",
        code == 2 and "has no host-pool layer" in err, (code, err))
code, out, err = s.run("report", "--config", "comredir.json", "--html", "no/such/folder/r.html")
s.check("an output that cannot be written: exit 3, the path named, nothing left behind",
        code == 3 and "no/such/folder/r.html" in err and not os.path.exists(os.path.join(estate, "no")), (code, err))
code, out, err = s.run("report", "--config", "comredir.json", "--feature", "bogus")
s.check("an unknown feature: exit 2", code == 2, (code, err))
code, out, err = s.run("report", "--config", "comredir.json", "--feature", "com_ports", "--fail-on-deny")
s.check("--fail-on-deny: exit 4 when a host denies", code == 4, code)
code, out, err = s.run("report", "--config", "comredir.json", "--host", "lab", "--feature", "com_ports",
                       "--fail-on-deny")
s.check("--fail-on-deny: exit 0 when every host allows", code == 0, (code, err))
broken = os.path.join(estate, "broken.json")
with open(broken, "w") as f:
    f.write('{"version": 1, "hosts": {')
code, out, err = s.run("report", "--config", broken)
s.check("a config that cannot be read: exit 3, its line and column named",
        code == 3 and "broken.json" in err and "line 1" in err, (code, err))
code, out, err = s.run("report", "--help")
s.check("--help teaches: the HTML's parts, the schema, exit codes, examples",
        code == 0 and "docs/report.schema.json" in out and "exit codes:" in out and "--baseline" in out)

shutil.rmtree(tmp)
s.finish()
