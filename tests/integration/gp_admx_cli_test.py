#!/usr/bin/python3
"""`gp list` against GPMC's own reports, and `admx list / show / validate`, end to end.

Usage: gp_admx_cli_test.py COMREDIR_POLICY SOURCE_DIR SHARED_DATA
Prints one line per check and `N passed, M failed`; exits 1 on any failure.

gp list: for every GPO under SHARED_DATA/gpo, `gp list --gpo` must report exactly the
policies (names, states, category paths, element values) that GPMC wrote in the GPO's
gpreport.xml, for every policy the loaded ADMX set defines. Expected values are read from
the reports here, never copied by hand.
"""
import json
import re
import os
import shutil
import struct
import sys
import tempfile
import xml.etree.ElementTree as ET

from clitest import Suite

BIN, SRC, SHARED = sys.argv[1], sys.argv[2], sys.argv[3]
MS_ADMX = os.path.join(SHARED, "admx")
SCHEMA = os.path.join(SHARED, "..", "schemas", "admx", "PolicyDefinitionFiles.xsd")
OWN = os.path.join(SRC, "admx")
tmp = tempfile.mkdtemp(prefix="comredir-gp-admx-")


suite = Suite(BIN, home=tmp)
run, check = suite.run, suite.check


def local(tag):
    return tag.rsplit("}", 1)[-1]


def child(el, name):
    return next((c for c in el if local(c.tag) == name), None)


# --- gp list --gpo against gpreport.xml -----------------------------------------------------

def report_policies(section):
    """{display name: (state, category, [element values])} of every Policy below `section`."""
    out = {}
    for el in section.iter():
        if local(el.tag) != "Policy":
            continue
        name, state, cat = child(el, "Name"), child(el, "State"), child(el, "Category")
        values = []
        for sub in el:
            kind = local(sub.tag)
            if kind == "DropDownList":
                v = child(sub, "Value")
                if v is not None and child(v, "Name") is not None:
                    values.append(child(v, "Name").text or "")
            elif kind in ("Numeric", "EditText"):
                v = child(sub, "Value")
                if v is not None:
                    values.append(v.text or "")
        out[name.text] = (state.text, cat.text if cat is not None else "", values)
    return out


code, out, err = run("admx", "list", "--admx", MS_ADMX, "--json")
check("admx list --json exits 0", code == 0, err)
loaded = {}  # display name -> classes: a name can be a Machine and a User policy
for p in json.loads(out or "[]"):
    loaded.setdefault(p["display_name"], set()).add(p["class"])

code, out, err = run("gp", "list", "--gpo", os.path.join(SHARED, "gpo"), "--admx", MS_ADMX, "--json")
check("gp list --gpo over every shared GPO exits 0", code == 0, err)
ours = json.loads(out or "[]")
check("gp list --json is an array of objects with the documented keys",
      isinstance(ours, list) and ours and all(
          {"policy", "display_name", "class", "state", "category", "elements", "scope", "file", "gpo", "gpo_guid"} <= set(p)
          and p["state"] in ("enabled", "disabled") and isinstance(p["elements"], dict) for p in ours),
      ours[:2])

reports = []
for root, _dirs, files in os.walk(os.path.join(SHARED, "gpo")):
    if "gpreport.xml" in files:
        reports.append(os.path.join(root, "gpreport.xml"))
check("shared data has gpreport.xml files", len(reports) >= 2, reports)

