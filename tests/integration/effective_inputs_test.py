#!/usr/bin/python3
"""`comredir-policy effective` on the inputs that decide between sources and on bad inputs:
GPO link order (a folder of several GPOs is refused; repeated --gpo in link order, the
conflict named with its rule, in text and JSON), values that are read but invalid (exit 3,
one stderr line and one JSON error naming file, offset or line and value, the features that
use them denied), and an unreadable host pool store without a config.

Usage: effective_inputs_test.py COMREDIR_POLICY SOURCE_DIR
"""
import json
import os
import shutil
import struct
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
EXAMPLES = os.path.join(SRC, "examples")
POLICIES = "sysvol/contoso.com/Policies"
LOCKDOWN = POLICIES + "/{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}"
LAB = POLICIES + "/{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}"
LOCKDOWN_POL = LOCKDOWN + "/Machine/Registry.pol"
LAB_POL = LAB + "/Machine/Registry.pol"
LOCAL_POL = "local-gpo/Machine/Registry.pol"
TS = r"Software\Policies\Microsoft\Windows NT\Terminal Services"
TS_HKLM = "HKLM\\" + TS
CCM = {"admxDisplayName": "Do not allow COM port redirection", "admxPolicy": "TS_CLIENT_COM",
       "offset": 8, "registryKey": TS_HKLM, "registryValue": "fDisableCcm"}

tmp = tempfile.mkdtemp(prefix="comredir-inputs-")
empty = os.path.join(tmp, "empty")  # no ./comredir.json: runs there find no config
os.mkdir(empty)
suite = Suite(BIN, home=tmp, cwd=EXAMPLES)
check = suite.check


def effective_json(*args, cwd=None):
    code, out, err = suite.run("effective", *args, "--json", cwd=cwd)
    doc = json.loads(out) if out else None
    if doc is not None:
        jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return code, doc, err


def decision(doc, feature):
    return next(d for d in doc["decisions"] if d["feature"] == feature)


def gpo(path, name, guid, raw):
    return dict(CCM, source="gpo", file=path, gpoName=name, gpoGuid=guid, raw=raw)


LOCKDOWN_PROV = gpo(LOCKDOWN_POL, "Contoso - RDS device lockdown", "{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}", "1")
LAB_PROV = gpo(LAB_POL, "Contoso - Serial lab", "{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}", "0")
LOCAL_PROV = gpo(LOCAL_POL, "Local Group Policy", "", "0")
del LOCAL_PROV["gpoGuid"]

# --- GPO order ------------------------------------------------------------------------------

REFUSAL = ("comredir-policy: `--gpo {dir}` holds 2 GPOs (`Contoso - RDS device lockdown` "
           "{{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}}, `Contoso - Serial lab` "
           "{{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}}), and Group Policy applies GPOs in link order, "
           "which a folder does not record: give each GPO's folder with its own --gpo, lowest "
           "precedence first (local GPO, site, domain, OU; the last one wins), e.g. `--gpo {first}`\n")
code, out, err = suite.run("effective", "--no-config", "--gpo", POLICIES, "--product", "avd")
check("--gpo on a folder of two GPOs: exit 2, nothing on stdout, the GPOs named with the way out",
      (code, out, err) == (2, "", REFUSAL.format(dir=POLICIES, first=LOCKDOWN)), (code, out, err))
code, out, err = suite.run("effective", "--no-config", "--gpo", LAB, "--gpo", POLICIES, "--json")
check("one such folder among several --gpo is refused too",
      (code, out, err) == (2, "", REFUSAL.format(dir=POLICIES, first=LOCKDOWN)), (code, out, err))

# A Samba gpo cache holding two GPOs: the same (samba-gpupdate keeps no link order there).
cache = os.path.join(tmp, "gpo_cache")
shutil.copytree(os.path.join(EXAMPLES, "samba/gpo_cache"), cache)
lockdown_copy = os.path.join(cache, "CONTOSO.COM/POLICIES/{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}")
shutil.copytree(os.path.join(EXAMPLES, LOCKDOWN), lockdown_copy)
code, out, err = suite.run("effective", "--no-config", "--gpo", cache)
check("a Samba gpo cache of two GPOs: exit 2, both named",
      (code, out, err) == (2, "", REFUSAL.format(dir=cache, first=lockdown_copy)), (code, out, err))

