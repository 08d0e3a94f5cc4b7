#!/usr/bin/python3
"""`comredir-policy intune get|set|unset|export` end to end on the real Graph export: exact
bytes, --dry-run / --backup / --json, --policy on a list, child settings, exit codes and
messages, two concurrent writers, writers SIGKILLed at random points, and
`effective --intune` reading what was written.

Usage: intune_edit_cli_test.py COMREDIR_POLICY SHARED_DATA
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from clitest import Suite, stress

BIN, SHARED = sys.argv[1], sys.argv[2]
REAL = os.path.join(SHARED, "intune", "w365-resource-redirection.native.json")
POLICY = "Win365 - OIB - Device Security - D - Resource Redirection - v1.0"
PFX = "device_vendor_msft_policy_config_"
COM = PFX + "admx_terminalserver_ts_client_com"
CAM = PFX + "admx_terminalserver_ts_camera_redirection"
CLIP = PFX + "remotedesktopservices_limitservertoclientclipboardredirection"
KID = CLIP + "_ts_sc_clipboard_restriction_text"
tmp = tempfile.mkdtemp(prefix="comredir-intune-edit-")
suite = Suite(BIN, home=tmp)
run = suite.run


def read(p):
    with open(p, "rb") as f:
        return f.read()


def write(p, b):
    with open(p, "wb") as f:
        f.write(b)


def swap(b, old, new):
    assert b.count(old.encode()) == 1, old
    return b.replace(old.encode(), new.encode())


orig = read(REAL)
work = os.path.join(tmp, "e.json")
shutil.copy(REAL, work)
os.chmod(work, 0o640)

# --- get -----------------------------------------------------------------------------------
code, out, err = run("intune", "get", work, "--json")
rows = json.loads(out)
suite.check("get --json: the export's 8 settings and 1 child setting in order, with pointers",
            code == 0 and [r["setting"] for r in rows][7:] == [CLIP, KID] and rows[8]["parent"] == CLIP and
            rows[8]["pointer"] == "/settings/7/settingInstance/choiceSettingValue/children/0" and rows[3] == {
                "policy": POLICY, "setting": COM, "value": COM + "_1", "pointer": "/settings/3/settingInstance",
                "parent": ""}, rows[3:4])
code, out, err = run("intune", "get", work, "com_ports")
suite.check("get SETTING by feature id", (code, out) == (0, f"{COM} = {COM}_1\n"), (code, out, err))
code, out, err = run("intune", "get", work, COM.upper())
suite.check("get SETTING: definition ids in any case", (code, out) == (0, f"{COM} = {COM}_1\n"), (code, out, err))
code, out, err = run("intune", "get", work)
suite.check("get: children indented under their parent",
            code == 0 and out.splitlines()[7:] == [f"{CLIP} = {CLIP}_1", f"  {KID} = {KID}_0"], out)

# --- set / unset on the real export ----------------------------------------------------------
code, out, err = run("intune", "set", work, "com_ports", "disabled", "--dry-run")
suite.check("set --dry-run: a unified diff of the one line, nothing written",
            code == 0 and out.startswith(f"--- {work}\n+++ {work} (after)\n@@ ") and
            f'-            "value": "{COM}_1",\n+            "value": "{COM}_0",\n' in out and
            sum(l[:1] in "+-" for l in out.splitlines()) == 4 and read(work) == orig, out)
code, out, err = run("intune", "set", work, "com_ports", "disabled", "--dry-run", "--json")
rep = json.loads(out)
suite.check("set --dry-run --json: the report and the diff",
            code == 0 and rep["dry_run"] and rep["action"] == "replaced" and rep["diff"].startswith(f"--- {work}\n")
            and read(work) == orig, out)
code, out, err = run("intune", "set", work, "com_ports", "disabled", "--backup")
suite.check("set: reports the change and keeps a backup",
            code == 0 and out == f"{work}: `{COM}`: `{COM}_1` -> `{COM}_0`\n  previous file kept as {work}.bak\n"
            and read(work + ".bak") == orig, (out, err))
suite.check("set: only the value's bytes changed (BOM kept); the mode is kept",
            read(work) == swap(orig, COM + "_1", COM + "_0") and read(work)[:3] == b"\xef\xbb\xbf" and
            os.stat(work).st_mode & 0o777 == 0o640)
code, out, err = run("effective", "--no-config", "--intune", work, "--feature", "com_ports", "--json")
d = json.loads(out)["decisions"][0]
suite.check("effective --intune reads the edited export",
            d["layers"][0]["provenance"]["raw"] == COM + "_0", d["layers"][0])
code, out, err = run("intune", "set", work, COM, "1")
suite.check("set back by suffix: the original bytes", code == 0 and read(work) == orig, err)
code, out, err = run("intune", "set", work, COM, "enabled")
suite.check("set to the same value: nothing written",
            (code, out) == (0, f"{work}: `{COM}` already `{COM}_1`: nothing written\n"), out)

code, out, err = run("intune", "set", work, CAM, "enabled", "--json")
rep = json.loads(out)
suite.check("set a missing setting: added, settingCount 9",
            code == 0 and rep["action"] == "added" and rep["value"] == CAM + "_1" and
            b'"settingCount": 9,' in read(work), out)
code, out, err = run("intune", "unset", work, CAM)
suite.check("unset it again: the original bytes",
            code == 0 and read(work) == orig and out == f"{work}: removed `{CAM}` (was `{CAM}_1`)\n", (out, err))
code, out, err = run("intune", "unset", work, CAM)
suite.check("unset a missing setting: nothing written",
            (code, out) == (0, f"{work}: `{CAM}` is not set: nothing written\n") and read(work) == orig, out)

code, out, err = run("intune", "set", work, KID, "1")
suite.check("set a child setting in place", code == 0 and read(work) == swap(orig, KID + "_0", KID + "_1"), (out, err))
code, out, err = run("intune", "unset", work, KID, "--json")
rep = json.loads(out)
kid_gone = json.loads(read(work).decode("utf-8-sig"))
suite.check("unset a child setting: gone from its parent's children, settingCount still 8",
            code == 0 and rep["action"] == "removed" and
            rep["setting"] == KID and kid_gone["settings"][7]["settingInstance"]["choiceSettingValue"]["children"] == []
            and kid_gone["settingCount"] == 8, out)
shutil.copy(REAL, work)

# --- errors -----------------------------------------------------------------------------------
coll = os.path.join(tmp, "coll.json")
write(coll, b'{"settings": [{"settingDefinitionId": "device_vendor_msft_c", "simpleSettingCollectionValue": [{"value": "x"}]}]}')
lst = os.path.join(tmp, "list.json")
write(lst, json.dumps({"value": [{"id": "a1", "name": "A", "settings": []},
                                 {"id": "b1", "name": "B", "settings": []}]}, indent=2).encode())
lst_orig = read(lst)
none = os.path.join(tmp, "none.json")
for args, want_code, want_err in [
    (["intune", "set", work, "nope", "1"], 2,
     f"{work}: setting `nope` is neither a settings-catalog definition id (device_vendor_msft_...) nor a feature with one"),
    (["intune", "set", work, COM, "maybe"], 2,
     f"{work}: value `maybe` is not an option of `{COM}` (expected enabled, disabled, N or `{COM}_N`)"),
    (["intune", "set", coll, "device_vendor_msft_c", "y"], 2,
     f"{coll}: /settings/0: setting `device_vendor_msft_c` is a `simpleSettingCollectionValue`: only choice and "
     "simple settings are set (value `y`)"),
    (["intune", "set", lst, COM, "1"], 2,
     f"{lst}: the file holds 2 policies: choose one with --policy (`A`, `B`)"),
    (["intune", "unset", lst, COM, "--policy", "C"], 2, f"{lst}: no policy named `C` (policies: `A`, `B`)"),
    (["intune", "set", none, COM, "1"], 3, f"{none}: no such file"),
    (["intune", "unset", tmp, COM], 3, f"{tmp}: not a regular file"),
    (["intune", "get", work, CAM], 5, f"{work}: `{CAM}` is not set"),
    (["intune", "get", lst, "--policy", "C"], 2, f"{lst}: no policy named `C`"),
]:
    code, out, err = run(*args)
    suite.check(f"exit {want_code}: {' '.join(args[:2])} ... {want_err.split(': ', 1)[1][:50]}",
                (code, err) == (want_code, f"comredir-policy: {want_err}\n"), (code, err))
suite.check("failed commands leave the files alone", read(work) == orig and read(lst) == lst_orig)

code, out, err = run("intune", "set", lst, "com_ports", "enabled", "--policy", "b1")
got = json.loads(read(lst))
suite.check("--policy ID picks one policy of a list; the other is untouched",
            code == 0 and got["value"][0]["settings"] == [] and
            got["value"][1]["settings"][0]["settingInstance"]["choiceSettingValue"]["value"] == COM + "_1", (out, err))
code, out, err = run("intune", "get", lst, "--policy", "B")
suite.check("get --policy", (code, out) == (0, f"{COM} = {COM}_1\n"), (out, err))
suite.check("no temporary file left behind", sorted(f for f in os.listdir(tmp) if f.startswith(".")) == [],
            os.listdir(tmp))

# --- export -----------------------------------------------------------------------------------
new = os.path.join(tmp, "new.json")
code, out, err = run("intune", "export", "--out", new, "--name", "RDS lockdown", "com_ports=enabled", f"{CAM}=0",
                     "--dry-run")
suite.check("export --dry-run: the whole file as added lines, nothing written",
            code == 0 and out.startswith(f"--- /dev/null\n+++ {new} (after)\n") and not os.path.exists(new), out)
code, out, err = run("intune", "export", "--out", new, "--name", "RDS lockdown", "com_ports=enabled", f"{CAM}=0")
doc = json.loads(read(new))
ref = json.loads(orig.decode("utf-8-sig"))
suite.check("export: Graph's create shape with the two settings",
            code == 0 and list(doc) == ["name", "description", "platforms", "technologies", "roleScopeTagIds", "settings"]
            and [s["settingInstance"]["choiceSettingValue"]["value"] for s in doc["settings"]] == [COM + "_1", CAM + "_0"]
            and out == f"{new}: policy `RDS lockdown` with 2 setting(s), for Graph `POST deviceManagement/configurationPolicies`\n",
            (out, err))
want_item = json.loads(json.dumps(ref["settings"][3]))
want_item["id"] = "0"
suite.check("export: top-level fields as the real export has them; each item the real export's item "
            "with only id and value changed",
            all(doc[k] == ref[k] for k in ("platforms", "technologies", "roleScopeTagIds", "description")) and
            doc["settings"][0] == want_item and list(doc["settings"][1]) == list(ref["settings"][3]), doc)
code, out, err = run("effective", "--no-config", "--intune", new, "--feature", "com_ports")
suite.check("export: effective --intune denies COM from it",
            any(l.split()[:2] == ["com_ports", "deny"] for l in out.splitlines()), out)
first = read(new)
code, out, err = run("intune", "export", "--out", new, "--name", "x", "com_ports=1")
suite.check("export refuses to replace a file without --force",
            code == 3 and err == f"comredir-policy: {new}: exists (--force replaces it)\n" and read(new) == first, err)
os.chmod(new, 0o600)
code, out, err = run("intune", "export", "--out", new, "--name", "x", "com_ports=0", "--force", "--backup", "--json")
rep = json.loads(out)
suite.check("export --force --backup: replaced, the old file kept, the mode kept",
            code == 0 and rep["replaced"] and rep["backup"] == new + ".bak" and read(new + ".bak") == first and
            json.loads(read(new))["name"] == "x" and os.stat(new).st_mode & 0o777 == 0o600, (out, err))
for args, want in [
    (["com_ports"], "`com_ports` is not SETTING=VALUE"),
    (["com_ports=1", COM + "=0"], f"setting `{COM}` is given twice"),
    (["com_ports=on"], f"value `on` is not an option of `{COM}` (expected enabled, disabled, N or `{COM}_N`)"),
]:
    code, out, err = run("intune", "export", "--out", os.path.join(tmp, "x.json"), "--name", "x", *args)
    suite.check(f"export exit 2: {want[:50]}", (code, err) == (2, f"comredir-policy: {want}\n"), (code, err))

# --- concurrency: two writers, 40 updates each to their own setting -------------------------
conc = os.path.join(tmp, "c.json")
write(conc, b'{"name": "c", "settings": []}\n')
UPDATES = stress(40, 10)
script = """
import subprocess, sys
bin, path, setting, updates = sys.argv[1:5]
n = int(updates)
for i in range(n):
    r = subprocess.run([bin, "intune", "set", path, setting, str(i % 2 if i < n - 1 else 1)], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr); sys.exit(1)
