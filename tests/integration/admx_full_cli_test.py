#!/usr/bin/python3
"""Microsoft's full PolicyDefinitions set through the CLI, end to end.

Usage: admx_full_cli_test.py COMREDIR_POLICY SOURCE_DIR SHARED_DATA

- `admx validate` over the 240 ADMX files: every file ships with Windows (or is Microsoft's
  own Office / security-guide template) and the Group Policy editor loads it, so there must
  be no error; the warnings are counted per rule, exactly.
- Commands that load the set print one summary line for its problems unless --verbose.
- `gp list` / `admx list` fit their tables to a terminal (a pty here), and print every cell
  whole when stdout is not a terminal.
"""
import fcntl
import glob
import json
import os
import pty
import struct
import sys
import tempfile
import termios

from clitest import Suite

BIN, SRC, SHARED = sys.argv[1], sys.argv[2], sys.argv[3]
FULL = os.path.join(SHARED, "admx-full", "PolicyDefinitions")
SCHEMA = os.path.join(SHARED, "..", "schemas", "admx", "PolicyDefinitionFiles.xsd")
if not os.path.isdir(FULL) or not os.path.isfile(SCHEMA):
    print(f"SKIP: {FULL} or {SCHEMA} missing")
    sys.exit(77)
tmp = tempfile.mkdtemp(prefix="comredir-admx-full-")
suite = Suite(BIN, home=tmp)
run, check = suite.run, suite.check
ADMX = sorted(glob.glob(os.path.join(FULL, "*.admx")))

# --- admx validate: no errors in Microsoft's own set, warnings by rule -----------------------

code, out, err = run("admx", "validate", *ADMX, "--schema", SCHEMA, "--json")
doc = json.loads(out or "{}")
check("validate the full set: 240 files, exit 0, valid", code == 0 and doc.get("valid") is True
      and len(doc.get("files", [])) == 240, f"{code} {err}")
check("validate the full set: no error (the editor loads every one of these files)",
      doc.get("errors") == 0 and doc.get("files_with_errors") == 0,
      [f["message"] for f in doc.get("findings", []) if f["severity"] == "error"][:10])
WANT = {  # rule: count, measured on the shared set; every one a warning
    "neutral-language-adml": 1,  # HealthService.adml is in EN/, not en-US/
    "namespace": 62,             # 31 ADMX/ADML pairs without the schema's xmlns
    "multi-text": 87,
    "xml-space": 56,
    "unknown-attribute": 452,
    "name-characters": 26,
    "text-content": 5,
    "empty-default": 7,
    "unknown-category": 4,       # inetres.admx (3), TerminalServer.admx (1)
    "unknown-supported-on": 26,  # 2 in the file's own namespace, 24 into windows.admx
    "unused-string": 1856,
    "unused-presentation": 75,
}
rules = {r["rule"]: (r["severity"], r["count"]) for r in doc.get("rules", [])}
check("validate the full set: exactly these rules, all warnings, with these counts",
      rules == {k: ("warning", v) for k, v in WANT.items()}, rules)
check("validate the full set: 2657 warnings in 144 files",
      doc.get("warnings") == 2657 == sum(WANT.values()) and doc.get("files_with_warnings") == 144,
      f"{doc.get('warnings')} {doc.get('files_with_warnings')}")
check("validate --json: every finding has severity, rule and the rule's why",
      all(f["severity"] == "warning" and f["why"] and f["rule"] in WANT for f in doc.get("findings", [])),
      doc.get("findings", [])[:1])
defender = [f for f in doc.get("findings", []) if f["rule"] == "namespace" and f["file"].endswith("WindowsDefender.adml")]
check("validate: an xmlns that is no URI is the plain `namespace` warning, not a libxml2 message",
      len(defender) == 1 and defender[0]["message"].endswith(
          ": line 1: root element `policyDefinitionResources` is in namespace "
          "`http://schemas.microsoft.com/GroupPolicy/2006/07/Policysecurity intelligence`, "
          "not `http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions`"), defender)
health = [f for f in doc.get("findings", []) if f["rule"] == "neutral-language-adml"]
check("validate: HealthService's ADML is found in EN/ (a warning)",
      [f["message"] for f in health] == [os.path.join(FULL, "HealthService.admx") + ": no adml in `en-US/`; using `"
                                          + os.path.join(FULL, "EN", "HealthService.adml") + "`"], health)

code, out, err = run("admx", "validate", *ADMX, "--schema", SCHEMA, "--strict")
check("validate the full set --strict: the warnings fail (exit 3)", code == 3, code)
lines = out.splitlines()
why = lines[lines.index("why:") + 1:-1] if "why:" in lines else []
check("validate text: the findings, one `why` line per rule found, then the tally",
      lines[-1] == f"240 files: 0 errors, 2657 warnings in 144 files; schema: checked with {SCHEMA}"
      and [w.split(" (")[0] for w in why] == [f"  warning: {r}" for r in WANT]
      and "  warning: multi-text (87): `multiText` (a REG_MULTI_SZ value)" in out
      and len(lines) == 2657 + 1 + len(WANT) + 1, lines[-3:])
