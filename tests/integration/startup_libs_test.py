#!/usr/bin/python3
"""The programs start without libcurl and libxml2, and load them when a command needs them.

A short command's whole run is mostly process start-up, and libcurl (TLS, Kerberos, LDAP)
and libxml2 (ICU and its data) are 36 shared libraries: linked into the programs they
would be loaded by every command. They live in libpolicy's modules instead
(docs/architecture.md). This checks, without timing anything:
  1. the programs' NEEDED entries: none of libcurl, libxml2, libicu*; the CLI's are pugixml and
     the C/C++ runtime, nothing more;
  2. the modules exist and each links its library;
  3. `admx validate` (libxml2) validates a file, and a missing module folder makes it a
     one-line `schema-unavailable` error, not a crash;
  4. `hostpool list --arm` with an unreachable endpoint reports libcurl's transport error
     (so libcurl was loaded), and with no module a clear one.
Usage: startup_libs_test.py CLI REDIRECTOR MODULE_DIR SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

cli, redirector, module_dir, source = sys.argv[1:5]
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(what)


if shutil.which("readelf") is None:
    print("skip: readelf (binutils) not found")
    sys.exit(77)


def needed(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    return sorted(line.split("[", 1)[1].rstrip("]").strip() for line in out.splitlines() if "(NEEDED)" in line)


heavy = ("libcurl", "libxml2", "libicu", "libssl", "libgssapi", "libldap")
for prog in (cli, redirector):
    libs = needed(prog)
    bad = [l for l in libs if l.startswith(heavy)]
    check(f"{os.path.basename(prog)} loads none of libcurl/libxml2/ICU/TLS/Kerberos/LDAP at start", not bad, bad)
# Sanitizer builds add their runtimes; a non-PIE link has no ld-linux entry. Anything else
# that appears here is a library every command would load: a module's job.
allowed = {"libpugixml.so.1", "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6",
           "ld-linux-x86-64.so.2"}
cli_libs = [l for l in needed(cli) if not l.startswith(("libasan", "libubsan", "libclang_rt"))]
extra = sorted(set(cli_libs) - allowed)
check("comredir-policy loads only pugixml and the C/C++ runtime at start", not extra and "libc.so.6" in cli_libs,
      f"also {extra}" if extra else cli_libs)

http = os.path.join(module_dir, "libcomredir_http.so")
xsd = os.path.join(module_dir, "libcomredir_xsd.so")
check("libcomredir_http.so links libcurl", os.path.exists(http) and any(l.startswith("libcurl") for l in needed(http)))
check("libcomredir_xsd.so links libxml2", os.path.exists(xsd) and any(l.startswith("libxml2") for l in needed(xsd)))

env = {k: v for k, v in os.environ.items() if k not in ("COMREDIR_MODULE_DIR", "COMREDIR_CONFIG")}
admx = os.path.join(source, "admx", "comredir.admx")


def run(args, extra_env=None):
    e = dict(env)
    e.update(extra_env or {})
    return subprocess.run([cli] + args, capture_output=True, text=True, env=e, timeout=120)


r = run(["admx", "validate", admx, "--json"])
check("admx validate loads libxml2 and validates comredir.admx", r.returncode == 0, r.stderr.strip())

with tempfile.TemporaryDirectory() as empty:
    r = run(["admx", "validate", admx], {"COMREDIR_MODULE_DIR": empty})
    text = r.stdout + r.stderr
    check("admx validate without the module: exit 3 (input unusable) with `schema-unavailable`",
          r.returncode == 3 and "schema-unavailable" in text and "libcomredir_xsd.so" in text,
          f"exit {r.returncode}: {text.strip()}")
    check("no crash without the module", r.returncode >= 0)
    # libcurl: the request fails before any connection (nothing listens on port 9), and says
    # which module is missing.
    r = run(["hostpool", "list", "--arm", "--subscription", "sub1", "--resource-group", "rg1",
             "--arm-endpoint", "https://127.0.0.1:9"], {"COMREDIR_MODULE_DIR": empty,
                                                        "COMREDIR_ARM_TOKEN": "tok-startup-libs-0123"})
    check("hostpool list --arm without the module: a one-line error naming it",
          r.returncode != 0 and "libcomredir_http.so" in r.stderr and r.stderr.count("\n") == 1,
          f"exit {r.returncode}: {r.stderr.strip()}")
r = run(["hostpool", "list", "--arm", "--subscription", "sub1", "--resource-group", "rg1",
         "--arm-endpoint", "https://127.0.0.1:9"], {"COMREDIR_ARM_TOKEN": "tok-startup-libs-0123"})
check("hostpool list --arm with the module: libcurl's own connection error",
      r.returncode != 0 and "libcomredir_http.so" not in r.stderr and "127.0.0.1" in r.stderr,
      f"exit {r.returncode}: {r.stderr.strip()}")

sys.exit(1 if failures else 0)
