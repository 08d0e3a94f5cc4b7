#!/usr/bin/python3
"""`comredir-policy hostpool` end to end, on the embedded store.

Usage: hostpool_cli_test.py COMREDIR_POLICY SOURCE_DIR
Prints one line per check and `N passed, M failed`; exits 1 on any failure.

1. Reads: list / show / get (text and --json), the store found through --config and
   ./comredir.json, exit codes and messages.
2. Writes: exact file bytes after set / unset / --raw / create / delete (only the edited
   token changes), set-then-reset gives the original bytes back, --dry-run diff, --backup,
   --json report, the file's mode kept, errors with their exit codes.
3. Concurrency: two writers doing 500 updates each, to different properties of the same
   pool, at the same time: none is lost.
4. Crash safety: 50 writers SIGKILLed at random points; the store always parses and equals
   either the old or the new content.
"""
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

from clitest import _ISOLATE, Suite, stress

BIN, SRC = sys.argv[1], sys.argv[2]
EXAMPLE = os.path.join(SRC, "examples", "hostpools.json")
tmp = tempfile.mkdtemp(prefix="comredir-hostpool-")
suite = Suite(BIN, home=tmp)
run, check = suite.run, suite.check


def read(path):
    with open(path, "rb") as f:
        return f.read()


def fresh(name="store"):
    d = os.path.join(tmp, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    p = os.path.join(d, "hostpools.json")
    shutil.copy(EXAMPLE, p)
    return p


ORIG = read(EXAMPLE)
POOL1 = ("redirectcomports:i:1;redirectclipboard:i:1;redirectprinters:i:1;drivestoredirect:s:*;"
         "audiocapturemode:i:1;camerastoredirect:s:*;redirectlocation:i:0")
LAB = r"redirectcomports:i:1;drivestoredirect:s:C:\;E:\;usbdevicestoredirect:s:*;redirectclipboard:i:0"
LAB_JSON = LAB.replace("\\", "\\\\")

# --- 1. reads ---------------------------------------------------------------------------------
store = fresh()
code, out, err = run("hostpool", "list", "--store", store)
check("list: table", code == 0 and out == (
    "NAME          PRODUCT  PROPERTIES  FRIENDLY NAME\n"
    "pool1         avd      7           Engineering pooled desktops\n"
    "lab           avd      4           Serial lab (instrument benches)\n"
    "serial-linux  linux    1           Linux session hosts with comredir-redirector\n"), out + err)
code, out, err = run("hostpool", "list", "--store", store, "--json")
doc = json.loads(out) if code == 0 else None
check("list --json: pools in file order with lines",
      doc is not None and [(p["name"], p["line"]) for p in doc] ==
      [("pool1", 4), ("lab", 11), ("serial-linux", 18)] and doc[1]["customRdpProperty"] == LAB,
      out + err)
code, out, err = run("hostpool", "show", "LAB", "--store", store, "--json")
doc = json.loads(out) if code == 0 else None
check("show --json: properties in order with their item in the string, list value kept whole",
      doc is not None and doc["name"] == "lab" and doc["warnings"] == [] and
      [(p["item"], p["name"], p["type"], p["value"]) for p in doc["properties"]] ==
      [(1, "redirectcomports", "i", "1"), (2, "drivestoredirect", "s", "C:\\;E:\\"),
       (4, "usbdevicestoredirect", "s", "*"), (5, "redirectclipboard", "i", "0")]
      and all("line" not in p for p in doc["properties"]), out + err)
code, out, err = run("hostpool", "get", "lab", "drivestoredirect", "--store", store)
check("get PROPERTY: the value", (code, out) == (0, "C:\\;E:\\\n"), out + err)
code, out, err = run("hostpool", "get", "pool1", "--store", store)
check("get: the whole string", (code, out) == (0, POOL1 + "\n"), out + err)
code, out, err = run("hostpool", "get", "pool1", "redirectcomports:i", "--store", store, "--json")
check("get --json: the property's item in the string", code == 0 and json.loads(out) == {
    "pool": "pool1", "item": 1, "property": "redirectcomports", "type": "i", "value": "1"}, out + err)
for prop, want in [
    ("nope", f"comredir-policy: {store}: host pool `pool1` has no property `nope`\n"),
    ("redirectcomport", f"comredir-policy: {store}: host pool `pool1` has no property `redirectcomport` "
                        "(did you mean `redirectcomports`?)\n"),
]:
    code, out, err = run("hostpool", "get", "pool1", prop, "--store", store)
    check(f"get missing property `{prop}`: exit 5 (not set), one line", (code, out, err) == (5, "", want), (code, out, err))
code, out, err = run("hostpool", "show", "pool9", "--store", store)
check("show unknown pool: exit 3", (code, err) == (
    3, f"comredir-policy: {store}: host pool `pool9` not found\n"), err)
with open(os.path.join(tmp, "store", "comredir.json"), "w") as f:
    json.dump({"version": 1, "hostPoolStore": "hostpools.json"}, f)
code, out, err = run("hostpool", "get", "serial-linux", "redirectcomports",
                     cwd=os.path.join(tmp, "store"))
check("store named by ./comredir.json", (code, out) == (0, "1\n"), out + err)
code, out, err = run("hostpool", "get", "serial-linux", "--config",
                     os.path.join(tmp, "store", "comredir.json"))
check("store named by --config", (code, out) == (0, "redirectcomports:i:1\n"), out + err)
code, out, err = run("hostpool", "list")
check("no store: exit 2", code == 2 and err.startswith(
    "comredir-policy: no host pool store: pass --store FILE or --config FILE"), err)
code, out, err = run("hostpool", "list", "--store", os.path.join(tmp, "missing.json"))
check("missing store: exit 3", (code, err) == (
    3, f"comredir-policy: {tmp}/missing.json: cannot open: No such file or directory\n"), err)

# --- 2. writes --------------------------------------------------------------------------------
store = fresh()
os.chmod(store, 0o600)
code, out, err = run("hostpool", "set", "pool1", "redirectcomports", "0", "--store", store,
                     "--dry-run")
check("--dry-run: a unified diff of the one line, nothing written",
      code == 0 and read(store) == ORIG and out.startswith(
          f"--- {store}\n+++ {store} (after)\n@@ -5,7 +5,7 @@\n") and
      f'-      "customRdpProperty": "{POOL1}",\n' in out and
      '+      "customRdpProperty": "redirectcomports:i:0;' in out and out.count("\n-") == 1,
      out + err)
code, out, err = run("hostpool", "set", "pool1", "redirectcomports", "0", "--store", store,
                     "--backup")
want = ORIG.replace(b'"redirectcomports:i:1;redirectclipboard', b'"redirectcomports:i:0;redirectclipboard')
check("set: only the token changes", code == 0 and read(store) == want, out + err)
check("set: text report", out == (
    f"host pool `pool1`: redirectcomports:i:0 (replaced) in {store}\n"
    f"  customRdpProperty: {POOL1.replace('redirectcomports:i:1', 'redirectcomports:i:0')}\n"
    f"  previous store kept as {store}.bak\n"), out)
check("--backup: the previous bytes", read(store + ".bak") == ORIG)
check("mode kept (0600)", stat.S_IMODE(os.stat(store).st_mode) == 0o600,
      oct(os.stat(store).st_mode))
code, out, err = run("hostpool", "set", "pool1", "RedirectComPorts", "1", "--store", store, "--json")
rep = json.loads(out) if code == 0 else {}
check("set --json report and set back: original bytes", read(store) == ORIG and rep == {
    "action": "set", "pool": "pool1", "store": store, "changed": True, "dry_run": False,
    "customRdpProperty": {"before": POOL1.replace("comports:i:1", "comports:i:0"), "after": POOL1},
    "property": {"name": "RedirectComPorts", "type": "i", "value": "1"},
    "replaced": 1, "added": 0, "removed": 0}, out + err)
code, out, err = run("hostpool", "set", "pool1", "redirectcomports", "1", "--store", store)
check("set to the same value: nothing written", (code, out) == (
    0, f"host pool `pool1`: redirectcomports:i:1 already set in {store}: nothing written\n"), out)

# set + unset of a new property in every pool: identical bytes.
for pool in ("pool1", "lab", "serial-linux"):
    for prop, value in (("redirectwebauthn", "0"), ("screen mode id", "2"), ("x-new:s", "a;b")):
        c1, o1, e1 = run("hostpool", "set", pool, prop, value, "--store", store)
        c2, o2, e2 = run("hostpool", "unset", pool, prop.split(":")[0], "--store", store)
        check(f"set+unset `{prop}` on {pool}: identical bytes",
              (c1, c2) == (0, 0) and read(store) == ORIG, e1 + e2)
code, out, err = run("hostpool", "unset", "lab", "drivestoredirect", "--store", store)
check("unset a list value (middle)", code == 0 and read(store) == ORIG.replace(
    b"drivestoredirect:s:C:\\\\;E:\\\\;", b""), out + err)
code, out, err = run("hostpool", "set", "lab", "--raw", LAB, "--store", store)
check("set --raw restores the string", code == 0 and read(store) == ORIG, out + err)
code, out, err = run("hostpool", "create", "bench", "--product", "linux", "--raw",
                     "redirectcomports:i:1", "--friendly-name", "Bench", "--store", store)
added = ORIG[:-len(b"\n  ]\n}\n")] + (
    b',\n    {\n      "name": "bench",\n      "product": "linux",\n'
    b'      "friendlyName": "Bench",\n      "customRdpProperty": "redirectcomports:i:1"\n'
    b'    }\n  ]\n}\n')
check("create: appended in the store's own form", code == 0 and read(store) == added,
      read(store).decode())
code, out, err = run("hostpool", "delete", "BENCH", "--store", store)
check("delete: original bytes", (code, out) == (0, f"host pool `bench` deleted from {store}\n")
      and read(store) == ORIG, out + err)
newstore = os.path.join(tmp, "new", "sub", "pools.json")
code, out, err = run("hostpool", "create", "p", "--store", newstore)
check("create on a missing store: a new canonical store", code == 0 and read(newstore) == (
    b'{\n  "version": 1,\n  "hostPools": [\n    {\n      "name": "p",\n'
    b'      "product": "avd"\n    }\n  ]\n}\n'), out + err)

# Control characters in a value: escaped in text output, as they are in JSON.
esc_store = os.path.join(tmp, "esc.json")
with open(esc_store, "w") as f:
    json.dump({"version": 1, "hostPools": [{"name": "e", "product": "avd",
                                            "customRdpProperty": "username:s:a\u001b[2Jb\u009bc"}]}, f)
code, out, err = run("hostpool", "get", "e", "username", "--store", esc_store)
check("get: control characters in a value print escaped (ESC, C1 CSI)",
      (code, out, err) == (0, "a\\x1b[2Jb\\u009bc\n", ""), (code, out, err))
code, out, err = run("hostpool", "get", "e", "--store", esc_store)
check("get without PROPERTY: the string escaped too", (code, out) == (0, "username:s:a\\x1b[2Jb\\u009bc\n"), (code, out, err))
code, out, err = run("hostpool", "show", "e", "--store", esc_store)
check("show: escaped in the string and the table", code == 0 and "\x1b" not in out and "\u009b" not in out
      and "  customRdpProperty: username:s:a\\x1b[2Jb\\u009bc\n" in out and "a\\x1b[2Jb\\u009bc\n" in out, (code, out))
code, out, err = run("hostpool", "get", "e", "username", "--store", esc_store, "--json")
check("get --json: the value as it is", code == 0 and json.loads(out)["value"] == "a\x1b[2Jb\x9bc", out)

# Errors: exit code, message, file untouched.
bad = os.path.join(tmp, "bad")
os.makedirs(bad, exist_ok=True)
broken = os.path.join(bad, "broken.json")
with open(broken, "w") as f:
    f.write('{"version": 1, "hostPools": [{"name": "b", "product": "avd", '
            '"customRdpProperty": "redirectcomports:i:1;x"}]}')
malformed = os.path.join(bad, "malformed.json")
with open(malformed, "w") as f:
    f.write('{"version": 1, "hostPools": [}')
P = "comredir-policy: "
errors = [
    (("set", "pool9", "redirectcomports", "1", "--store", store), 3,
     f"{P}{store}: host pool `pool9` not found\n"),
    (("set", "pool1", "redirectcomports", "yes", "--store", store), 2,
     f"{P}property `redirectcomports`: value `yes` is not an integer\n"),
    (("set", "pool1", "foo", "1", "--store", store), 2,
     f"{P}property `foo` is new and its type is not known: give it as `foo:i`, `foo:s` or "
     "`foo:b`\n"),
    (("set", "pool1", "redirectcomport", "1", "--store", store), 2,
     f"{P}property `redirectcomport` is new and its type is not known: did you mean "
     "`redirectcomports`? else give it as `redirectcomport:i`, `redirectcomport:s` or "
     "`redirectcomport:b`\n"),
    (("set", "pool1", "foo:q", "1", "--store", store), 2,
     f"{P}property `foo:q`: `q` is not a type (`i`, `s` or `b`); give NAME or NAME:TYPE\n"),
    (("set", "lab", "drivestoredirect", "C:\\;E:\\;", "--store", store), 2,
     f"{P}property `drivestoredirect`: value `C:\\;E:\\;` would read back as `C:\\;E:\\` (a "
     "`;` in a value must not be followed by another `;`, by blanks only or by `name:t:`)\n"),
    (("set", "lab", "--raw", "a:q:1", "--store", store), 2,
     f"{P}--raw: item 1: property `a`: type `q` is not one of `i`, `s`, `b`\n"),
    (("set", "lab", "x", "--raw", "a:i:1", "--store", store), 2,
     f"{P}give either PROPERTY VALUE or --raw STRING, not both\n"),
    (("set", "lab", "--store", store), 2, f"{P}give PROPERTY VALUE, or --raw STRING\n"),
    (("create", "POOL1", "--store", store), 3,
     f"{P}{store}: host pool `pool1` exists already (line 4)\n"),
    (("delete", "pool9", "--store", store), 3, f"{P}{store}: host pool `pool9` not found\n"),
    (("set", "b", "redirectcomports", "0", "--store", broken), 3,
     f"{P}{broken}: host pool `b`: customRdpProperty does not parse: item 2: `x`: not a "
     "`name:type:value` property (replace the whole string with --raw)\n"),
    (("unset", "b", "x", "--store", malformed), 3,
     f"{P}{malformed}: line 1: column 30: syntax error while parsing value - unexpected '}}'; "
     "expected '[', '{', or a literal\n"),
]
for args, want_code, want_err in errors:
    before = {p: read(p) for p in (store, broken, malformed)}
    code, out, err = run("hostpool", *args)
    check(f"error {' '.join(args[:4])}: exit {want_code}, message, nothing written",
          (code, out, err) == (want_code, "", want_err) and
          all(read(p) == b for p, b in before.items()), f"{code} {out!r} {err!r}")
code, out, err = run("hostpool", "set", "b", "--raw", "redirectcomports:i:0", "--store", broken)
check("--raw repairs a string that does not parse", code == 0 and b'"redirectcomports:i:0"'
      in read(broken), out + err)
check("no temporary files left behind", sorted(os.listdir(os.path.dirname(store))) ==
      ["hostpools.json", "hostpools.json.bak"], os.listdir(os.path.dirname(store)))


# --- 3. concurrency ---------------------------------------------------------------------------
def env():
    e = dict(os.environ, HOME=tmp)
    for k in _ISOLATE:
        e.pop(k, None)
    return e


UPDATES = stress(500, 60)
store = fresh("concurrent")
failures = []


def writer(tag):
    for k in range(1, UPDATES + 1):
        p = subprocess.run([BIN, "hostpool", "set", "pool1", f"{tag}{k}:i", str(k), "--store",
                            store], env=env(), capture_output=True)
        if p.returncode != 0:
            failures.append((tag, k, p.stderr.decode()))


t0 = time.monotonic()
threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - t0
code, out, err = run("hostpool", "show", "pool1", "--store", store, "--json")
props = [(p["name"], p["value"]) for p in json.loads(out)["properties"]] if code == 0 else []
want = {(f"{t}{k}", str(k)) for t in "ab" for k in range(1, UPDATES + 1)}
print(f"info  concurrency: 2 x {UPDATES} updates in {elapsed:.1f} s")
check(f"concurrency: 2 x {UPDATES} updates, every one succeeded", not failures, failures[:3])
check(f"concurrency: all {2 * UPDATES} properties present, none lost",
      want <= set(props) and len(props) == 7 + 2 * UPDATES,
      f"{len(want - set(props))} missing, {len(props)} properties")
check("concurrency: each writer's properties in its own order",
      [n for n, _ in props if n[0] == "a" and n[1:].isdigit()] ==
      [f"a{k}" for k in range(1, UPDATES + 1)])

# --- 4. crash safety --------------------------------------------------------------------------
store = fresh("crash")
subprocess.run([BIN, "hostpool", "set", "pool1", "crash:i", "0", "--store", store], env=env(),
               check=True, capture_output=True)
durations = []
for _ in range(5):
    s = time.monotonic()
    subprocess.run([BIN, "hostpool", "get", "pool1", "--store", store], env=env(),
                   capture_output=True)
    durations.append(time.monotonic() - s)
write_time = 4 * sorted(durations)[2]  # a write (lock, fsyncs) takes longer than a read
rng = random.Random(4)
value, kept_old, got_new, bad = 0, 0, 0, []
KILLS = stress(50, 12)
for k in range(1, KILLS + 1):
    old = read(store)
    new = old.replace(f"crash:i:{value}".encode(), f"crash:i:{k}".encode())
    p = subprocess.Popen([BIN, "hostpool", "set", "pool1", "crash", str(k), "--store", store],
                         env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0, write_time))
    p.send_signal(signal.SIGKILL)
    p.wait()
    now = read(store)
    try:
        json.loads(now)
        parses = True
    except ValueError:
        parses = False
    if now == new:
        got_new, value = got_new + 1, k
    elif now == old:
        kept_old += 1
    else:
        bad.append(k)
    if not parses:
        bad.append(k)
leftovers = [f for f in os.listdir(os.path.dirname(store)) if ".tmp-" in f]
print(f"info  crash safety: {KILLS} kills within {write_time * 1000:.0f} ms: {kept_old} old, "
      f"{got_new} new, {len(leftovers)} temporary files left by killed writers")
check("crash safety: after every SIGKILL the store parses and is the old or the new content",
      not bad, bad)
code, out, err = run("hostpool", "get", "pool1", "crash", "--store", store)
check("crash safety: the store still reads and writes after the kills",
      (code, out) == (0, f"{value}\n") and
      run("hostpool", "set", "pool1", "crash", "99", "--store", store)[0] == 0, out + err)

shutil.rmtree(tmp, ignore_errors=True)
suite.finish()
