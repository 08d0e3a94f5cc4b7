#!/usr/bin/python3
"""Policy names several ADMX files share, and which half of a GPO a --pol file is, end to end.

Usage: policy_names_cli_test.py COMREDIR_POLICY SOURCE_DIR SHARED_DATA
Prints one line per check and `N passed, M failed`; exits 1 on any failure.

1. Names: Microsoft's full PolicyDefinitions set defines `L_VBAWarningsPolicy` in seven Office
   files, `ProxyPacUrl` in msedge.admx (prefix `microsoft_edge`) and WindowsDefender.admx
   (prefix `windef`), `TS_CLIENT_CLIPBOARD` in TerminalServer.admx (Machine) and
   TerminalServer-Server.admx (User). `admx show` and `gp set` refuse the bare names (exit 2,
   one line listing the qualified candidates) and take them qualified by file name, target
   prefix or namespace; `gp list` and `admx list` show them qualified and give `namespace`
   and `admx` in JSON.
2. Halves: `gp list --pol` and `gp set --pol` read a file in a `User` / `Machine` folder (any
   case) as that half, say so, take --user / --machine over it, and `gp list` warns when the
   entries fit the other half more than twice as well.
"""
import json
import os
import shutil
import sys
import tempfile

from clitest import Suite

BIN, SRC, SHARED = sys.argv[1], sys.argv[2], sys.argv[3]
MS_FULL = os.path.join(SHARED, "admx-full", "PolicyDefinitions")
tmp = tempfile.mkdtemp(prefix="comredir-policy-names-")

# The files of Microsoft's full set that share the names used here, copied as they are (a
# folder of 11 files loads in a fraction of the time of all 240, for some 60 runs).
FULL = os.path.join(tmp, "PolicyDefinitions")
os.makedirs(os.path.join(FULL, "en-US"))
for stem in ("access16", "excel16", "ppt16", "proj16", "pub16", "visio16", "word16", "msedge",
             "WindowsDefender", "TerminalServer", "TerminalServer-Server"):
    shutil.copy(os.path.join(MS_FULL, stem + ".admx"), FULL)
    adml = os.path.join(MS_FULL, "en-US", stem + ".adml")
    if os.path.isfile(adml):  # TerminalServer-Server has none
        shutil.copy(adml, os.path.join(FULL, "en-US"))

suite = Suite(BIN, home=tmp)
check = suite.check

# Microsoft's files have defects (a missing ADML, a dangling category): their load warnings
# come first on every run and are left out of the exact stderr checks below.
code, out, err = suite.run("admx", "list", "--admx", FULL)
LOAD_WARNINGS = set(err.splitlines())
check("test setup: the files load, with warnings only",
      code == 0 and LOAD_WARNINGS and all(": warning: " in l for l in LOAD_WARNINGS), f"{code} {err[:500]}")


def run(*args, admx=True):
    """Runs with the ADMX folder; stderr without the folder's own load warnings."""
    code, out, err = suite.run(*args, *(["--admx", FULL] if admx else []))
    return code, out, "".join(l + "\n" for l in err.splitlines() if l not in LOAD_WARNINGS)


VBA = "policy `L_VBAWarningsPolicy` is defined in 7 files: " + ", ".join(
    f"`{f}:L_VBAWarningsPolicy`" for f in ("access16", "excel16", "ppt16", "proj16", "pub16", "visio16", "word16")) + \
    "; qualify it"
CLIP = ("policy `TS_CLIENT_CLIPBOARD` is defined in 2 files: `TerminalServer-Server:TS_CLIENT_CLIPBOARD`, "
        "`TerminalServer:TS_CLIENT_CLIPBOARD`; qualify it")

# --- admx show ---------------------------------------------------------------------------------
for name, want in (("L_VBAWarningsPolicy", VBA),
                   ("ProxyPacUrl", "policy `ProxyPacUrl` is defined in 2 files: `WindowsDefender:ProxyPacUrl`, "
                                   "`msedge:ProxyPacUrl`; qualify it"),
                   ("VBA Macro Notification Settings",
                    "display name `VBA Macro Notification Settings` names 6 policies: " + ", ".join(
                        f"`{f}:L_VBAWarningsPolicy`" for f in ("access16", "ppt16", "proj16", "pub16", "visio16", "word16"))
                    + "; qualify it")):
    code, out, err = run("admx", "show", name)
    check(f"admx show `{name}`: ambiguous, exit 2, one line listing the candidates",
          code == 2 and out == "" and err == f"comredir-policy: {want}\n", f"{code} {err!r}")

