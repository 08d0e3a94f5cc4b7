#!/usr/bin/python3
"""`gp list` against GPMC's own reports: runs ../shared/tools/gpreport-compare on the GPMC backup
corpus with Microsoft's full template set and compares its differences with the explained list.

Usage: gpreport_check.py COMREDIR_POLICY COMPARE_TOOL ADMX_DIR CORPUS_DIR KNOWN_FILE

KNOWN_FILE holds one difference per line exactly as the tool prints it, then ` # ` and why
GPMC's answer cannot come from this template set; blank lines and lines starting with `#` are
comments. The check fails on a difference that is not listed (a rule that is not GPMC's) and
on a listed difference that no longer occurs (the list must stay true). Exit 77 (skip) when
the corpus or the tool is missing.
"""
import os
import subprocess
import sys

cli, tool, admx, corpus, known_file = sys.argv[1:6]
for path in (tool, admx, corpus):
    if not os.path.exists(path):
        print(f"SKIP: `{path}` not found")
        sys.exit(77)

known = {}
with open(known_file, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        diff, sep, why = line.partition(" # ")
        if not sep or not why.strip():
            print(f"{known_file}: line {n}: no ` # reason` after the difference")
            sys.exit(1)
        known[diff] = why

p = subprocess.run([sys.executable, tool, cli, admx, corpus], capture_output=True, text=True)
lines = p.stdout.splitlines()
summary = lines[-1] if lines else ""
diffs = [l for l in lines[:-1] if l.strip()]
print(summary)
if not summary.startswith("gpreport: "):
    print(f"FAIL  gpreport-compare did not finish (exit {p.returncode}): {p.stderr.strip()[-2000:]}")
    sys.exit(1)

failed = 0
for d in diffs:
    if d in known:
        print(f"ok    explained: {d}")
    else:
        failed += 1
        print(f"FAIL  unexplained difference: {d}")
for d in known:
    if d not in diffs:
        failed += 1
        print(f"FAIL  listed as a difference but no longer one (update {os.path.basename(known_file)}): {d}")
print(f"{len(diffs) - failed if failed <= len(diffs) else 0} explained, {failed} failed")
sys.exit(1 if failed else 0)