# One GPO, whatever the layout, still works: a {GUID} folder, the example's Samba cache root.
for what, path in [("a SYSVOL {GUID} folder", LOCKDOWN), ("a Samba gpo cache root of one GPO", "samba/gpo_cache")]:
    code, doc, err = effective_json("--no-config", "--gpo", path, "--product", "avd", "--feature", "com_ports")
    check(f"--gpo on {what}: exit 0", code == 0 and err == "" and len(doc["decisions"]) == 1, (code, err))

# In a config, a folder of several GPOs is an unreadable OS source: exit 3, the OS layer fails closed.
config = os.path.join(tmp, "several.json")
with open(config, "w") as f:
    json.dump({"version": 1, "hosts": {"h": {"product": "rds", "os": [{"gpo": os.path.join(EXAMPLES, POLICIES)}]}}}, f)
code, doc, err = effective_json("--config", config, "--host", "h", "--feature", "com_ports", "--feature", "clipboard")
msg = (os.path.join(EXAMPLES, POLICIES) + ": holds 2 GPOs (`Contoso - RDS device lockdown` "
       "{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}, `Contoso - Serial lab` {8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}), "
       "and Group Policy applies GPOs in link order, which a folder does not record: give each GPO's folder "
       "as its own source, lowest precedence first")
check("config naming a folder of two GPOs: exit 3, the message, every OS feature denied",
      code == 3 and err == f"comredir-policy: {msg} (layer fails closed: deny)\n" and doc["errors"] == [msg]
      and [(d["effective"], d["decidedBy"], d["layers"][0]["configured"]) for d in doc["decisions"]]
      == [("deny", "os_policy", "error")] * 2, (code, err, doc and doc["errors"]))

# Link order given by repeated --gpo: the last one wins, and the decision says so.
ORDER_CASES = [
    # (GPOs in link order, effective, winner, loser)
    ([LAB, LOCKDOWN], "deny", LOCKDOWN_PROV, LAB_PROV),
    ([LOCKDOWN, LAB], "allow", LAB_PROV, LOCKDOWN_PROV),
]
for gpos, eff, winner, loser in ORDER_CASES:
    args = ["--no-config", "--product", "avd", "--feature", "com_ports"]
    for g in gpos:
        args += ["--gpo", g]
    label = " then ".join(("lockdown" if g == LOCKDOWN else "serial lab") for g in gpos)
    code, doc, err = effective_json(*args)
    d = decision(doc, "com_ports")
    layer = d["layers"][0]
    short = (f"conflict: GPO `{winner['gpoName']}` wins by order over GPO `{loser['gpoName']}` "
             f"(fDisableCcm = {loser['raw']})")
    full = (f"conflict: GPO `{winner['gpoName']}` wins by order over GPO `{loser['gpoName']}` {loser['gpoGuid']}: "
            f"`Do not allow COM port redirection` (TS_CLIENT_COM) {'Enabled' if loser['raw'] == '1' else 'Disabled'}: "
            f"fDisableCcm = {loser['raw']} ({loser['file']} offset 0x8)")
    check(f"--gpo {label}: com_ports {eff}, decided by the last GPO",
          code == 0 and err == "" and (d["effective"], d["decidedBy"]) == (eff, "os_policy")
          and layer["provenance"] == winner, (code, err, d["effective"], layer["provenance"]))
    check(f"--gpo {label}: the reason names the conflict and its rule",
          d["reason"].endswith("; " + short) and d["reason"].count("conflict:") == 1, d["reason"])
    check(f"--gpo {label}: JSON conflicts: winner, overridden, rule `order`",
          layer["overridden"] == [loser]
          and layer["conflicts"] == [{"winner": winner, "overridden": loser, "rule": "order", "text": full}],
          json.dumps(layer["conflicts"]))
    code, out, err = suite.run("effective", *args)
    check(f"--gpo {label}: the text layers table shows the conflict in place of `overrides`",
          code == 0 and ("\n" + " " * 38 + full + "\n") in out and "overrides GPO" not in out, out)