for name, admx, ns, line in (
        ("excel16:L_VBAWarningsPolicy", "excel16.admx", "excel16.Office.Microsoft.Policies.Windows", 739),
        ("Word16:L_VBAWarningsPolicy", "word16.admx", "word16.Office.Microsoft.Policies.Windows", 2939),
        ("ppt16.Office.Microsoft.Policies.Windows:L_VBAWarningsPolicy", "ppt16.admx",
         "ppt16.Office.Microsoft.Policies.Windows", None),
        ("msedge:ProxyPacUrl", "msedge.admx", "Microsoft.Policies.Edge", 2464),
        ("microsoft_edge:ProxyPacUrl", "msedge.admx", "Microsoft.Policies.Edge", 2464),
        ("Microsoft.Policies.Edge:ProxyPacUrl", "msedge.admx", "Microsoft.Policies.Edge", 2464),
        ("windef:ProxyPacUrl", "WindowsDefender.admx", "Microsoft.Policies.WindowsDefender", 229),
        ("word16:VBA Macro Notification Settings", "word16.admx", "word16.Office.Microsoft.Policies.Windows", 2939)):
    code, out, err = run("admx", "show", name, "--json")
    doc = json.loads(out or "{}")
    check(f"admx show `{name}`: the policy of {admx}",
          code == 0 and err == "" and doc.get("file") == admx and doc.get("namespace") == ns
          and (line is None or doc.get("line") == line), f"{code} {err!r} {doc.get('file')} {doc.get('line')}")
code, out, err = run("admx", "show", "excel16:L_VBAWarningsPolicy")
check("admx show excel16:L_VBAWarningsPolicy (text): names the file",
      code == 0 and out.startswith("L_VBAWarningsPolicy  (excel16.Office.Microsoft.Policies.Windows, excel16.admx line 739)\n"),
      out[:200])
code, out, err = run("admx", "show", "excel16:NoSuchPolicy")
check("admx show of a qualified unknown name: exit 3 naming the file",
      code == 3 and err.startswith("comredir-policy: no policy `NoSuchPolicy` in `excel16.admx` ("), f"{code} {err!r}")

# --- admx list ---------------------------------------------------------------------------------
code, out, err = run("admx", "list", "--search", "L_VBAWarningsPolicy", "--json")
doc = json.loads(out or "[]")
check("admx list --json: namespace and admx on every policy",
      code == 0 and [(p["policy"], p["admx"], p["namespace"]) for p in doc] ==
      [("L_VBAWarningsPolicy", f"{f}.admx", f"{f}.Office.Microsoft.Policies.Windows")
       for f in ("access16", "excel16", "ppt16", "proj16", "pub16", "visio16", "word16")]
      and all(p["file"] == os.path.join(FULL, p["admx"]) for p in doc), doc[:2])
code, out, err = run("admx", "list", "--search", "L_VBAWarningsPolicy")
check("admx list text: a shared name shows qualified by its file",
      code == 0 and "\n  excel16:L_VBAWarningsPolicy   User  Macro Notification Settings\n" in out, out)
code, out, err = run("admx", "list", "--search", "TS_CLIENT_COM")
check("admx list text: a name only one file defines stays bare",
      code == 0 and "\n  TS_CLIENT_COM  Machine  Do not allow COM port redirection\n" in out, out)

# --- gp set: names --------------------------------------------------------------------------------
gpo = os.path.join(tmp, "gpo")
user_pol = os.path.join(gpo, "User", "Registry.pol")
machine_pol = os.path.join(gpo, "MACHINE", "Registry.pol")  # Samba's gpo cache spells it so
plain = os.path.join(tmp, "plain.pol")
VBA_ELEMENT = ["--element", "L_empty4=Disable VBA macros with notification"]
NOTE_USER = (f"comredir-policy: note: {user_pol}: User Configuration, from its folder `User` "
             "(--machine reads it as Computer Configuration)\n")
NOTE_MACHINE = (f"comredir-policy: note: {machine_pol}: Computer Configuration, from its folder `MACHINE` "
                "(--user reads it as User Configuration)\n")

code, out, err = run("gp", "set", "L_VBAWarningsPolicy", "enabled", "--pol", user_pol, *VBA_ELEMENT)
check("gp set of an ambiguous bare name: exit 2, the candidates, nothing written",
      code == 2 and out == "" and err == NOTE_USER + f"comredir-policy: {VBA}\n" and not os.path.exists(user_pol),
      f"{code} {err!r}")
