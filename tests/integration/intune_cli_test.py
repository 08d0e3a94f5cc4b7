#!/usr/bin/python3
"""`comredir-policy intune admx-ingest` end to end: the Intune rows for comredir's own
templates and a test fixture, the --json shape, exit codes and message formats.

Usage: intune_cli_test.py COMREDIR_POLICY SOURCE_DIR
Prints one line per check and `N passed, M failed`; exits 1 on any failure.
"""
import json
import os
import shutil
import sys
import tempfile

from clitest import Suite

BIN, SRC = sys.argv[1], sys.argv[2]
OWN_ADMX = os.path.join(SRC, "admx", "comredir.admx")
FIXTURE = os.path.join(SRC, "tests", "data", "intune_ingest")
tmp = tempfile.mkdtemp(prefix="comredir-intune-")
GRAPH_KEYS = {"@odata.type", "displayName", "description", "omaUri", "value"}
DEV = "./Device/Vendor/MSFT/Policy/Config/comredir~Policy~Cat_comredir"


suite = Suite(BIN, home=tmp)
run, check = suite.run, suite.check


def rows(*args):
    code, out, err = run("intune", "admx-ingest", *args, "--json")
    try:
        doc = json.loads(out)
    except json.JSONDecodeError as e:
        doc = None
        err += f" (not JSON: {e})"
    return code, doc, err


# comredir's own templates, as JSON.
code, doc, err = rows("--admx", OWN_ADMX)
check("own templates --json: exit 0", code == 0 and isinstance(doc, list), f"{code} {err}")
doc = doc or [{}]
check("own templates: ADMXInstall row and 10 policy rows", len(doc) == 11, len(doc))
check("every row is a Graph omaSettingString",
      all(set(r) == GRAPH_KEYS and r["@odata.type"] == "#microsoft.graph.omaSettingString" for r in doc),
      doc[0].keys())
with open(OWN_ADMX, "rb") as f:
    own_bytes = f.read()
check("ADMXInstall value equals the file's bytes exactly",
      doc[0].get("value", "").encode("utf-8") == own_bytes)
check("ADMXInstall URI",
      doc[0].get("omaUri") == "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/comredir/Policy/comredir",
      doc[0].get("omaUri"))
by_uri = {r["omaUri"]: r["value"] for r in doc[1:]}
check("LatencyWarning row: URI and dialog default",
      by_uri.get(DEV + "~Cat_Redirection/LatencyWarning") == '<enabled/><data id="LatencyWarningMs" value="20"/>',
      by_uri)
check("notes on stderr name the empty lists",
      "comredir-policy: note: policy `AllowedPortNames`: element `AllowedPortList` is empty: add entries with "
      "`AllowedPortNames.AllowedPortList=VALUE` (repeat it)\n" in err, err)

# Text: the table admins paste from.
code, out, err = run("intune", "admx-ingest", "--admx", OWN_ADMX)
lines = out.splitlines()
check("text: exit 0", code == 0, f"{code} {err}")
check("text: table header", len(lines) > 2 and lines[2].split() == ["Name", "OMA-URI", "Data", "type", "Value"], lines[:3])
check("text: ADMXInstall row first, value named by path and size",
      len(lines) > 3 and lines[3].startswith("comredir ADMX ingestion (comredir.admx)")
      and lines[3].endswith(f"String     <the whole text of {OWN_ADMX}, {len(own_bytes)} bytes>"), lines[3:4])
check("text: title, blank line, header, 11 rows", len(lines) == 14, len(lines))

# Values, state, selection.
code, doc, err = rows("--admx", OWN_ADMX, "--set", "AllowedPortNames.AllowedPortList=COM1",
                      "--set", "AllowedPortNames.AllowedPortList=COM*")
check("--set list entries: separator &#xF000; between name/data pairs",
      code == 0 and len(doc) == 2 and doc[1]["value"] ==
      '<enabled/><data id="AllowedPortList" value="1&#xF000;COM1&#xF000;2&#xF000;COM*"/>', doc)
code, doc, err = rows("--admx", OWN_ADMX, "--state", "disabled", "--policy", "DenyComRedirection")
check("--state disabled --policy: one <disabled/> row",
      code == 0 and [r["value"] for r in doc[1:]] == ["<disabled/>"] and
      doc[1]["omaUri"] == DEV + "~Cat_Redirection/DenyComRedirection", doc)

# The fixture: ADML found beside the ADMX, User and Both classes.
code, doc, err = rows("--admx", os.path.join(FIXTURE, "Contoso.admx"), "--app-name", "Contoso",
                      "--scope", "user", "--policy", "UserText", "--set", "BothEnum.Mode=Fast")