check("validate text: a schema warning in plain words, with its rule",
      f"warning: multi-text: {FULL}/LanmanServer.admx: line " in out
      and "element `multiText` is not in the published schema\n" in out, "")

# --- the set's problems: one summary line unless --verbose ----------------------------------

SUMMARY = ("comredir-policy: warning: 31 problems in the ADMX set; `--verbose` prints them, "
           "`admx validate` explains each\n")
for args in (["admx", "list"], ["admx", "show", "TS_CLIENT_COM"]):
    code, out, err = run(*args, "--admx", FULL)
    check(f"{' '.join(args)} on the full set: one summary line on stderr", code == 0 and err == SUMMARY, err[:500])
    code, out, err = run(*args, "--admx", FULL, "--verbose")
    errs = err.splitlines()
    check(f"{' '.join(args)} --verbose: each of the 31 problems",
          code == 0 and len(errs) == 31 and all(e.startswith("comredir-policy: warning: " + FULL + "/") for e in errs)
          and f"comredir-policy: warning: {FULL}/sam.admx: line 63: policy `SamrChangeUserPasswordApiPolicy`: "
              "supportedOn `SUPPORTED_Windows10` not found" in errs, errs[:3])
pol = os.path.join(tmp, "Registry.pol")
with open(pol, "wb") as f:
    f.write(b"PReg" + struct.pack("<I", 1))
code, out, err = run("gp", "list", "--pol", pol, "--machine", "--admx", FULL)
check("gp list on the full set: one summary line", code == 0 and err == SUMMARY, err[:500])
code, out, err = run("gp", "list", "--pol", pol, "--machine", "--admx", os.path.join(SHARED, "admx"))
check("gp list: a single problem is printed as it is",
      code == 0 and err == f"comredir-policy: warning: {SHARED}/admx/TerminalServer.admx: line 219: policy "
                           "`AutoSubscription`: category `AutoSubscription` not found\n", err)
code, out, err = run("gp", "set", "TS_CLIENT_COM", "enabled", "--pol", pol, "--admx", FULL, "--dry-run")
check("gp set on the full set: one summary line", code == 0 and err == SUMMARY, f"{code} {err[:500]}")

# --- tables fitted to the terminal -------------------------------------------------------------


def run_pty(args, cols=None, env_cols=None):
    """Runs comredir-policy with stdout and stderr on a pty of `cols` columns."""
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, HOME=tmp)
        env.pop("COLUMNS", None)
        if env_cols:
            env["COLUMNS"] = str(env_cols)
        if cols:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
        os.chdir(tmp)
        os.execve(BIN, [BIN, *args], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8").replace("\r\n", "\n")


gpo = os.path.join(SHARED, "gpo", "msft-win11-24h2-baseline")
LONG = "Let Windows apps activate with voice while the system is locked"
code, out, err = run("gp", "list", "--gpo", gpo, "--admx", FULL, env_extra={"COLUMNS": "80"})
check("gp list to a pipe: whole cells even with COLUMNS set (scripts)",
      code == 0 and f"  {LONG}  " in out and "\u2026" not in out, out[:300])


def table_rows(text, header):
    """The table rows of `text`: lines with the header's column gaps (not element lines)."""
    return [l for l in text.splitlines() if l.startswith("  ") and not l.startswith("      ")
            and ("  enabled  " in l or "  disabled  " in l or l.strip().startswith(header))]


for label, kwargs, width in (("COLUMNS=80", {"env_cols": 80, "cols": 200}, 80),
                             ("a 100-column pty, no COLUMNS", {"cols": 100}, 100)):
    code, out = run_pty(["gp", "list", "--gpo", gpo, "--admx", FULL], **kwargs)
    rows = table_rows(out, "policy")
    check(f"gp list on a terminal ({label}): every policy row fits in {width} columns, long names cut with …",
          code == 0 and len(rows) > 100 and max(len(r) for r in rows) <= width
          and any(r.startswith("  Let Windows apps activate") and "\u2026  enabled" in r for r in rows)
          and LONG not in out,
          f"{code} {max((len(r), r) for r in rows) if rows else out[:500]}")

code, out = run_pty(["admx", "list", "--admx", FULL, "--search", "clipboard"], env_cols=70, cols=200)
rows = [l for l in out.splitlines() if l.startswith("  ")]
check("admx list on a 70-column terminal: rows fit, the widest column is cut first",
      code == 0 and rows and max(len(r) for r in rows) <= 70 and any("\u2026" in r for r in rows),
      out[:800])
code, out, err = run("admx", "list", "--admx", FULL, "--search", "clipboard")
check("admx list to a pipe: nothing is cut", code == 0 and "\u2026" not in out and max(len(l) for l in out.splitlines()) > 70, out[:300])

suite.finish()
