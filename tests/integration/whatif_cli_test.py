#!/usr/bin/python3
"""`comredir-policy effective --set`: what-if on each layer of the example estate, exact
decisions and reasons, JSON against the published schema, usage errors, nothing written.

Usage: whatif_cli_test.py COMREDIR_POLICY SOURCE_DIR
"""
import hashlib
import json
import os
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
SCHEMA = json.load(open(os.path.join(SRC, "docs", "effective.schema.json")))

tmp = tempfile.mkdtemp(prefix="comredir-whatif-")
estate = os.path.join(tmp, "examples")
shutil.copytree(os.path.join(SRC, "examples"), estate)
suite = Suite(BIN, home=tmp, cwd=estate)


def snapshot():
    out = {}
    for d, _, files in os.walk(estate):
        for f in files:
            p = os.path.join(d, f)
            out[p] = (os.stat(p).st_mtime_ns, hashlib.sha256(open(p, "rb").read()).hexdigest())
    return out


def whatif(*sets, feature="com_ports"):
    args = ["effective", "--host", "pool1", "--feature", feature, "--json"]
    for s in sets:
        args += ["--set", s]
    code, out, err = suite.run(*args)
    doc = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return code, doc, err


before_files = snapshot()

# os: the lockdown GPO's fDisableCcm=1 overridden by a modelled 0.
code, doc, err = whatif("os:fDisableCcm=0")
d = doc["decisions"][0]
suite.check("os what-if exits 0", code == 0, (code, err))
suite.check("os what-if: com_ports would be allowed, decided by the what-if",
            (d["effective"], d["decidedBy"]) == ("allow", "os_policy"), d)
os_layer = d["layers"][0]
suite.check("os what-if: provenance names the argument and the value",
            os_layer["provenance"] == {"source": "what-if", "detail": "--set os:fDisableCcm=0",
                                       "admxPolicy": "TS_CLIENT_COM",
                                       "admxDisplayName": "Do not allow COM port redirection",
                                       "registryKey": "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services",
                                       "registryValue": "fDisableCcm", "raw": "0"}, os_layer["provenance"])
suite.check("os what-if: the two GPO writes are cited as overridden",
            [o.get("gpoName") for o in os_layer["overridden"]] == ["Local Group Policy", "Contoso - RDS device lockdown"],
            os_layer["overridden"])
suite.check("os what-if: before = deny by the GPO, changed = [com_ports]",
            doc["whatIf"]["before"][0]["effective"] == "deny" and doc["whatIf"]["changed"] == ["com_ports"]
            and doc["whatIf"]["set"] == ["os:fDisableCcm=0"], doc["whatIf"])

# A what-if that allows in one layer is still overridden by a stricter layer.
code, doc, err = whatif("os:fDisableCcm=0", "hostpool:redirectcomports=0")
d = doc["decisions"][0]
suite.check("host pool what-if denies although the OS what-if allows",
            (d["effective"], d["decidedBy"], d["overrode"]) == ("deny", "host_pool", ["os_policy", "client"]), d)
hp = d["layers"][1]
suite.check("host pool what-if: cites the property and overrides the pool's own",
            hp["provenance"]["rdpProperty"] == "redirectcomports:i:0" and hp["provenance"]["source"] == "what-if"
            and [o["rdpProperty"] for o in hp["overridden"]] == ["redirectcomports:i:1"], hp)

# client layer, typed property, text output.
code, out, err = suite.run("effective", "--host", "pool1", "--feature", "com_ports",
                           "--set", "os:fDisableCcm=delete", "--set", "client:redirectcomports:i=0")
row = next((l for l in out.splitlines() if l.startswith("com_ports ")), "")
suite.check("text: NOW, WOULD BE, DECIDED BY and WHY of the client what-if",
            row == "com_ports  deny  deny (same)  client      what-if `--set client`: `redirectcomports:i:0`; "
                   "overrides host_pool: host pool `pool1`: `redirectcomports:i:1`", row)
suite.check("text: lists the modelled arguments",
            "what-if (modelled; nothing is written):\n  --set os:fDisableCcm=delete\n  --set client:redirectcomports:i=0\n" in out,
            out)

# Deleting an OS value: the note names the what-if that deleted it.
code, doc, err = whatif("os:fDisableCcm=delete")
suite.check("os delete: the note names the what-if (not an empty source)",
            doc["decisions"][0]["notes"] == ["TS_CLIENT_COM: `fDisableCcm` deleted by what-if "
                                             "`--set os:fDisableCcm=delete` (not configured)"], doc["decisions"][0]["notes"])

# Removing a property: the layer falls back to not configured.
code, doc, err = whatif("hostpool:redirectcomports", "os:fDisableCcm=0")
d = doc["decisions"][0]
suite.check("removed host pool property: not configured, default applies",
            d["layers"][1]["configured"] == "not_configured" and d["effective"] == "allow", d["layers"][1])
suite.check("removed host pool property: a note says so",
            "what-if `hostpool:redirectcomports`: `redirectcomports` removed from host pool `pool1`" in doc["notes"],
            doc["notes"])

# Only what differs is listed as changed.
code, doc, err = whatif("hostpool:redirectclipboard=0", feature="all")
suite.check("changed lists exactly the features whose decision moved",
            doc["whatIf"]["changed"] == ["clipboard"], doc["whatIf"]["changed"])

# Usage errors: exit 2, one line naming the argument.
for arg, msg in [
    ("foo:bar=1", "comredir-policy: `--set foo:bar=1`: unknown layer `foo` (expected os, hostpool or client)\n"),
    ("fDisableCcm=1", "comredir-policy: `--set fDisableCcm=1`: expected `LAYER:NAME=VALUE` (LAYER: os, hostpool, client)\n"),
    ("os:fDisableCcm=abc", "comredir-policy: `--set os:fDisableCcm=abc`: data `abc` is not a number, `dword:N`, `sz:TEXT` or `delete`\n"),
    ("os:fDisableCcm", "comredir-policy: `--set os:fDisableCcm`: needs `=DATA` (a number, `dword:N`, `sz:TEXT` or `delete`)\n"),
    ("hostpool:redirectcomports:i=yes", "comredir-policy: `--set hostpool:redirectcomports:i=yes`: value `yes` is not an integer (`:i:`)\n"),
    ("client:a;b=1", "comredir-policy: `--set client:a;b=1`: `a;b` is not an RDP property name\n"),
]:
    code, out, err = suite.run("effective", "--host", "pool1", "--set", arg)
    suite.check(f"usage error for `{arg}`", (code, out, err) == (2, "", msg), (code, out, err))
code, out, err = suite.run("effective", "--no-config", "--product", "w365", "--set", "hostpool:redirectcomports=1")
suite.check("host pool what-if on a product without that layer",
            (code, err) == (2, "comredir-policy: `--set hostpool:redirectcomports=1`: product `w365` has no host-pool layer\n"),
            (code, err))

suite.check("nothing in the estate was written", snapshot() == before_files)
shutil.rmtree(tmp)
suite.finish()
