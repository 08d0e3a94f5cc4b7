#!/usr/bin/python3
"""comredir-policy end to end: the example estate, exit codes, JSON schema.

Usage: cli_test.py COMREDIR_POLICY SOURCE_DIR SHARED_DATA
Prints one line per check and `N passed, M failed`; exits 1 on any failure.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("skip: python3-jsonschema is not installed")
    sys.exit(77)

BIN, SRC, SHARED = sys.argv[1], sys.argv[2], sys.argv[3]
EXAMPLES = os.path.join(SRC, "examples")
SCHEMA = json.load(open(os.path.join(SRC, "docs", "effective.schema.json")))
T0X01 = os.path.join(SHARED, "gpo/t0x01/{40144D25-C0AB-42E5-B1FB-D89261259A27}")
passed = failed = 0


def run(*args, cwd=EXAMPLES, env_extra=None):
    env = dict(os.environ, HOME=tempfile.gettempdir())
    env.pop("COMREDIR_CONFIG", None)
    env.pop("XDG_CONFIG_HOME", None)
    env.update(env_extra or {})
    p = subprocess.run([BIN, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name}: {detail}")


def decisions(args, **kw):
    code, out, err = run(*args, "--json", **kw)
    doc = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return code, {d["feature"]: d for d in doc["decisions"]}, doc, err


# The README's demo: from examples/, ./comredir.json is found by the search order.
code, out, err = run("effective", "--host", "pool1")
check("demo exits 0", code == 0, f"{code} {err}")
line = next((l for l in out.splitlines() if l.startswith("com_ports ")), "")
check("demo: com_ports denied by the lockdown GPO",
      line.split()[1:3] == ["deny", "os_policy"] and "GPO `Contoso - RDS device lockdown` {3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}" in line,
      line)
check("demo: names the host pool and client it overrode",
      "overrides host_pool: host pool `pool1`: `redirectcomports:i:1`" in line and "alice-pool1.rdp" in line, line)

# The README shows this exact output: keep it true.
readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
marker = "$ cd examples && comredir-policy effective --host pool1 --feature com_ports\n"
shown = readme.split(marker, 1)[1].split("```", 1)[0] if marker in readme else None
code, out, err = run("effective", "--host", "pool1", "--feature", "com_ports")
check("README's sample output is what the program prints", shown == out,
      "regenerate the README block from: cd examples && comredir-policy effective --host pool1 --feature com_ports")

# Every example host, as JSON valid against the schema.
expect = {
    "pool1": ("deny", "os_policy", "gpo"),
    "lab": ("allow", "os_policy", "gpo"),
    "cpc-finance": ("deny", "os_policy", "intune"),
    "serial-linux": ("allow", "os_policy", "gpo"),
}
for host, (eff, by, source) in expect.items():
    code, ds, doc, err = decisions(["effective", "--host", host])
    com = ds["com_ports"]
    check(f"example {host}: com_ports {eff} by {by} ({source})",
          code == 0 and com["effective"] == eff and com["decidedBy"] == by and com["layers"][0]["provenance"]["source"] == source,
          json.dumps(com)[:300])
    # serial_console exists on comredir's Linux hosts only
    want = 18 if host == "serial-linux" else 17
    check(f"example {host}: {want} features, schema-valid", len(ds) == want)

code, ds, doc, _ = decisions(["effective", "--host", "pool1", "--feature", "com_ports"])
over = ds["com_ports"]["layers"][0]["overridden"]
check("pool1: the lockdown GPO overrode the local GPO", len(over) == 1 and over[0]["gpoName"] == "Local Group Policy", json.dumps(over))
code, ds, doc, _ = decisions(["effective", "--host", "lab", "--feature", "drives"])
check("lab: drives are the intersection", ds["drives"]["value"] == "E:\\", ds["drives"]["value"])
code, ds, doc, _ = decisions(["effective", "--host", "serial-linux", "--feature", "drives"])
check("linux host: non-serial features are denied by the platform", ds["drives"]["decidedBy"] == "platform")
code, ds, doc, _ = decisions(["effective", "--host", "pool1", "--client-os", "macos", "--feature", "com_ports", "--product", "avd"])
check("--client-os macos: Microsoft clients cannot redirect COM", ds["com_ports"]["decidedBy"] == "os_policy" and
      ds["com_ports"]["layers"][3]["applied"] == "deny")

# Explicit sources without a config.
code, ds, doc, _ = decisions(["effective", "--no-config", "--gpo", T0X01, "--product", "rds"], cwd=SRC)
check("--gpo t0x01: COM denied, GPO named",
      ds["com_ports"]["effective"] == "deny" and ds["com_ports"]["layers"][0]["provenance"]["gpoName"] == "Remote Desktop Service")
code, ds, doc, _ = decisions(["effective", "--no-config", "--client-props", "redirectcomports:i:0", "--product", "w365"], cwd=SRC)
check("--client-props", ds["com_ports"]["decidedBy"] == "client" and ds["com_ports"]["effective"] == "deny")
prov = ds["com_ports"]["layers"][2]["provenance"]
check("--client-props provenance: `item` (its place in the string), no `line`",
      prov.get("item") == 1 and "line" not in prov and prov["source"] == "client-props", prov)

# Provenance of RDP properties: a host pool string has items, a .rdp file lines.
code, ds, doc, _ = decisions(["effective", "--host", "pool1", "--feature", "com_ports"])
hp, client = ds["com_ports"]["layers"][1]["provenance"], ds["com_ports"]["layers"][2]["provenance"]
check("host pool provenance: `item` 1 of customRdpProperty, no `line`",
      (hp["source"], hp.get("item"), "line" in hp) == ("hostpool", 1, False), hp)
check(".rdp provenance: `line` 4, no `item`", (client["source"], client.get("line"), "item" in client) == ("rdp", 4, False),
      client)
code, ds, doc, _ = decisions(["effective", "--no-config", "--product", "avd", "--feature", "drives", "--client-props",
                              "audiomode:i:0;;drivestoredirect:s:C:\\;E:\\"], cwd=SRC)
check("--client-props: empty items count, a list's continuation is no item of its own",
      ds["drives"]["layers"][2]["provenance"].get("item") == 3, ds["drives"]["layers"][2]["provenance"])

# Exit codes.
tmp = tempfile.mkdtemp()
bad_pol = os.path.join(tmp, "bad.pol")
with open(bad_pol, "wb") as f:
    f.write(b"PReg\x02\x00\x00\x00")
code, out, err = run("effective", "--no-config", "--pol", bad_pol, "--feature", "com_ports", cwd=SRC)
check("corrupt Registry.pol: exit 3", code == 3, f"{code} {err}")
check("corrupt Registry.pol: message names file and offset", err.startswith(f"comredir-policy: {bad_pol}: offset 0x4: "), err)
check("corrupt Registry.pol: still decides, closed", "com_ports  deny" in out, out)
code, out, err = run("effective", "--host", "nope")
check("unknown host: exit 3", code == 3 and "host `nope`" in err, f"{code} {err}")
code, out, err = run("effective", "--host", "pool1", "--fail-on-deny")
check("--fail-on-deny with a denial: exit 4", code == 4, code)
code, out, err = run("effective", "--host", "lab", "--feature", "com_ports", "--fail-on-deny")
check("--fail-on-deny without denial: exit 0", code == 0, f"{code} {err}")
code, out, err = run()
check("no command: exit 2", code == 2 and err, f"{code} {err}")
for args, want in [
    (("bogus",), "comredir-policy: unknown subcommand `bogus` (expected one of: effective, matrix, report, gp, admx, intune, "
                 "hostpool, rdp; run with --help for usage)\n"),
    (("rdp", "bogus", "x.rdp"), "comredir-policy: rdp: unknown subcommand `bogus` (expected one of: get, set, unset; "
                                "run with --help for usage)\n"),
    (("hostpool",), "comredir-policy: hostpool: missing subcommand (expected one of: list, show, get, set, unset, "
                    "create, delete; run with --help for usage)\n"),
    ((), "comredir-policy: missing subcommand (expected one of: effective, matrix, report, gp, admx, intune, hostpool, rdp; "
         "run with --help for usage)\n"),
]:
    code, out, err = run(*args)
    check(f"`{' '.join(args)}`: exit 2, names the subcommand problem", (code, out, err) == (2, "", want), (code, out, err))
code, out, err = run("effective", "--frobnicate")
check("unknown option: exit 2", code == 2 and "--frobnicate" in err, f"{code} {err}")
code, out, err = run("effective", "--feature", "teleport")
check("unknown feature: exit 2, lists the known ones", code == 2 and "known: com_ports, clipboard" in err, f"{code} {err}")
code, out, err = run("effective", "--product", "citrix")
check("bad --product: exit 2", code == 2, code)
code, out, err = run("effective", "--rdp", "a.rdp", "--client-props", "x:i:1")
check("--rdp with --client-props: exit 2", code == 2, code)
code, out, err = run("--help")
check("--help on stdout, exit 0, documents exit codes", code == 0 and "exit codes:" in out and not err, code)
check("--help documents exit 5 (not set)", "  5  rdp get, intune get, hostpool get: the input reads, but the setting asked for\n"
      "     is not set in it\n" in out, out)
for verb, want in [(("rdp", "get"), "5 NAME is not set in the file"), (("intune", "get"), "5 SETTING is not set in the file"),
                   (("hostpool", "get"), "5 the pool has no such property")]:
    code, out, err = run(*verb, "--help")
    check(f"{' '.join(verb)} --help documents exit 5", code == 0 and want in " ".join(out.split()), out[-400:])
code, out, err = run("effective", "--help")
check("effective --help teaches the search order", code == 0 and "$COMREDIR_CONFIG" in out, code)
empty = tempfile.mkdtemp()
code, out, err = run("effective", "--host", "pool1", cwd=empty)
check("--host without any config: exit 3 with the search path", code == 3 and "./comredir.json" in err, f"{code} {err}")
code, out, err = run("effective", "--host", "pool1", cwd=empty, env_extra={"COMREDIR_CONFIG": os.path.join(EXAMPLES, "comredir.json")})
check("$COMREDIR_CONFIG is honoured", code == 0 and "com_ports" in out, f"{code} {err}")

# matrix
code, out, err = run("matrix", "--feature", "com_ports", "--product", "avd", "--json")
m = json.loads(out)
check("matrix avd com_ports: 64 rows", code == 0 and len(m) == 1 and len(m[0]["rows"]) == 64)
row = next(r for r in m[0]["rows"] if r["os_policy"] == "deny" and r["host_pool"] == "allow" and r["client"] == "allow")
check("matrix: Microsoft's example row (GP deny, host pool allow)", row["effective"] == "deny" and row["decidedBy"] == "os_policy")
code, out, err = run("matrix", "--feature", "com_ports", "--product", "w365", "--json")
check("matrix w365: 16 rows (no host-pool layer)", len(json.loads(out)[0]["rows"]) == 16)

# gp dump
pol = os.path.join(EXAMPLES, "local-gpo/Machine/Registry.pol")
code, out, err = run("gp", "dump", "--pol", pol, "--json")
want = [
    {"key": "Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", "value": "fDisableCcm", "type": "REG_DWORD", "data": 0},
    {"key": "Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", "value": "fEnableTimeZoneRedirection", "type": "REG_DWORD", "data": 1},
]
check("gp dump --json: exact entries", code == 0 and json.loads(out) == want, out[:300])
code, out, err = run("gp", "dump", "--pol", bad_pol, "--json")
check("gp dump on a corrupt file: exit 3", code == 3 and bad_pol in err, f"{code} {err}")

# gp list: policy states in GPMC's terms
t0x01_pol = os.path.join(T0X01, "DomainSysvol/GPO/Machine/registry.pol")
code, out, err = run("gp", "list", "--pol", t0x01_pol, "--admx", os.path.join(SHARED, "admx"), "--json")
doc = json.loads(out) if code == 0 else []
com = [p for p in doc if p["policy"] == "TS_CLIENT_COM"]
check("gp list: TS_CLIENT_COM enabled, with GPMC's category path",
      len(com) == 1 and com[0]["state"] == "enabled" and com[0]["display_name"] == "Do not allow COM port redirection"
      and com[0]["category"] == "Windows Components/Remote Desktop Services/Remote Desktop Session Host/Device and Resource Redirection",
      f"{code} {err} {com}")
code, out, err = run("gp", "list", "--pol", bad_pol, "--admx", os.path.join(SHARED, "admx"))
check("gp list on a corrupt file: exit 3", code == 3 and bad_pol in err, f"{code} {err}")

# admx install
store = os.path.join(tmp, "PolicyDefinitions")
os.mkdir(store)
code, out, err = run("admx", "install", "--central-store", store, "--dry-run")
check("admx install --dry-run writes nothing", code == 0 and os.listdir(store) == [] and "would create" in out, f"{code} {out} {err}")
code, out, err = run("admx", "install", "--central-store", store)
same = all(open(os.path.join(SRC, "admx", a), "rb").read() == open(os.path.join(store, b), "rb").read()
           for a, b in [("comredir.admx", "comredir.admx"), ("en-US/comredir.adml", "en-US/comredir.adml")])
check("admx install copies both templates byte for byte", code == 0 and same, f"{code} {err}")
code, out, err = run("admx", "install", "--central-store", store)
check("admx install again: up to date", code == 0 and out.count("up to date") == 2, out)
code, out, err = run("admx", "install", "--central-store", os.path.join(tmp, "missing"))
check("admx install into a missing folder: exit 3", code == 3 and "is not a folder" in err, f"{code} {err}")


def comredir_policy_checks():
    """comredir's own ADMX policies (fixtures: tests/data/comredir/make_fixtures.py)."""
    local = "examples/local-gpo/Machine/Registry.pol"  # fDisableCcm = 0
    fx = "tests/data/comredir/"
    base = ["effective", "--no-config", "--feature", "com_ports"]
    code, ds, doc, err = decisions(base + ["--pol", local, "--pol", fx + "deny.pol", "--product", "avd"], cwd=SRC)
    com = ds["com_ports"]
    os_layer = com["layers"][0]
    check("comredir DenyComRedirection denies although TS_CLIENT_COM allows",
          code == 0 and com["effective"] == "deny" and com["decidedBy"] == "os_policy"
          and os_layer["provenance"]["admxPolicy"] == "DenyComRedirection" and os_layer["provenance"]["offset"] == 8
          and com["reason"].startswith("`Do not allow COM port redirection to comredir hosts` (DenyComRedirection) Enabled: "
                                       "DisableComPortRedirection = 1 (tests/data/comredir/deny.pol offset 0x8)"),
          json.dumps(com)[:400])
    check("comredir deny: TS_CLIENT_COM listed as overridden",
          [o.get("admxPolicy") for o in os_layer["overridden"]] == ["TS_CLIENT_COM"], json.dumps(os_layer["overridden"]))
    check("no --port: no `port` member", "port" not in doc)

    ports = base + ["--pol", fx + "ports.pol", "--product", "linux", "--client-os", "windows"]
    code, ds, doc, err = decisions(ports + ["--port", "COM2"], cwd=SRC)
    p = ds["com_ports"]["layers"][0]["provenance"]
    check("--port COM2 matches AllowedPorts item 2",
          code == 0 and doc["port"] == "COM2" and ds["com_ports"]["effective"] == "allow"
          and p["registryValue"] == "2" and p["raw"] == "COM2" and p["detail"] == "port `COM2` matches `COM2`", json.dumps(p))
    code, ds, doc, err = decisions(ports + ["--port", "ttyusb0"], cwd=SRC)
    check("--port ttyusb0 matches `ttyUSB?` (case ignored)", ds["com_ports"]["effective"] == "allow")
    code, ds, doc, err = decisions(ports + ["--port", "COM9"], cwd=SRC)
    com = ds["com_ports"]
    check("--port COM9: denied, naming the patterns",
          code == 0 and com["effective"] == "deny" and com["decidedBy"] == "os_policy"
          and com["reason"].endswith("port `COM9` matches none of `COM1`, `COM2`, `ttyUSB?`"), com["reason"])
    check("a bad value the decision does not use is a note",
          com["notes"] == ["comredir policy (not used here): tests/data/comredir/ports.pol: offset 0x360: "
                           "`LatencyWarningMs` = `70000` is out of range 0-60000"], json.dumps(com["notes"]))
    code, out, err = run(*ports, "--port", "COM9", cwd=SRC)
    check("--port shown in the text header", code == 0 and "client `windows`  port `COM9`\n" in out, out[:200])

    code, ds, doc, err = decisions(base + ["--pol", fx + "ports.pol", "--product", "linux", "--client-os", "linux",
                                           "--port", "COM1"], cwd=SRC)
    com = ds["com_ports"]
    check("AllowNonWindowsClients disabled: a linux client is denied by the platform, citing the policy",
          com["effective"] == "deny" and com["decidedBy"] == "platform"
          and com["layers"][3]["configured"] == "deny"
          and com["layers"][3]["provenance"]["admxPolicy"] == "AllowNonWindowsClients"
          and com["layers"][3]["provenance"]["offset"] == 0x2cc, json.dumps(com["layers"][3]))

    code, ds, doc, err = decisions(base + ["--pol", local, "--pol", fx + "bad-type.pol", "--product", "avd"], cwd=SRC)
    com = ds["com_ports"]
    check("wrongly typed DisableComPortRedirection: fails closed, says why",
          com["effective"] == "deny" and com["layers"][0]["configured"] == "error"
          and com["errors"] == ["os_policy: tests/data/comredir/bad-type.pol: offset 0x8: `DisableComPortRedirection` "
                                "is REG_SZ of 4 bytes, expected a 4-byte REG_DWORD"], json.dumps(com["errors"]))
    code, out, err = run(*base, "--port", "", cwd=SRC)
    check("--port with an empty name: exit 2", code == 2 and "--port" in err, f"{code} {err}")


comredir_policy_checks()

shutil.rmtree(tmp)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
