#!/usr/bin/python3
"""`gp set` on the policy shapes whose written state Group Policy reads back in its own way,
end to end on Microsoft's own definitions (issue 11, points 1 and 2).

Usage: gp_set_shapes_test.py COMREDIR_POLICY SHARED_DATA
Prints one line per check and `N passed, M failed`; exits 1 on any failure.

1. A policy whose own value is also its element's value (EarlyLaunchAM's
   `POL_DriverLoadPolicy_Name`, WindowsInkWorkspace's `AllowWindowsInkWorkspace`) is written as
   one record, and reads back Enabled with the element's item, as GPMC reports it.
2. Optional multiText elements left out (AppPrivacy's `LetAppsAccessTasks`) are written empty,
   a REG_MULTI_SZ of 2 bytes as GPMC writes it; a set-and-reset gives the file back byte for
   byte.
3. What the read-back accepts with a word and nothing else: a policy GPMC shows as its twin (a
   note), Enabled options that write what Disabled writes (a warning), a Disabled that writes
   nothing (a warning).
"""
import json
import os
import shutil
import struct
import sys
import tempfile

from clitest import Suite

BIN, SHARED = sys.argv[1], sys.argv[2]
MS_FULL = os.path.join(SHARED, "admx-full", "PolicyDefinitions")
tmp = tempfile.mkdtemp(prefix="comredir-gp-set-shapes-")
suite = Suite(BIN, home=tmp)
check = suite.check

# Only the files used, with the windows namespace they refer to: loads fast, no ADMX noise.
ADMX = os.path.join(tmp, "PolicyDefinitions")
os.makedirs(os.path.join(ADMX, "en-US"))
for stem in ("Windows", "EarlyLaunchAM", "WindowsInkWorkspace", "AppPrivacy", "SmartScreen",
             "WindowsExplorer", "DataCollection", "inetres"):
    shutil.copy(os.path.join(MS_FULL, stem + ".admx"), ADMX)
    # Names as Microsoft ships them: inetres.admx comes with InetRes.adml.
    adml = next(n for n in os.listdir(os.path.join(MS_FULL, "en-US")) if n.lower() == stem.lower() + ".adml")
    shutil.copy(os.path.join(MS_FULL, "en-US", adml), os.path.join(ADMX, "en-US"))

POL = os.path.join(tmp, "gpo", "Machine", "Registry.pol")
os.makedirs(os.path.dirname(POL))
# inetres.admx's real defect: three categories under `InternetCPL_General`, which no file defines.
ADMX_NOISE = ("comredir-policy: warning: 3 problems in the ADMX set; `--verbose` prints them, "
              "`admx validate` explains each\n")
NOTE_MACHINE = ADMX_NOISE + (f"comredir-policy: note: {POL}: Computer Configuration, from its folder "
                "`Machine` (--user reads it as User Configuration)\n")


def gp_set(*args):
    return suite.run("gp", "set", *args, "--pol", POL, "--admx", ADMX)


def dump():
    code, out, err = suite.run("gp", "dump", "--pol", POL, "--json")
    return json.loads(out) if code == 0 else (code, err)


def listed():
    code, out, err = suite.run("gp", "list", "--pol", POL, "--admx", ADMX, "--json")
    return [(p["policy"], p["state"], p["elements"]) for p in json.loads(out)] if code == 0 else (code, err)


def reset():
    if os.path.exists(POL):
        os.remove(POL)


def records(raw):
    """(value, type, data size) of each entry of a Registry.pol ([MS-GPREG] 2.2.1)."""
    out, i = [], 8
    while i < len(raw):
        end_key = raw.index(b"\0\0", i + 2)
        while (end_key - i) % 2:
            end_key = raw.index(b"\0\0", end_key + 1)
        j = end_key + 4  # NUL, `;`
        end_value = raw.index(b"\0\0", j)
        while (end_value - j) % 2:
            end_value = raw.index(b"\0\0", end_value + 1)
        value = raw[j:end_value].decode("utf-16-le")
        typ, size = struct.unpack_from("<I2xI", raw, end_value + 4)
        out.append((value, typ, size))
        i = end_value + 4 + 4 + 2 + 4 + 2 + size + 2
    return out


# --- 1. own value shared with an element ----------------------------------------------------
reset()
code, out, err = gp_set("POL_DriverLoadPolicy_Name", "enabled", "--element", "SelectDriverLoadPolicy=3")
check("POL_DriverLoadPolicy_Name enabled with SelectDriverLoadPolicy=3: exit 0, one record added",
      code == 0 and err == NOTE_MACHINE and "\n  0 replaced, 1 added, 0 removed, 0 entries kept byte for byte\n" in out,
      (code, out, err))
check("  the file holds DriverLoadPolicy once, REG_DWORD 3",
      dump() == [{"key": "System\\CurrentControlSet\\Policies\\EarlyLaunch", "value": "DriverLoadPolicy",
                  "type": "REG_DWORD", "data": 3}], dump())
check("  gp list: Enabled with the element's item",
      listed() == [("POL_DriverLoadPolicy_Name", "enabled",
                    {"SelectDriverLoadPolicy": "Good, unknown and bad but critical"})], listed())