# The same value from two GPOs is no conflict: overridden, and said plainly.
code, doc, err = effective_json("--no-config", "--gpo", "local-gpo", "--gpo", LAB, "--product", "avd",
                                "--feature", "com_ports")
layer = decision(doc, "com_ports")["layers"][0]
check("two GPOs setting the same value: overridden, no conflict",
      code == 0 and layer["overridden"] == [LOCAL_PROV] and layer["conflicts"] == []
      and "conflict" not in decision(doc, "com_ports")["reason"], json.dumps(layer))

# The example estate (config order: local GPO, then the lockdown GPO).
code, doc, err = effective_json("--host", "pool1", "--feature", "com_ports")
layer = decision(doc, "com_ports")["layers"][0]
check("example pool1: the lockdown GPO beats the local GPO by order, in JSON",
      code == 0 and [(c["winner"]["gpoName"], c["overridden"]["gpoName"], c["rule"]) for c in layer["conflicts"]]
      == [("Contoso - RDS device lockdown", "Local Group Policy", "order")], json.dumps(layer["conflicts"]))

# Intune against Group Policy: another rule, labelled as such.
INTUNE = "intune/cpc-finance-redirection.json"
INTUNE_VALUE = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com_1"
MDM_CASES = [
    ([], "allow", "gp_wins",
     f"conflict: `{LOCAL_POL}` wins by Group Policy precedence (MDMWinsOverGP not set) over "
     f"Intune `{INTUNE}` (`{INTUNE_VALUE}`)"),
    (["--mdm-wins"], "deny", "mdm_wins",
     f"conflict: Intune `{INTUNE}` wins by MDMWinsOverGP over `{LOCAL_POL}` (fDisableCcm = 0)"),
]
for extra, eff, rule, short in MDM_CASES:
    code, doc, err = effective_json("--no-config", "--pol", LOCAL_POL, "--intune", INTUNE, "--product", "w365",
                                    "--feature", "com_ports", *extra)
    d = decision(doc, "com_ports")
    conflicts = d["layers"][0]["conflicts"]
    check(f"Intune against Group Policy {' '.join(extra) or '(default)'}: {eff}, rule `{rule}` in reason and JSON",
          code == 0 and d["effective"] == eff and d["reason"].endswith("; " + short)
          and [c["rule"] for c in conflicts] == [rule]
          and {c["winner"]["source"] for c in conflicts} == {"intune" if rule == "mdm_wins" else "registry.pol"},
          (code, d["reason"], conflicts))

# --- values that are read but invalid: exit 3, a top-level error, the deny ------------------


def pol_bytes(entries):
    """Registry.pol ([MS-GPREG] 2.2.1) from (key, value, type, data bytes)."""
    def u(s):
        return s.encode("utf-16-le") + b"\0\0"
    body = b"PReg" + struct.pack("<I", 1)
    for key, value, typ, data in entries:
        body += ("[".encode("utf-16-le") + u(key) + ";".encode("utf-16-le") + u(value) + ";".encode("utf-16-le")
                 + struct.pack("<I", typ) + ";".encode("utf-16-le") + struct.pack("<I", len(data))
                 + ";".encode("utf-16-le") + data + "]".encode("utf-16-le"))
    return body


