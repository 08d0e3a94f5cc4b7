#!/usr/bin/python3
"""The man pages and bash completion generated from the programs' --help (packaging/):
each page renders with `man -l` and no groff warning, holds NAME, SYNOPSIS and the version,
and (comredir-policy) every subcommand's own help, so a new option shows up there by
itself; each completion script loads in bash and completes subcommands, options, choices
and file names, as `comredir-policy e<TAB>` -> `effective`.

usage: docs_test.py MAN_DIR SOURCE_DIR VERSION
"""
import os
import shutil
import subprocess
import sys

MAN, SRC, VERSION = sys.argv[1:4]
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from clitest import Suite  # noqa: E402

if shutil.which("man") is None or shutil.which("groff") is None:
    print("skip: man (man-db) or groff is not installed")
    sys.exit(77)
s = Suite("/bin/true", home="/tmp")


def sh(*cmd, cwd=None):
    env = dict(os.environ, MANWIDTH="100", LC_ALL="C.UTF-8")
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


pages = {"comredir-policy": "1", "comredir-console": "1", "comredir-redirector": "8"}
for name, section in pages.items():
    code, out, err = sh("man", "--warnings=all", "-l", os.path.join(MAN, f"{name}.{section}.gz"))
    s.check(f"man -l {name}.{section}.gz renders without a warning", code == 0 and err == "", err[:600])
    s.check(f"... NAME, SYNOPSIS and the version {VERSION}",
            "NAME" in out and "SYNOPSIS" in out and f"{name} {VERSION}" in out, out[:300])
code, out, err = sh("man", "-l", os.path.join(MAN, "comredir-policy.1.gz"))
missing = [c for c in ("effective", "matrix", "report", "gp list", "admx validate", "intune export", "hostpool set",
                       "rdp unset") if f"comredir-policy {c}\n" not in out.replace("   comredir-policy", "comredir-policy")]
s.check("comredir-policy(1) has a section per subcommand, from its --help", not missing, missing)
s.check("... with the options each prints (report --resource-graph, effective --client-os)",
        "--resource-graph" in out and "--client-os" in out)
code, out, err = sh("man", "-l", os.path.join(MAN, "comredir-console.1.gz"))
s.check("comredir-console(1) covers serve and connect", "comredir-console serve" in out and "comredir-console connect" in out)


def complete(name, *words, cwd=None):
    fn = "_" + name.replace("-", "_")
    script = (f"source {os.path.join(MAN, name + '.bash')}; COMP_WORDS=({name} {' '.join(words)}); "
              f"COMP_CWORD={len(words)}; {fn}; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    code, out, err = sh("bash", "--norc", "-c", script, cwd=cwd)
    return code, sorted(out.split()), err


s.check("the completion script loads in bash: comredir-policy e<TAB> -> effective",
        complete("comredir-policy", "e") == (0, ["effective"], ""), complete("comredir-policy", "e"))
s.check("second level: comredir-policy gp l<TAB> -> list", complete("comredir-policy", "gp", "l")[1] == ["list"])
s.check("options of the subcommand: report --res<TAB> -> --resource-graph",
        complete("comredir-policy", "report", "--res")[1] == ["--resource-graph"])
s.check("choices: effective --client-os ma<TAB> -> macos",
        complete("comredir-policy", "effective", "--client-os", "ma")[1] == ["macos"])
s.check("file names after a FILE option: report --config comr<TAB> -> comredir.json",
        complete("comredir-policy", "report", "--config", "comr", cwd=os.path.join(SRC, "examples"))[1] == ["comredir.json"])
s.check("nothing offered for an id: report --subscription <TAB>",
        complete("comredir-policy", "report", "--subscription", "")[1] == [])
s.check("comredir-console c<TAB> -> connect", complete("comredir-console", "c")[1] == ["connect"])
s.check("comredir-redirector s<TAB> -> serve", complete("comredir-redirector", "s")[1] == ["serve"])
s.finish()