reset()
code, out, err = gp_set("AllowWindowsInkWorkspace", "enabled", "--element", "AllowWindowsInkWorkspaceDropdown=0")
check("AllowWindowsInkWorkspace enabled with the item of value 0: exit 0, one REG_DWORD 0",
      code == 0 and dump() == [{"key": "Software\\Policies\\Microsoft\\WindowsInkWorkspace",
                                "value": "AllowWindowsInkWorkspace", "type": "REG_DWORD", "data": 0}],
      (code, err, dump()))
check("  gp list: Enabled: Disabled, as GPMC reports `AllowWindowsInkWorkspace = 0`",
      listed() == [("AllowWindowsInkWorkspace", "enabled", {"AllowWindowsInkWorkspaceDropdown": "Disabled"})],
      listed())

# --- 2. optional multiText left out ---------------------------------------------------------
reset()
code, out, err = gp_set("POL_DriverLoadPolicy_Name", "enabled", "--element", "SelectDriverLoadPolicy=3")
with open(POL, "rb") as f:
    before = f.read()
code, out, err = gp_set("LetAppsAccessTasks", "enabled", "--element", "LetAppsAccessTasks_Enum=Force Deny")
check("LetAppsAccessTasks with only its enum: exit 0, 4 records added",
      code == 0 and err == NOTE_MACHINE and "\n  0 replaced, 4 added, 0 removed, 1 entries kept byte for byte\n" in out,
      (code, out, err))
with open(POL, "rb") as f:
    written = records(f.read())
check("  the three app lists are empty REG_MULTI_SZ of 2 bytes, as GPMC writes them",
      written[1:] == [("LetAppsAccessTasks", 4, 4),
                      ("LetAppsAccessTasks_UserInControlOfTheseApps", 7, 2),
                      ("LetAppsAccessTasks_ForceAllowTheseApps", 7, 2),
                      ("LetAppsAccessTasks_ForceDenyTheseApps", 7, 2)], written)
check("  gp list: Enabled, Force Deny, empty lists",
      ("LetAppsAccessTasks", "enabled", {"LetAppsAccessTasks_Enum": "Force Deny",
                                         "LetAppsAccessTasks_UserInControlOfTheseApps_List": "",
                                         "LetAppsAccessTasks_ForceAllowTheseApps_List": "",
                                         "LetAppsAccessTasks_ForceDenyTheseApps_List": ""}) in listed(),
      listed())
code, out, err = gp_set("LetAppsAccessTasks", "not-configured")
with open(POL, "rb") as f:
    after = f.read()
check("  reset to not-configured: the file is byte for byte what it was", code == 0 and after == before,
      (code, err, len(before), len(after)))

# --- 3. what the read-back accepts ------------------------------------------------------------
reset()
code, out, err = gp_set("EnableSmartScreen", "enabled")
check("EnableSmartScreen enabled: exit 0, a note that GPMC shows the twin ShellConfigureSmartScreen",
      code == 0 and err == NOTE_MACHINE + "comredir-policy: note: `EnableSmartScreen` writes exactly "
      "the entries of `ShellConfigureSmartScreen` (Configure Windows Defender SmartScreen): GPMC and "
      "`gp list` show them as that policy\n", (code, err))
check("  gp list shows ShellConfigureSmartScreen", [p for p, _, _ in listed()] == ["ShellConfigureSmartScreen"],
      listed())
code, out, err = suite.run("gp", "set", "EnableSmartScreen", "enabled", "--pol", POL, "--admx", ADMX, "--json")
check("  --json: no note, the report on stdout", code == 0 and err == ADMX_NOISE and json.loads(out)["changed"] is False,
      (code, err))

reset()
ITEM = "ConfigureTelemetryOptInSettingsUx=Enable diagnostic data opt-in setings"  # the ADML's spelling
code, out, err = gp_set("ConfigureTelemetryOptInSettingsUx", "enabled", "--element", ITEM)
check("ConfigureTelemetryOptInSettingsUx enabled with the item that writes 0: exit 0 and a warning",
      code == 0 and err == NOTE_MACHINE + "comredir-policy: warning: `ConfigureTelemetryOptInSettingsUx` "
      "enabled with these options writes exactly what disabled writes: GPMC and `gp list` will show it "
      "as disabled\n", (code, err))
check("  gp list: disabled", listed() == [("ConfigureTelemetryOptInSettingsUx", "disabled", {})], listed())

reset()
code, out, err = gp_set("RestrictConnectionSettings_2", "disabled")
check("RestrictConnectionSettings_2 disabled (only an enabledList): exit 0 and a warning",
      code == 0 and err == NOTE_MACHINE + "comredir-policy: warning: `RestrictConnectionSettings_2` has "
      "nothing to write for disabled (no disabledValue, disabledList or value of its own): the file "
      "keeps no trace of it, and GPMC shows it as not configured\n", (code, err))
check("  the file holds no entry", dump() == [], dump())

shutil.rmtree(tmp) if not os.environ.get("KEEP") else None
suite.finish()