def write(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


REG_SZ, REG_DWORD, REG_QWORD = 1, 4, 11
# A valid first entry puts the bad one at a later offset: right after it.
ok_first = (TS, "fDisableClip", REG_DWORD, struct.pack("<I", 0))
BAD_AT = len(pol_bytes([ok_first]))
POL_CASES = [
    # (file, value, type, data, feature, why)
    ("sz.pol", "fDisableCcm", REG_SZ, "1\0".encode("utf-16-le"), "com_ports", "is REG_SZ of 4 bytes, expected a 4-byte REG_DWORD"),
    ("two.pol", "fDisableCcm", REG_DWORD, struct.pack("<I", 2), "com_ports", "= `2` is neither `0` (allow) nor `1` (deny)"),
    ("short.pol", "fDisableCcm", REG_DWORD, b"\x01\x00", "com_ports", "is REG_DWORD of 2 bytes, expected a 4-byte REG_DWORD"),
    ("qword.pol", "fDisableCcm", REG_QWORD, struct.pack("<Q", 1), "com_ports", "is REG_QWORD of 8 bytes, expected a 4-byte REG_DWORD"),
    ("drives.pol", "fDisableCdm", REG_SZ, "0\0".encode("utf-16-le"), "drives", "is REG_SZ of 4 bytes, expected a 4-byte REG_DWORD"),
    ("level.pol", "SCClipLevel", REG_DWORD, struct.pack("<I", 9), "clipboard_server_to_client", "= `9` is not a level 0-4"),
]
for name, value, typ, data, feature, why in POL_CASES:
    path = write(name, pol_bytes([ok_first, (TS, value, typ, data)]))
    message = f"{path}: offset {BAD_AT:#x}: `{value}` {why}"
    for shown in [feature, "ui_automation"]:  # the error counts also when another feature is shown
        code, doc, err = effective_json("--no-config", "--pol", path, "--product", "rds", "--feature", shown)
        d = decision(doc, shown)
        ok = (code == 3 and err == f"comredir-policy: {message} (`{feature}` in layer os_policy fails closed: deny)\n"
              and doc["errors"] == [message] and doc["sources"][0]["ok"])
        if shown == feature:
            ok = ok and (d["effective"], d["decidedBy"], d["layers"][0]["configured"]) == ("deny", "os_policy", "error") \
                and d["errors"] == [f"os_policy: {message}"] \
                and d["reason"] == f"unreadable or invalid source (fail closed): {message}"
        else:
            ok = ok and d["effective"] == "allow" and d["errors"] == []
        check(f"{name}: `{value}` {why.split(',')[0]}, --feature {shown}: exit 3, stderr and JSON error, "
              f"{feature} denied", ok, (code, err, doc["errors"], d["reason"]))
    code, out, err = suite.run("effective", "--no-config", "--pol", path, "--product", "rds", "--feature", feature)
    check(f"{name}: text output still printed, the decision denied",
          code == 3 and f"\n{feature}" in out and "deny" in out.split(f"\n{feature}", 1)[1].split("\n")[0], out)

# A .reg snapshot, an Intune export, a host pool and a client file with invalid values.
reg = write("bad.reg", b"\xff\xfe" + ("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\" + TS + "]\r\n"
                        "\"fDisableCcm\"=\"1\"\r\n\"fDisableCdm\"=dword:00000002\r\n").encode("utf-16-le"))
intune_text = open(os.path.join(EXAMPLES, INTUNE), encoding="utf-8").read()
bad_intune = write("intune.json", intune_text.replace(INTUNE_VALUE, INTUNE_VALUE[:-1] + "9").encode())
store = write("hostpools.json", json.dumps({"version": 1, "hostPools": [
    {"name": "p", "product": "avd", "customRdpProperty": "redirectclipboard:i:1;redirectcomports:i:7"}]}).encode())
