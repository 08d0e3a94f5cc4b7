#!/usr/bin/python3
"""Checks that includes run one way between the parts of the tree (docs/architecture.md).

libpolicy: core <- io <- formats (admx <- gp, admx <- intune; rdp; hostpool) <- resolve <- report.
libhost: the daemons' shared parts; it includes no libpolicy and no redirector header.
console core (console/src, console/include): I/O-free; it includes nothing of libpolicy,
the redirector or libhost. The gateway's daemon (console/daemon) builds on the core,
libpolicy and libhost, and the two daemons know nothing of each other: console/daemon
includes no redirector header, the redirector no console header.

Every file of libpolicy/src and libpolicy/include/comredir/policy sits in one of the
folders named below; a file outside them, or an include that runs the wrong way, is
reported as `path:line: message` and the exit code is 1.

Usage: check_layers.py ROOT        check the tree at ROOT
       check_layers.py --self-test  check that a wrong-way include is caught
"""
import os
import re
import sys
import tempfile

# folder -> the other libpolicy folders it may include
ALLOWED = {
    "core": set(),
    "io": {"core"},
    "admx": {"core", "io"},
    "gp": {"core", "io", "admx"},
    "intune": {"core", "io", "admx"},
    "rdp": {"core", "io"},
    "hostpool": {"core", "io"},
    "resolve": {"core", "io", "admx", "gp", "intune", "rdp", "hostpool"},
    "report": {"core", "io", "admx", "gp", "intune", "rdp", "hostpool", "resolve"},
}
PUBLIC = "libpolicy/include/comredir/policy"
PRIVATE = "libpolicy/src"
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def included_part(path):
    """The libpolicy folder or other part an include names, or None."""
    m = re.match(r"comredir/policy/([^/]+)/", path)
    if m:
        return m.group(1)
    m = re.match(r"([a-z]+)/[^/]+\.hpp$", path)  # a libpolicy internal header: "io/text.hpp"
    if m and m.group(1) in ALLOWED:
        return m.group(1)
    if path.startswith("comredir/redirector/"):
        return "redirector"
    if path.startswith("comredir/host/"):
        return "host"
    if path.startswith("comredir/console/"):
        return "console"
    return None


def sources(root, top):
    base = os.path.join(root, top)
    for d, _, files in os.walk(base):
        for f in sorted(files):
            if f.endswith((".cpp", ".hpp")):
                yield os.path.relpath(os.path.join(d, f), root)


def includes(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            m = INCLUDE.match(line)
            if m:
                yield n, m.group(1)


def check(root):
    problems = []
    for top in (PUBLIC, PRIVATE):
        for rel in sources(root, top):
            inner = os.path.relpath(rel, top).split(os.sep)
            folder = inner[0] if len(inner) > 1 else None
            if folder not in ALLOWED:
                problems.append(f"{rel}:1: not in one of the folders `{'`, `'.join(ALLOWED)}`")
                continue
            for n, inc in includes(root, rel):
                part = included_part(inc)
                if part is None or part == folder:
                    continue
                if part not in ALLOWED[folder]:
                    may = ", ".join(sorted(ALLOWED[folder])) or "no other folder"
                    problems.append(
                        f"{rel}:{n}: `{folder}` includes `{inc}` of `{part}` ({folder} may include {may})")
    for rel in sources(root, "libhost"):
        for n, inc in includes(root, rel):
            part = included_part(inc)
            if part not in (None, "host"):
                problems.append(f"{rel}:{n}: `libhost` includes `{inc}` of `{part}` (libhost includes no other part)")
    for top in ("console/src", "console/include"):
        for rel in sources(root, top):
            for n, inc in includes(root, rel):
                part = included_part(inc)
                if part not in (None, "console"):
                    problems.append(f"{rel}:{n}: the console core includes `{inc}` of `{part}` "
                                    "(it is I/O-free: no other part)")
    for rel in sources(root, "console/daemon"):
        for n, inc in includes(root, rel):
            if included_part(inc) == "redirector":
                problems.append(f"{rel}:{n}: the console daemon includes `{inc}` of `redirector` "
                                "(the daemons share libhost, not each other)")
    for rel in sources(root, "redirector"):
        for n, inc in includes(root, rel):
            if included_part(inc) == "console":
                problems.append(f"{rel}:{n}: the redirector includes `{inc}` of `console` "
                                "(the daemons share libhost, not each other)")
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as root:
        def put(rel, text):
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as fh:
                fh.write(text)
        put(f"{PRIVATE}/intune/a.cpp", '#include <comredir/policy/resolve/catalog.hpp>\n#include "io/text.hpp"\n')
        put(f"{PRIVATE}/resolve/b.cpp", '#include <comredir/policy/gp/pol.hpp>\n')
        put(f"{PUBLIC}/io/c.hpp", '#include "gp/gp_eval.hpp"\n')
        put(f"{PRIVATE}/flat.cpp", "\n")
        put("libhost/src/d.cpp", "#include <comredir/policy/io/safe_write.hpp>\n")
        put("console/src/e.cpp", "#include <comredir/console/seat.hpp>\n#include <comredir/host/log.hpp>\n")
        put("console/daemon/f.cpp", "#include <comredir/host/log.hpp>\n#include <comredir/redirector/gate.hpp>\n")
        got = check(root)
        want = [
            f"{PUBLIC}/io/c.hpp:1: `io` includes `gp/gp_eval.hpp` of `gp` (io may include core)",
            f"{PRIVATE}/flat.cpp:1: not in one of the folders `{'`, `'.join(ALLOWED)}`",
            f"{PRIVATE}/intune/a.cpp:1: `intune` includes `comredir/policy/resolve/catalog.hpp` of `resolve` "
            "(intune may include admx, core, io)",
            "libhost/src/d.cpp:1: `libhost` includes `comredir/policy/io/safe_write.hpp` of `io` "
            "(libhost includes no other part)",
            "console/src/e.cpp:2: the console core includes `comredir/host/log.hpp` of `host` "
            "(it is I/O-free: no other part)",
            "console/daemon/f.cpp:2: the console daemon includes `comredir/redirector/gate.hpp` of "
            "`redirector` (the daemons share libhost, not each other)",
        ]
        if sorted(got) != sorted(want):
            print("self-test failed:\n  got:  " + "\n        ".join(got) + "\n  want: " + "\n        ".join(want))
            return 1
    print("check_layers: self-test passed (5 wrong-way includes and 1 misplaced file caught, 4 allowed includes passed)")
    return 0


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2].strip(), file=sys.stderr)
        return 2
    if argv[1] == "--self-test":
        return self_test()
    problems = check(argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} wrong-way include(s) or misplaced file(s)")
        return 1
    print("check_layers: includes run one way")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
