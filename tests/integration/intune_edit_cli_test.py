#!/usr/bin/python3
"""`comredir-policy intune get|set|unset|export` end to end on the real Graph export: exact
bytes, --dry-run / --backup / --json, exit codes and messages, two concurrent writers, writers
SIGKILLed at random points, and `effective --intune` reading what was written.

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

from clitest import Suite

BIN, SHARED = sys.argv[1], sys.argv[2]
REAL = os.path.join(SHARED, "intune", "w365-resource-redirection.native.json")
COM = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com"
CAM = "device_vendor_msft_policy_config_admx_terminalserver_ts_camera_redirection"
tmp = tempfile.mkdtemp(prefix="comredir-intune-edit-")
suite = Suite(BIN, home=tmp)
run = suite.run


def read(p):
    with open(p, "rb") as f:
        return f.read()


orig = read(REAL)
work = os.path.join(tmp, "e.json")
shutil.copy(REAL, work)
os.chmod(work, 0o640)

code, out, err = run("intune", "get", work, "--json")
rows = json.loads(out)
suite.check("get --json: the export's 8 settings and 1 child setting in order, with pointers",
            code == 0 and len(rows) == 9 and rows[8]["parent"] != "" and rows[3] == {
                "policy": "Win365 - OIB - Device Security - D - Resource Redirection - v1.0", "setting": COM,
                "value": COM + "_1", "pointer": "/settings/3/settingInstance", "parent": ""}, rows[3:4])
code, out, err = run("intune", "get", work, "com_ports")
suite.check("get SETTING by feature id", (code, out) == (0, f"{COM} = {COM}_1\n"), (code, out, err))

code, out, err = run("intune", "set", work, "com_ports", "disabled", "--dry-run")
suite.check("set --dry-run: a unified diff of the one line, nothing written",
            code == 0 and out.startswith(f"--- {work}\n+++ {work} (after)\n@@ ") and
            f'-            "value": "{COM}_1",\n+            "value": "{COM}_0",\n' in out and read(work) == orig,
            out)
code, out, err = run("intune", "set", work, "com_ports", "disabled", "--backup")
suite.check("set: reports the change and keeps a backup",
            code == 0 and out == f"{work}: `{COM}`: `{COM}_1` -> `{COM}_0`\n  previous file kept as {work}.bak\n"
            and read(work + ".bak") == orig, (out, err))
suite.check("set: only the value's bytes changed; the mode is kept",
            read(work) == orig.replace((COM + "_1").encode(), (COM + "_0").encode()) and
            os.stat(work).st_mode & 0o777 == 0o640)
code, out, err = run("effective", "--no-config", "--intune", work, "--feature", "com_ports", "--json")
d = json.loads(out)["decisions"][0]
suite.check("effective --intune reads the edited export",
            d["layers"][0]["provenance"]["raw"] == COM + "_0", d["layers"][0])
code, out, err = run("intune", "set", work, COM, "1")
suite.check("set back by suffix: the original bytes", code == 0 and read(work) == orig, err)
code, out, err = run("intune", "set", work, COM, "enabled")
suite.check("set to the same value: nothing written", (code, out) == (0, f"{work}: `{COM}` already `{COM}_1`: nothing written\n"), out)

code, out, err = run("intune", "set", work, CAM, "enabled", "--json")
rep = json.loads(out)
suite.check("set a missing setting: added", code == 0 and rep["action"] == "added" and rep["value"] == CAM + "_1", out)
code, out, err = run("intune", "unset", work, CAM)
suite.check("unset it again: the original bytes", code == 0 and read(work) == orig and out == f"{work}: removed `{CAM}` (was `{CAM}_1`)\n", (out, err))
code, out, err = run("intune", "unset", work, CAM)
suite.check("unset a missing setting: nothing written", (code, out) == (0, f"{work}: `{CAM}` is not set: nothing written\n"), out)

for args, want_code, want_err in [
    (["intune", "set", work, "nope", "1"], 2,
     f"{work}: setting `nope` is neither a settings-catalog definition id (device_vendor_msft_...) nor a feature with one"),
    (["intune", "set", work, COM, "maybe"], 2,
     f"{work}: value `maybe` is not an option of `{COM}` (expected enabled, disabled, N or `{COM}_N`)"),
    (["intune", "set", os.path.join(tmp, "none.json"), COM, "1"], 3, f"{os.path.join(tmp, 'none.json')}: no such file"),
    (["intune", "get", work, CAM], 4, f"{work}: `{CAM}` is not set"),
]:
    code, out, err = run(*args)
    suite.check(f"error exit {want_code}: {want_err[:50]}", (code, err) == (want_code, f"comredir-policy: {want_err}\n"), (code, err))
suite.check("failed commands leave the file alone", read(work) == orig)

# export
new = os.path.join(tmp, "new.json")
code, out, err = run("intune", "export", "--out", new, "--name", "RDS lockdown", "com_ports=enabled", f"{CAM}=0")
doc = json.loads(read(new))
suite.check("export: Graph's create shape with the two settings",
            code == 0 and list(doc) == ["name", "description", "platforms", "technologies", "roleScopeTagIds", "settings"]
            and [s["settingInstance"]["choiceSettingValue"]["value"] for s in doc["settings"]] == [COM + "_1", CAM + "_0"],
            (out, err))
code, out, err = run("effective", "--no-config", "--intune", new, "--feature", "com_ports")
suite.check("export: effective --intune denies COM from it", any(l.split()[:2] == ["com_ports", "deny"] for l in out.splitlines()), out)
code, out, err = run("intune", "export", "--out", new, "--name", "x", "com_ports=1")
suite.check("export refuses to replace a file without --force", code == 3 and err == f"comredir-policy: {new}: exists (--force replaces it)\n", err)

# concurrency: two writers, 40 updates each to their own setting
conc = os.path.join(tmp, "c.json")
with open(conc, "w") as f:
    f.write('{"name": "c", "settings": []}\n')
script = """
import subprocess, sys
bin, path, setting = sys.argv[1:4]
for i in range(40):
    r = subprocess.run([bin, "intune", "set", path, setting, str(i % 2 if i < 39 else 1)], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr); sys.exit(1)
"""
procs = [subprocess.Popen([sys.executable, "-c", script, BIN, conc, s], stdout=subprocess.PIPE, text=True) for s in (COM, CAM)]
outs = [p.communicate(timeout=300)[0] for p in procs]
code, out, err = run("intune", "get", conc, "--json")
got = {r["setting"]: r["value"] for r in json.loads(out or "[]")}
suite.check("two concurrent writers, 40 updates each: both settings present and final",
            all(p.returncode == 0 for p in procs) and got == {COM: COM + "_1", CAM: CAM + "_1"}, (outs, got))

crash = os.path.join(tmp, "crash.json")
shutil.copy(REAL, crash)
states = [orig, orig.replace((COM + "_1").encode(), (COM + "_0").encode())]
rng = random.Random(11)
bad, killed = [], 0
for i in range(30):
    proc = subprocess.Popen([BIN, "intune", "set", crash, COM, str(i % 2)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0, 0.004))
    proc.send_signal(signal.SIGKILL)
    killed += proc.wait() == -signal.SIGKILL
    if read(crash) not in states:
        bad.append(read(crash)[:80])
suite.check(f"30 writers SIGKILLed at random points ({killed} killed before they finished): old or new file", not bad, bad[:2])

shutil.rmtree(tmp)
suite.finish()