rdp = write("c.rdp", b"full address:s:host\r\nredirectcomports:i:2\r\n")
OTHER_CASES = [
    # (what, args, [(message, layer, feature)])
    (".reg snapshot", ["--reg", reg, "--product", "rds"],
     [(f"{reg}: line 4: `fDisableCcm` is REG_SZ of 4 bytes, expected a 4-byte REG_DWORD", "os_policy", "com_ports"),
      (f"{reg}: line 5: `fDisableCdm` = `2` is neither `0` (allow) nor `1` (deny)", "os_policy", "drives")]),
    ("Intune export", ["--intune", bad_intune, "--product", "w365"],
     [(f"{bad_intune}: policy `Finance Cloud PCs - device redirection` /settings/0/settingInstance: intune setting "
       f"`{INTUNE_VALUE[:-2]}` has unknown value `{INTUNE_VALUE[:-1]}9`", "os_policy", "com_ports")]),
    ("host pool property", ["--store", store, "--host", "p"],
     [(f"{store}: host pool `p`: customRdpProperty item 2: `redirectcomports:i:7`: value `7` is not 0 or 1",
       "host_pool", "com_ports")]),
    ("client .rdp property", ["--rdp", rdp, "--product", "rds"],
     [(f"{rdp}: line 2: `redirectcomports:i:2`: value `2` is not 0 or 1", "client", "com_ports")]),
    ("client property string", ["--client-props", "redirectcomports:i:7", "--product", "rds"],
     [("--client-props: item 1: `redirectcomports:i:7`: value `7` is not 0 or 1", "client", "com_ports")]),
]
for what, args, errors in OTHER_CASES:
    code, doc, err = effective_json("--no-config", *args, cwd=empty)
    want_err = "".join(f"comredir-policy: {m} (`{f}` in layer {l} fails closed: deny)\n" for m, l, f in errors)
    denied = all(decision(doc, f)["effective"] == "deny" and decision(doc, f)["errors"] == [f"{l}: {m}"]
                 for m, l, f in errors)
    check(f"invalid value in a {what}: exit 3, each error on stderr and in JSON, its feature denied",
          code == 3 and err == want_err and doc["errors"] == [m for m, _, _ in errors] and denied,
          (code, err, doc and doc["errors"]))

# The same files with valid values: exit 0, nothing on stderr (the check above is not vacuous).
good = write("good.pol", pol_bytes([ok_first, (TS, "fDisableCcm", REG_DWORD, struct.pack("<I", 1))]))
code, doc, err = effective_json("--no-config", "--pol", good, "--product", "rds")
check("valid values: exit 0, no errors", code == 0 and err == "" and doc["errors"] == [], (code, err))

# --- an unreadable host pool store without a config -------------------------------------------

broken = write("broken-store.json", b"{ not json")
store_err = f"{broken}: line 1: column 4: syntax error while parsing object key - invalid literal; last read: '{{ no'; expected string literal"
for what, extra, cwd in [("no config", [], empty), ("--config", ["--config", os.path.join(EXAMPLES, "comredir.json")], None)]:
    code, doc, err = effective_json("--store", broken, "--host", "pool1", "--product", "avd",
                                    "--pol", os.path.join(EXAMPLES, LOCAL_POL), *extra, cwd=cwd)
    com = decision(doc, "com_ports") if doc else None
    check(f"unreadable --store, {what}: exit 3, the decision printed with the host-pool layer failed closed",
          code == 3 and err == f"comredir-policy: {store_err} (layer fails closed: deny)\n"
          and doc["errors"] == [store_err] and doc["hostPool"] == "pool1"
          and [s for s in doc["sources"] if s["layer"] == "host_pool"]
          == [{"layer": "host_pool", "kind": "hostpool", "path": broken, "name": "pool1", "ok": False, "error": store_err}]
          and (com["effective"], com["decidedBy"], com["layers"][1]["configured"]) == ("deny", "host_pool", "error")
          and com["layers"][0]["configured"] == "allow"
          and decision(doc, "time_zone")["effective"] == "allow", (code, err, doc and doc["errors"]))
missing = os.path.join(tmp, "missing.json")
code, doc, err = effective_json("--store", missing, "--host", "pool1", "--product", "avd", cwd=empty)
check("missing --store without a config: exit 3, host-pool layer failed closed",
      code == 3 and err == f"comredir-policy: {missing}: cannot open: No such file or directory (layer fails closed: deny)\n"
      and decision(doc, "com_ports")["decidedBy"] == "host_pool", (code, err))
good_store = write("one-pool.json", json.dumps({"version": 1, "hostPools": [{"name": "p", "product": "avd", "customRdpProperty": ""}]}).encode())
code, out, err = suite.run("effective", "--store", good_store, "--host", "nope", "--product", "avd", cwd=empty)
check("a readable store without the host: still exit 3, host unknown, nothing printed",
      (code, out, err) == (3, "", f"comredir-policy: host `nope` is not in any config nor in host pool store `{good_store}`\n"),
      (code, out, err))

shutil.rmtree(tmp)
suite.finish()
