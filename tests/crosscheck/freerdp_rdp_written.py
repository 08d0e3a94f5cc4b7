#!/usr/bin/python3
"""FreeRDP reads every .rdp file that `comredir-policy rdp set/unset` writes with the intended values.

Usage: freerdp_rdp_written.py COMREDIR_POLICY CROSSCHECK_FREERDP_RDP SOURCE_DIR SHARED_DATA

Every .rdp under SHARED_DATA/rdp, examples/clients and tests/data/rdp (UTF-16LE, UTF-8 with and
without BOM, ANSI, LF and CRLF, repeated names), plus a signed copy of one, is edited step by
step with the CLI; each intermediate file is kept. Then crosscheck_freerdp_rdp
  1. --expect: FreeRDP 2 (libfreerdp-client2) and comredir's reader must both give every value
     set so far (and no value for every property unset), and
  2. directory mode: on every kept file, the redirection properties must read the same in both.
Prints the harness output and exits with its status (1 on any mismatch).
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

BIN, CHECK, SRC, SHARED = sys.argv[1:5]
tmp = tempfile.mkdtemp(prefix="comredir-rdp-written-")
kept = os.path.join(tmp, "written")
os.makedirs(kept)


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, env=dict(os.environ, HOME=tmp))
    if p.returncode != 0:
        print(f"FAIL comredir-policy {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
        sys.exit(1)


def is_ansi(path):
    data = open(path, "rb").read()
    if data.startswith(b"\xff\xfe"):
        return False
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


sources = sorted(glob.glob(os.path.join(SHARED, "rdp", "*.rdp")) +
                 glob.glob(os.path.join(SRC, "examples", "clients", "*.rdp")) +
                 glob.glob(os.path.join(SRC, "tests", "data", "rdp", "*.rdp")))
signed = os.path.join(tmp, "signed.rdp")
with open(signed, "wb") as f:
    f.write(b"\xff\xfe" + ("full address:s:h.example\r\nredirectcomports:i:1\r\nsignscope:s:Full Address,"
                           "RedirectCOMPorts\r\nsignature:s:AAAABBBBCCCC\r\n").encode("utf-16-le"))
sources.append(signed)

# (arguments after FILE, name, type, value the readers must see); type `-` = absent.
steps = [
    (["redirectcomports", "0"], "redirectcomports", "i", "0"),
    (["redirectcomports", "1"], "redirectcomports", "i", "1"),
    (["drivestoredirect", "C:\\;E:\\;"], "drivestoredirect", "s", "C:\\;E:\\;"),
    (["comredirtest:s:a b:c;d"], "comredirtest", "s", "a b:c;d"),
    (["comredirnum", "42"], "comredirnum", "i", "42"),  # type inferred
    (["audiomode", "010"], "audiomode", "i", "10"),  # written as 10, not octal 010
    (["camerastoredirect", "*"], "camerastoredirect", "s", "*"),
]
expect_lines = []
for src in sources:
    base = os.path.splitext(os.path.basename(src))[0]
    work = os.path.join(tmp, base + ".rdp")
    if src != work:
        shutil.copy(src, work)
    extra = ["--strip-signature"] if src == signed else []
    user = "Zoe" if is_ansi(src) else "Zoë"
    file_steps = steps + [(["username", user], "username", "s", user),
                          (["unset", "usbdevicestoredirect"], "usbdevicestoredirect", "-", ""),
                          (["unset", "redirectclipboard"], "redirectclipboard", "-", "")]
    want = {}
    if src == signed:
        want["signature"] = ("-", "")
        want["signscope"] = ("-", "")
    for n, (args, name, typ, value) in enumerate(file_steps):
        if args[0] == "unset":
            run("rdp", "unset", work, args[1], *extra)
        else:
            run("rdp", "set", work, *args, *extra)
        want[name] = (typ, value)
        copy = os.path.join(kept, f"{base}-{n:02d}.rdp")
        shutil.copy(work, copy)
        for wname, (wtype, wvalue) in want.items():
            expect_lines.append(f"{copy}\t{wname}\t{wtype}\t{wvalue}")

listing = os.path.join(tmp, "expect.tsv")
with open(listing, "w", encoding="utf-8") as f:
    f.write("\n".join(expect_lines) + "\n")
env = dict(os.environ, WLOG_LEVEL="ERROR")
a = subprocess.run([CHECK, "--expect", listing], capture_output=True, text=True, env=env, timeout=300)
b = subprocess.run([CHECK, kept], capture_output=True, text=True, env=env, timeout=300)
print(a.stdout + a.stderr, end="")
print(b.stdout + b.stderr, end="")
print(f"{len(sources)} source files, {len(os.listdir(kept))} written files, {len(expect_lines)} expectations")
if a.returncode == 0 and b.returncode == 0:
    shutil.rmtree(tmp)
else:
    print(f"kept for inspection: {tmp}")
sys.exit(0 if a.returncode == 0 and b.returncode == 0 else 1)