for name, element in (("excel16:L_VBAWarningsPolicy", VBA_ELEMENT),
                      ("ppt16:L_VBAWarningsPolicy", ["--element", "L_empty3=Disable all with notification"]),
                      ("word16.Office.Microsoft.Policies.Windows:L_VBAWarningsPolicy",
                       ["--element", "L_empty19=Disable all with notification"])):
    code, out, err = run("gp", "set", name, "enabled", "--pol", user_pol, *element, "--json")
    doc = json.loads(out or "{}")
    check(f"gp set {name} into a User folder: User, from the path (--json)",
          code == 0 and err == "" and doc.get("policy") == "L_VBAWarningsPolicy"
          and doc.get("admx") == name.split(":")[0].split(".")[0] + ".admx"
          and doc.get("scope") == "user" and doc.get("scope_from") == "path", f"{code} {err!r} {out}")
code, out, err = run("gp", "set", "excel16:L_VBAWarningsPolicy", "enabled", "--pol", user_pol, *VBA_ELEMENT)
check("gp set text: the qualified name and a note saying the half came from the folder",
      code == 0 and out.startswith("excel16:L_VBAWarningsPolicy (Macro Notification Settings): enabled in "
                                   f"{user_pol}\n  already so: nothing written\n") and err == NOTE_USER,
      f"{code} {out!r} {err!r}")

code, out, err = run("gp", "list", "--pol", user_pol, "--json")
doc = json.loads(out or "[]")
check("gp list --json: namespace, admx, scope and scope_from on every policy",
      code == 0 and err == "" and sorted((p["policy"], p["admx"], p["namespace"], p["scope"], p["scope_from"]) for p in doc) ==
      [("L_VBAWarningsPolicy", f"{f}.admx", f"{f}.Office.Microsoft.Policies.Windows", "user", "path")
       for f in ("excel16", "ppt16", "word16")], f"{code} {err!r} {doc}")
code, out, err = run("gp", "list", "--pol", user_pol)
check("gp list text: a shared name shows qualified, the half comes from the folder",
      code == 0 and out.startswith(f"User Configuration ({user_pol})\n")
      and "\nMacro Notification Settings (excel16:L_VBAWarningsPolicy)     enabled " in out
      and "\nVBA Macro Notification Settings (word16:L_VBAWarningsPolicy)  enabled " in out
      and out.endswith("3 policies\n") and err == NOTE_USER, f"{code} {out} {err!r}")

# A name defined once for Machine and once for User: the half picks one.
code, out, err = run("gp", "set", "TS_CLIENT_CLIPBOARD", "enabled", "--pol", machine_pol)
check("gp set TS_CLIENT_CLIPBOARD into a MACHINE folder: the Machine policy, with a note",
      code == 0 and out.startswith(f"TerminalServer:TS_CLIENT_CLIPBOARD (Do not allow Clipboard redirection): enabled in {machine_pol}\n")
      and err == NOTE_MACHINE + "comredir-policy: note: `TS_CLIENT_CLIPBOARD` is also "
      "`TerminalServer-Server:TS_CLIENT_CLIPBOARD` (User); using `TerminalServer:TS_CLIENT_CLIPBOARD` "
      "(Machine) for a Machine Registry.pol\n", f"{code} {out!r} {err!r}")
code, out, err = run("gp", "set", "TS_CLIENT_CLIPBOARD", "enabled", "--pol", plain)
check("gp set TS_CLIENT_CLIPBOARD into a file in no Machine/User folder: ambiguous",
      code == 2 and err == f"comredir-policy: {CLIP}\n" and not os.path.exists(plain), f"{code} {err!r}")
code, out, err = run("gp", "set", "TS_CLIENT_CLIPBOARD", "enabled", "--pol", plain, "--user", "--json")
check("gp set TS_CLIENT_CLIPBOARD --user: the User policy",
      code == 0 and json.loads(out).get("admx") == "TerminalServer-Server.admx"
      and json.loads(out).get("scope_from") == "option", f"{code} {out} {err!r}")