def read_report(path):
    """GPMC writes gpreport.xml as UTF-16 with a BOM, and some tools re-save it as UTF-8 with a
    BOM while keeping `encoding="utf-16"` in the declaration: the BOM says what it is."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = raw.decode("utf-16")
    else:
        text = raw.decode("utf-8-sig")
    text = re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))
    return ET.fromstring(text)


compared = 0
for path in sorted(reports):
    doc = read_report(path)
    ident = child(child(doc, "Identifier"), "Identifier").text.upper()
    for section_name, scope, classes in (("Computer", "computer", {"Machine", "Both"}),
                                         ("User", "user", {"User", "Both"})):
        section = child(doc, section_name)
        reported = {n: v for n, v in report_policies(section).items() if loaded.get(n, set()) & classes}
        mine = {p["display_name"]: p for p in ours if p["gpo_guid"].upper() == ident and p["scope"] == scope}
        where = f"{os.path.relpath(path, SHARED)} {section_name}"
        check(f"{where}: same policies as GPMC ({len(reported)})", set(reported) == set(mine),
              f"only GPMC: {sorted(set(reported) - set(mine))}; only us: {sorted(set(mine) - set(reported))}")
        for name, (state, cat, values) in sorted(reported.items()):
            p = mine.get(name)
            if p is None:
                continue
            compared += 1
            ok = p["state"] == state.lower() and p["category"] == cat and set(values) <= set(p["elements"].values())
            if not ok:
                check(f"{where}: {name}", False, f"GPMC {state} {cat} {values}; us {p['state']} {p['category']} {p['elements']}")
check(f"states, categories and element values match GPMC for {compared} policies", compared >= 29, compared)


# --- gp list: default ADMX set, --extra, config --------------------------------------------

def pol_bytes(entries):
    """Registry.pol ([MS-GPREG] 2.2.1) from (key, value, type, data bytes)."""
    def u(s):
        return s.encode("utf-16-le") + b"\0\0"
    body = b"PReg" + struct.pack("<I", 1)
    for key, value, typ, data in entries:
        body += "[".encode("utf-16-le") + u(key) + ";".encode("utf-16-le") + u(value) + \
            ";".encode("utf-16-le") + struct.pack("<I", typ) + ";".encode("utf-16-le") + \
            struct.pack("<I", len(data)) + ";".encode("utf-16-le") + data + "]".encode("utf-16-le")
    return body


TS = r"Software\Policies\Microsoft\Windows NT\Terminal Services"
pol = os.path.join(tmp, "Registry.pol")
with open(pol, "wb") as f:
    f.write(pol_bytes([
        (TS, "fDisableCcm", 4, struct.pack("<I", 1)),
        (r"SOFTWARE\Policies\comredir\Redirection", "DisableComPortRedirection", 4, struct.pack("<I", 1)),
        (r"SOFTWARE\Policies\Contoso\Widget", "Level", 4, struct.pack("<I", 5)),
    ]))

code, out, err = run("gp", "list", "--pol", pol, "--json")
doc = json.loads(out or "[]")
check("gp list without --admx or config: comredir's own policies are named",
      code == 0 and [(p["policy"], p["state"]) for p in doc] == [("DenyComRedirection", "enabled")]
      and doc[0]["category"] == "comredir/Serial port redirection", f"{code} {out} {err}")
code, out, err = run("gp", "list", "--pol", pol, "--extra", "--json")
doc = json.loads(out or "[]")
check("gp list --extra --json: the values no loaded policy explains, in file order",
      code == 0 and [(e["key"], e["value"], e["type"], e["data"]) for e in doc] ==
      [(TS, "fDisableCcm", "REG_DWORD", "1"), (r"SOFTWARE\Policies\Contoso\Widget", "Level", "REG_DWORD", "5")],
      f"{code} {out} {err}")
check("gp list --extra: offsets are the records' byte offsets", [e["offset"] for e in doc][:1] == [8], doc)

code, out, err = run("gp", "list", "--pol", pol, "--admx", MS_ADMX, "--json")
doc = json.loads(out or "[]")
check("gp list --admx: Windows' and comredir's policies together",
      code == 0 and sorted(p["policy"] for p in doc) == ["DenyComRedirection", "TS_CLIENT_COM"], f"{code} {out} {err}")

code, out, err = run("gp", "list", "--pol", pol)
check("gp list text: policies, then the extra registry settings",
      code == 0 and "Do not allow COM port redirection to comredir hosts  enabled" in out
      and out.index("1 policy") < out.index("extra registry settings:")
      and "SOFTWARE\\Policies\\Contoso\\Widget\\Level  REG_DWORD  5" in out, out)

cfg_dir = os.path.join(tmp, "cfg")
os.makedirs(cfg_dir)
shutil.copytree(MS_ADMX, os.path.join(cfg_dir, "PolicyDefinitions"))
with open(os.path.join(cfg_dir, "comredir.json"), "w") as f:
    json.dump({"version": 1, "policyDefinitions": "PolicyDefinitions"}, f)
code, out, err = run("gp", "list", "--pol", pol, "--json", cwd=cfg_dir)
doc = json.loads(out or "[]")
check("gp list: the config's policyDefinitions folder is the default (relative to the config)",
      code == 0 and sorted(p["policy"] for p in doc) == ["DenyComRedirection", "TS_CLIENT_COM"], f"{code} {out} {err}")
code, out, err = run("gp", "list", "--pol", pol, "--json", "--config", os.path.join(cfg_dir, "comredir.json"))
check("gp list --config FILE is used as well", code == 0 and len(json.loads(out or "[]")) == 2, f"{code} {err}")

# A comredir.admx in the folder (a central store copy) wins over the shipped one.
store = os.path.join(tmp, "store")
shutil.copytree(MS_ADMX, store)
shutil.copy(os.path.join(OWN, "comredir.admx"), store)
adml = open(os.path.join(OWN, "en-US", "comredir.adml"), encoding="utf-8").read()
adml = adml.replace(">Do not allow COM port redirection to comredir hosts<", ">Central store copy<")
check("test setup: the display name was replaced", "Central store copy" in adml)
with open(os.path.join(store, "en-US", "comredir.adml"), "w", encoding="utf-8") as f:
    f.write(adml)
code, out, err = run("gp", "list", "--pol", pol, "--admx", store, "--json")
doc = json.loads(out or "[]")
check("gp list: comredir.admx in the ADMX folder wins over the shipped copy",
      code == 0 and "Central store copy" in [p["display_name"] for p in doc], f"{code} {out} {err}")

code, out, err = run("gp", "list", "--gpo", os.path.join(tmp, "nope"))
check("gp list --gpo on a missing folder: exit 3 naming it", code == 3 and "nope" in err, f"{code} {err}")
code, out, err = run("gp", "list", "--pol", pol, "--gpo", tmp)
check("gp list --pol with --gpo: usage error", code == 2, f"{code} {err}")
code, out, err = run("gp", "list")
check("gp list without --pol or --gpo: usage error", code == 2 and "--pol" in err, f"{code} {err}")
code, out, err = run("gp", "list", "--pol", pol, "--admx", os.path.join(tmp, "nope"))
check("gp list --admx on a missing folder: exit 3 naming it",
      code == 3 and err.startswith("comredir-policy: " + os.path.join(tmp, "nope") + ": cannot read"), f"{code} {err}")

# A gpt.ini that cannot be read as Windows writes it: a warning naming it, the GPO still listed.
for ini, problem in [(b"[General]\r\nVersion=x1\r\ndisplayName=Lab\r\n", "line 2: version `x1` is not a decimal 32-bit number"),
                     (b"\x00\x01binary", "a nul character: not a text file"),
                     (b"displayName=Lab\r\n", "no `[General]` section")]:
    g = os.path.join(tmp, "gptini", "{DDDDDDDD-0000-0000-0000-000000000000}")
    shutil.rmtree(os.path.dirname(g), ignore_errors=True)
    os.makedirs(os.path.join(g, "Machine"))
    shutil.copy(pol, os.path.join(g, "Machine", "Registry.pol"))
    open(os.path.join(g, "gpt.ini"), "wb").write(ini)
    code, out, err = run("gp", "list", "--gpo", g)
    check(f"gp list: corrupt gpt.ini ({problem[:30]}): a warning naming it, the GPO named by its GUID",
          code == 0 and err == f"comredir-policy: warning: {os.path.join(g, 'gpt.ini')}: {problem}\n"
          and out.startswith("GPO `{DDDDDDDD-0000-0000-0000-000000000000}` {DDDDDDDD-0000-0000-0000-000000000000}"),
          (code, out[:200], err))
    code, out, err = run("effective", "--no-config", "--gpo", g, "--product", "rds", "--feature", "com_ports", "--json")
    check(f"effective: the same warning among the notes ({problem[:30]})",
          code == 0 and f"{os.path.join(g, 'gpt.ini')}: {problem}" in json.loads(out or "{}").get("notes", []),
          (code, out[-400:], err))

# --- admx list / show -----------------------------------------------------------------------

code, out, err = run("admx", "list", "--json")
doc = json.loads(out or "[]")
own_names = [p["policy"] for p in doc]
check("admx list: comredir's own policies by default", code == 0 and len(own_names) == 10
      and "DenyComRedirection" in own_names and all(p["namespace"] == "Comredir.Policies" for p in doc), own_names)
no_own = os.path.join(tmp, "no-own-templates")
os.makedirs(no_own)
for args in (("admx", "list"), ("admx", "show", "DenyComRedirection"), ("gp", "list", "--pol", pol)):
    code, out, err = run(*args, env_extra={"COMREDIR_ADMX_DIR": no_own})
    check(f"{' '.join(args[:2])} without comredir's own templates: exit 3 naming the file, not `0 policies`",
          (code, out, err) == (3, "", f"comredir-policy: comredir's own templates are missing: no "
                                      f"`{os.path.join(no_own, 'comredir.admx')}` (reinstall comredir, or set "
                                      "$COMREDIR_ADMX_DIR to the folder holding comredir.admx)\n"), (code, out, err))
code, out, err = run("admx", "list", "--json", env_extra={"COMREDIR_ADMX_DIR": OWN})
check("$COMREDIR_ADMX_DIR names the folder of comredir's own templates",
      code == 0 and len(json.loads(out or "[]")) == 10, (code, err))

code, out, err = run("admx", "list", "--search", "PASTE", "--json")
check("admx list --search is case-insensitive over names and display names",
      code == 0 and [p["policy"] for p in json.loads(out or "[]")] == ["SerialConsolePasteLimit"], out)
code, out, err = run("admx", "list", "--admx", MS_ADMX, "--category", "device and resource redirection")
check("admx list --category groups by GPMC's path",
      code == 0 and out.startswith("Windows Components/Remote Desktop Services/Remote Desktop Session Host/Device and Resource Redirection\n")
      and "TS_CLIENT_COM" in out, out[:500])

code, out, err = run("admx", "show", "DenyComRedirection")
check("admx show: registry value and both states",
      code == 0 and "registry:      HKLM\\SOFTWARE\\Policies\\comredir\\Redirection\\DisableComPortRedirection\n" in out
      and "enabled:       REG_DWORD 1\n" in out and "disabled:      REG_DWORD 0\n" in out, out)
code, out, err = run("admx", "show", "Serial console paste limit", "--json")
doc = json.loads(out or "{}")
check("admx show by display name --json: the element with its range",
      code == 0 and doc.get("policy") == "SerialConsolePasteLimit"
      and [(e["id"], e["kind"], e["min"], e["max"]) for e in doc["elements"]] == [("PasteLimitChars", "decimal", 0, 65536)],
      f"{code} {out} {err}")
code, out, err = run("admx", "show", "TS_CLIENT_COM", "--admx", MS_ADMX)
check("admx show a Windows policy: GPMC's category path",
      code == 0 and "category:      Windows Components/Remote Desktop Services/Remote Desktop Session Host/Device and Resource Redirection" in out, out)
code, out, err = run("admx", "show", "NoSuchPolicy")
check("admx show of an unknown policy: exit 3 naming it", code == 3 and "`NoSuchPolicy`" in err, f"{code} {err}")

# --- admx validate --------------------------------------------------------------------------

schema_args = ["--schema", SCHEMA] if os.path.isfile(SCHEMA) else []
code, out, err = run("admx", "validate", os.path.join(OWN, "comredir.admx"), *schema_args)
check("admx validate: comredir's own templates are clean",
      code == 0 and out.endswith("1 file: 0 errors, 0 warnings; schema: checked with " + SCHEMA + "\n"), f"{code} {out} {err}")
code, out, err = run("admx", "validate", os.path.join(MS_ADMX, "TerminalServer.admx"), *schema_args, "--json")
doc = json.loads(out or "{}")
category = [f for f in doc.get("findings", []) if f["rule"] == "unknown-category"]
check("admx validate TerminalServer.admx: valid; the missing AutoSubscription category is a warning",
      code == 0 and doc["errors"] == 0 and len(category) == 1 and category[0]["severity"] == "warning"
      and category[0]["check"] == "refs"
      and "policy `AutoSubscription`: parentCategory `AutoSubscription` does not exist" in category[0]["message"]
      and category[0]["why"].startswith("the category does not exist"),
      f"{code} {doc.get('findings')}")

own_admx = open(os.path.join(OWN, "comredir.admx"), encoding="utf-8").read()
own_adml = open(os.path.join(OWN, "en-US", "comredir.adml"), encoding="utf-8").read()
MUTANTS = [  # name, file, old, new, severity, check, message fragment
    ("dangling string ref", "admx", 'explainText="$(string.OneSessionPerPort_Help)"', 'explainText="$(string.nope)"',
     "error", "refs", "`$(string.nope)` is not in"),
    ("dangling presentation ref", "admx", 'presentation="$(presentation.LatencyWarning)"', 'presentation="$(presentation.nope)"',
     "error", "refs", "`$(presentation.nope)` is not in"),
    ("duplicate policy name", "admx", 'name="OneSessionPerPort"', 'name="AllowNonWindowsClients"',
     "error", "duplicates", "policy name `AllowNonWindowsClients` is defined twice"),
    ("duplicate string id", "adml", '<string id="Cat_SerialConsole">', '<string id="Cat_Redirection">',
     "error", "duplicates", "string id `Cat_Redirection` is defined twice"),
    ("presentation refId mismatch", "adml", 'refId="PasteLimitChars"', 'refId="PasteLimit"',
     "error", "presentations", "refId `PasteLimit` is not an element of policy `SerialConsolePasteLimit`"),
    ("dangling parent category", "admx", '<parentCategory ref="Cat_SerialConsole" />', '<parentCategory ref="Cat_Nope" />',
     "warning", "refs", "parentCategory `Cat_Nope` does not exist"),
    ("undeclared prefix", "admx", '<parentCategory ref="Cat_Redirection" />', '<parentCategory ref="windows:Cat_Redirection" />',
     "error", "refs", "prefix of `windows:Cat_Redirection` is not declared"),
    ("missing explain text", "admx", ' explainText="$(string.LatencyWarning_Help)"', "",
     "warning", "policies", "policy `LatencyWarning` has no explainText"),
    ("unused string", "adml", "<stringTable>", '<stringTable><string id="NeverUsed">never used</string>',
     "warning", "unused", "string `NeverUsed` is never referenced"),
    ("schema: class attribute missing", "admx", '<policy name="OneSessionPerPort" class="Machine"', '<policy name="OneSessionPerPort"',
     "error", "schema", "element `policy`: attribute `class` is required but missing"),
    ("schema: no xmlns", "admx", ' xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"', "",
     "warning", "schema", "root element `policyDefinitions` has no namespace (no `xmlns`)"),
    ("malformed XML", "admx", "</policies>", "</policy>",
     "error", "xml", "xml:"),
]
for name, which, old, new, severity, check_name, fragment in MUTANTS:
    d = os.path.join(tmp, "mutant-" + name.replace(" ", "-").replace(":", ""))
    os.makedirs(os.path.join(d, "en-US"))
    a, l = own_admx, own_adml
    if which == "admx":
        check(f"validate mutant `{name}`: setup", old in a)
        a = a.replace(old, new, 1)
    else:
        check(f"validate mutant `{name}`: setup", old in l)
        l = l.replace(old, new, 1)
    open(os.path.join(d, "comredir.admx"), "w", encoding="utf-8").write(a)
    open(os.path.join(d, "en-US", "comredir.adml"), "w", encoding="utf-8").write(l)
    if check_name == "schema" and not schema_args:
        print(f"skip  validate mutant `{name}`: no schema")
        continue
    code, out, err = run("admx", "validate", os.path.join(d, "comredir.admx"), *schema_args, "--json")
    doc = json.loads(out or "{}")
    hits = [f for f in doc.get("findings", []) if f["check"] == check_name and f["severity"] == severity
            and fragment in f["message"] and f["line"] > 0]
    want_code = 3 if severity == "error" else 0
    check(f"validate mutant `{name}`: {severity} `{check_name}` with a line number, exit {want_code}",
          code == want_code and len(hits) >= 1, f"{code} {doc.get('findings')} {err}")
    if severity == "warning":
        code, out, err = run("admx", "validate", os.path.join(d, "comredir.admx"), *schema_args, "--strict")
        check(f"validate mutant `{name}` --strict: exit 3", code == 3, f"{code} {out}")

code, out, err = run("admx", "validate", os.path.join(OWN, "comredir.admx"), "--schema", os.path.join(tmp, "none.xsd"))
check("admx validate --schema on a missing file: exit 3", code == 3 and "none.xsd" in err, f"{code} {err}")
code, out, err = run("admx", "validate", os.path.join(tmp, "absent.admx"))
check("admx validate on a missing file: exit 3 naming it", code == 3 and "absent.admx" in out, f"{code} {out}")

shutil.rmtree(tmp)
suite.finish()