"""
procs = [subprocess.Popen([sys.executable, "-c", script, BIN, conc, s, str(UPDATES)], stdout=subprocess.PIPE, text=True)
         for s in (COM, CAM)]
outs = [p.communicate(timeout=300)[0] for p in procs]
code, out, err = run("intune", "get", conc, "--json")
got = {r["setting"]: r["value"] for r in json.loads(out or "[]")}
suite.check(f"two concurrent writers, {UPDATES} updates each: both settings present once and final",
            all(p.returncode == 0 for p in procs) and got == {COM: COM + "_1", CAM: CAM + "_1"} and
            len(json.loads(out)) == 2, (outs, got))

# --- writers SIGKILLed at random points ---------------------------------------------------
crash = os.path.join(tmp, "crash.json")
shutil.copy(REAL, crash)
states = [orig, swap(orig, COM + "_1", COM + "_0")]
# Kill points spread over a whole run (start-up included), measured here: a fixed few
# milliseconds would mostly kill the process before it reads the file.
took = []
for i in range(5):
    t = time.monotonic()
    run("intune", "set", crash, COM, str(i % 2))
    took.append(time.monotonic() - t)
span = sorted(took)[2] * 1.2
rng = random.Random(11)
bad, killed = [], 0
KILLS = stress(30, 10)
for i in range(KILLS):
    proc = subprocess.Popen([BIN, "intune", "set", crash, COM, str(i % 2)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0, span))
    proc.send_signal(signal.SIGKILL)
    killed += proc.wait() == -signal.SIGKILL
    if read(crash) not in states:
        bad.append(read(crash)[:80])
suite.check(f"{KILLS} writers SIGKILLed at random points within {span * 1000:.0f} ms ({killed} killed before they "
            "finished): old or new file",
            not bad, bad[:2])
code, out, err = run("intune", "set", crash, COM, "1")
suite.check("after the kills the lock is free and the next write succeeds",
            code == 0 and read(crash) == orig, (code, err))

shutil.rmtree(tmp)
suite.finish()