# --- gp set: which half ----------------------------------------------------------------------------
cases = [  # args, exit, stderr after the notes, scope / scope_from in --json (when 0)
    (["excel16:L_VBAWarningsPolicy", "enabled", "--pol", machine_pol, *VBA_ELEMENT], 2,
     NOTE_MACHINE + "comredir-policy: policy `excel16:L_VBAWarningsPolicy` is a User policy: it cannot go into a "
     "Machine Registry.pol (its folder is `MACHINE`)\n", None),
    (["TS_CLIENT_COM", "enabled", "--pol", user_pol], 2,
     NOTE_USER + "comredir-policy: policy `TS_CLIENT_COM` is a Machine policy: it cannot go into a User "
     "Registry.pol (its folder is `User`)\n", None),
    (["excel16:L_VBAWarningsPolicy", "enabled", "--pol", plain, *VBA_ELEMENT], 2,
     "comredir-policy: policy `excel16:L_VBAWarningsPolicy` is a User policy: it cannot go into a "
     "Machine Registry.pol (add --user)\n", None),
    (["TS_CLIENT_COM", "enabled", "--pol", user_pol, "--machine", "--dry-run", "--json"], 0, "", ("computer", "option")),
    (["excel16:L_VBAWarningsPolicy", "enabled", "--pol", machine_pol, "--user", "--dry-run", "--json", *VBA_ELEMENT], 0,
     "", ("user", "option")),
    (["TS_CLIENT_COM", "enabled", "--pol", plain, "--dry-run", "--json"], 0, "", ("computer", "default")),
    (["TS_CLIENT_COM", "enabled", "--pol", plain, "--user", "--machine"], 2, "excludes", None),
]
for args, want_code, want_err, scope in cases:
    code, out, err = run("gp", "set", *args)
    ok = code == want_code and (err == want_err if want_code != 2 or "comredir-policy" in want_err else want_err in err)
    if scope:
        doc = json.loads(out or "{}")
        ok = ok and (doc.get("scope"), doc.get("scope_from")) == scope
    shown = " ".join(os.path.relpath(a, tmp) if a.startswith(tmp) else a for a in args)
    check(f"gp set {shown}: exit {want_code}", ok, f"{code} {out[:300]} {err!r}")

# gp set --gpo: the policy's class chooses the pol unless --user / --machine says.
code, out, err = run("gp", "set", "TS_CLIENT_CLIPBOARD", "enabled", "--gpo", gpo)
check("gp set --gpo of a name with a Machine and a User policy: ambiguous",
      code == 2 and err == f"comredir-policy: {CLIP}\n", f"{code} {err!r}")
code, out, err = run("gp", "set", "TS_CLIENT_CLIPBOARD", "enabled", "--gpo", gpo, "--user", "--json", "--dry-run")
doc = json.loads(out or "{}")
check("gp set --gpo --user: the User policy into the User pol",
      code == 0 and doc.get("admx") == "TerminalServer-Server.admx" and doc.get("file") == user_pol
      and doc.get("scope_from") == "option", f"{code} {doc} {err!r}")
code, out, err = run("gp", "set", "excel16:L_VBAWarningsPolicy", "enabled", "--gpo", gpo, "--json", "--dry-run", *VBA_ELEMENT)
doc = json.loads(out or "{}")
check("gp set --gpo: a User policy goes into the User pol (scope_from `policy`)",
      code == 0 and doc.get("file") == user_pol and (doc.get("scope"), doc.get("scope_from")) == ("user", "policy"),
      f"{code} {doc} {err!r}")

# --- gp list: which half ---------------------------------------------------------------------------
code, out, err = run("gp", "list", "--pol", machine_pol, "--json")
doc = json.loads(out or "[]")
check("gp list --json of a MACHINE folder's pol: computer, from the path; no note in JSON",
      code == 0 and err == "" and [(p["policy"], p["admx"], p["scope"], p["scope_from"]) for p in doc] ==
      [("TS_CLIENT_CLIPBOARD", "TerminalServer.admx", "computer", "path")], f"{code} {doc} {err!r}")

shutil.copy(user_pol, plain)
code, out, err = suite.run("gp", "dump", "--pol", plain, "--json")
N = len([e for e in json.loads(out) if e["value"]])  # every entry is one of the 3 policies'
check("test setup: the User pol holds the 3 policies' entries", code == 0 and N == 5 + 4 + 4, N)
NOTE_DEFAULT = (f"comredir-policy: note: {plain}: Computer Configuration, the default: its folder is not "
                "`Machine` or `User` (--user reads it as User Configuration)\n")
FITS_USER = (f"comredir-policy: warning: {plain}: its entries fit User Configuration far better "
             f"({N} of {N} match a policy there, 0 as Computer Configuration): --user reads it so\n")
code, out, err = run("gp", "list", "--pol", plain)
check("gp list of a User pol in no Machine/User folder: Computer by default, a note and a warning",
      code == 0 and out.startswith(f"Computer Configuration ({plain})\npolicy  state  category\n0 policies\n")
      and err == NOTE_DEFAULT + FITS_USER, f"{code} {out[:300]} {err!r}")
code, out, err = run("gp", "list", "--pol", plain, "--json")
check("gp list --json: the warning without the note, stdout stays an array",
      code == 0 and json.loads(out) == [] and err == FITS_USER, f"{code} {out[:100]} {err!r}")