names = {r["displayName"]: r for r in (doc or [])}
check("fixture: ADML found in en-US/ beside the ADMX", "Start page (Enabled)" in names, list(names))
check("fixture: User class, root-first category path",
      names.get("Start page (Enabled)", {}).get("omaUri") ==
      "./User/Vendor/MSFT/Policy/Config/Contoso~Policy~Cat_Root~Cat_Mid~Cat_Leaf/UserText", names.get("Start page (Enabled)"))
check("fixture: --scope user for class Both, enum by display name",
      names.get("Mode (Enabled)", {}).get("omaUri") == "./User/Vendor/MSFT/Policy/Config/Contoso~Policy~Cat_Root~Cat_Mid/BothEnum"
      and names.get("Mode (Enabled)", {}).get("value") == '<enabled/><data id="Mode" value="3"/>', names.get("Mode (Enabled)"))

# No ADML: a warning, rows still printed.
lone = os.path.join(tmp, "Lone.admx")
shutil.copy(os.path.join(FIXTURE, "Contoso.admx"), lone)
code, doc, err = rows("--admx", lone, "--app-name", "Contoso")
check("no ADML: exit 0, warning names the ADMX",
      code == 0 and err.startswith(f"comredir-policy: warning: no ADML for `{lone}` (--adml FILE): rows are named "
                                   "by ADMX names and dialog defaults are unknown\n"), f"{code} {err}")
check("no ADML: rows named by ADMX names", doc and doc[1]["displayName"] == "UserText (Enabled)", doc and doc[1])

# A template ingestion refuses.
planted = os.path.join(tmp, "Planted.admx")
with open(os.path.join(FIXTURE, "Contoso.admx"), encoding="utf-8") as f:
    text = f.read()
with open(planted, "w", encoding="utf-8") as f:
    f.write(text.replace('key="Software\\Policies\\Contoso\\App\\Map"',
                         'key="Software\\Policies\\Microsoft\\Windows NT\\Terminal Services"'))
code, out, err = run("intune", "admx-ingest", "--admx", planted, "--adml",
                     os.path.join(FIXTURE, "en-US", "Contoso.adml"))
check("key under Software\\Policies\\Microsoft: exit 3, message names policy and key",
      code == 3 and out == "" and err ==
      "comredir-policy: `Planted.admx`: policy `ExplicitList`: key `Software\\Policies\\Microsoft\\Windows NT\\"
      "Terminal Services` is under `Software\\Policies\\Microsoft`, where ADMX ingestion refuses to write\n",
      f"{code} {err}")

# Unreadable and malformed input: exit 3.
missing = os.path.join(tmp, "missing.admx")
code, out, err = run("intune", "admx-ingest", "--admx", missing)
check("missing ADMX: exit 3", code == 3 and err == f"comredir-policy: cannot read ADMX `{missing}`\n", f"{code} {err}")
broken = os.path.join(tmp, "Broken.admx")
with open(broken, "w") as f:
    f.write("<policyDefinitions>\n<policies>\n")
code, out, err = run("intune", "admx-ingest", "--admx", broken)
check("malformed ADMX: exit 3, file and line", code == 3 and err.startswith(f"comredir-policy: {broken}: line "), f"{code} {err}")

# Command-line problems: exit 2, one line each.
usage = [
    (["--set", "LatencyWarning.LatencyWarningMs=70000"],
     "comredir-policy: policy `LatencyWarning`: element `LatencyWarningMs`: `70000` is out of range 0..60000\n"),
    (["--set", "Nope.X=1"], "comredir-policy: no policy `Nope` in `comredir.admx`\n"),
    (["--set", "LatencyWarning.X=1"],
     "comredir-policy: policy `LatencyWarning` has no element `X` (elements: `LatencyWarningMs`)\n"),
    (["--policy", "TS_CLIENT_COM"], "comredir-policy: no policy `TS_CLIENT_COM` in `comredir.admx`\n"),
    (["--app-name", "a/b"],
     "comredir-policy: app name `a/b` cannot be an OMA-URI segment (use letters, digits, `_`, `-`, `.`)\n"),
    (["--state", "disabled", "--set", "LatencyWarning.LatencyWarningMs=5"],
     "comredir-policy: `LatencyWarning.LatencyWarningMs=5`: element values apply to enabled policies only\n"),
]
for args, want in usage:
    code, out, err = run("intune", "admx-ingest", "--admx", OWN_ADMX, *args)
    check(f"{' '.join(args)}: exit 2, exact message", code == 2 and out == "" and err == want, f"{code} {err!r}")
code, out, err = run("intune", "admx-ingest", "--state", "on")
check("--state on: exit 2", code == 2 and "--state" in err, f"{code} {err}")
code, out, err = run("intune")
check("intune without a verb: exit 2", code == 2, f"{code} {err}")

# The help teaches the order.
code, out, err = run("intune", "admx-ingest", "--help")
check("--help: exit 0, explains ADMXInstall and the order",
      code == 0 and "ADMXInstall" in out and "Order:" in out and "omaSettingString" in out, out[:500])

shutil.rmtree(tmp)
suite.finish()