code, out, err = run("gp", "list", "--pol", plain, "--user", "--json")
doc = json.loads(out or "[]")
check("gp list --user: the User policies, scope_from `option`, no warning",
      code == 0 and err == "" and len(doc) == 3 and all((p["scope"], p["scope_from"]) == ("user", "option") for p in doc),
      f"{code} {err!r} {doc[:1]}")
code, out, err = suite.run("gp", "list", "--pol", "Registry.pol", "--admx", FULL, "--json",
                           cwd=os.path.dirname(user_pol))
check("gp list --pol Registry.pol run inside the User folder: User, from the path",
      code == 0 and len(json.loads(out)) == 3 and {p["scope_from"] for p in json.loads(out)} == {"path"},
      f"{code} {out[:200]}")
os.makedirs(os.path.join(os.path.dirname(user_pol), "sub"))
code, out, err = suite.run("gp", "list", "--pol", "./sub/../Registry.pol", "--admx", FULL, "--json",
                           cwd=os.path.dirname(user_pol))
check("gp list --pol ./sub/../Registry.pol: the folder is the one `..` leads to",
      code == 0 and len(json.loads(out)) == 3 and {p["scope"] for p in json.loads(out)} == {"user"},
      f"{code} {out[:200]} {err[-200:]}")
code, out, err = run("gp", "list", "--pol", user_pol, "--machine")
check("gp list --machine overrides the User folder (and warns)",
      code == 0 and out.startswith(f"Computer Configuration ({user_pol})\n") and err ==
      f"comredir-policy: warning: {user_pol}: its entries fit User Configuration far better ({N} of {N} match a policy "
      "there, 0 as Computer Configuration): --user reads it so\n", f"{code} {out[:100]} {err!r}")
code, out, err = run("gp", "list", "--pol", plain, "--user", "--machine")
check("gp list --user --machine: usage error", code == 2 and "excludes" in err, f"{code} {err!r}")
code, out, err = run("gp", "list", "--gpo", gpo, "--json")
doc = json.loads(out or "[]")
check("gp list --gpo --json: scope_from `gpo`",
      code == 0 and sorted((p["scope"], p["scope_from"]) for p in doc) ==
      [("computer", "gpo")] + [("user", "gpo")] * 3, f"{code} {doc} {err!r}")

# The threshold: warn when the other half explains more than twice as many entries.
ACC = "excel16:L_StopChecking{}AccessibilityInformation"
mixed = os.path.join(tmp, "mixed.pol")
steps = [  # (policy, its half) added to the file, then (warn?, Computer count, User count)
    (("TS_CLIENT_COM", "--machine"), False, 1, 0),
    ((ACC.format("AltText"), "--user"), False, 1, 1),
    ((ACC.format("TableAltText"), "--user"), False, 1, 2),
    ((ACC.format("TableHeader"), "--user"), True, 1, 3),
]
for (policy, half), warn, machine_n, user_n in steps:
    code, out, err = run("gp", "set", policy, "enabled", "--pol", mixed, half)
    check(f"threshold setup: {policy} written", code == 0, f"{code} {err!r}")
    code, out, err = run("gp", "list", "--pol", mixed, "--machine")
    want = (f"comredir-policy: warning: {mixed}: its entries fit User Configuration far better ({user_n} of "
            f"{machine_n + user_n} match a policy there, {machine_n} as Computer Configuration): --user reads it so\n"
            if warn else "")
    check(f"gp list --machine: {machine_n} Computer vs {user_n} User entries: {'a warning' if warn else 'no warning'}",
          code == 0 and err == want, f"{code} {err!r}")
code, out, err = run("gp", "list", "--pol", mixed, "--user")
check("gp list --user of the same file: Computer explains fewer, no warning", code == 0 and err == "", f"{code} {err!r}")

# --help documents the new options and the qualified form.
for args, words in ((["gp", "list", "--help"], ["--machine", "scope_from", "more than twice"]),
                    (["gp", "set", "--help"], ["--machine", "excel16:L_VBAWarningsPolicy"]),
                    (["admx", "show", "--help"], ["excel16:L_VBAWarningsPolicy", "2 the name is ambiguous"]),
                    (["admx", "list", "--help"], ['"admx"', "excel16:L_VBAWarningsPolicy"])):
    code, out, err = suite.run(*args)
    check(f"{' '.join(args)} documents {words}", code == 0 and all(w in out for w in words), out[-800:])

shutil.rmtree(tmp)
suite.finish()
