#!/usr/bin/python3
"""Baseline for BM_ParsePol: python3-samba's PReg reader on the same files.

Reads every gpo/**/registry.pol under --data into memory once, then calls
`ndr_unpack(preg.file, data)` over the whole set, repeatedly, in-process, for
about --seconds. Only the unpack is timed (no file I/O, no attribute access).
Throughput is computed from process CPU time, as Google Benchmark's
bytes_per_second is, so the two are comparable on a busy machine; wall-clock
throughput is printed as well.

Prints one JSON line:
  {"name":"samba_preg","bytes_per_second":...,"real_bytes_per_second":...,...}
Exit codes: 0 measured, 2 no input files, 77 python3-samba not importable.
"""

import argparse
import json
import pathlib
import sys
import time

try:
    from samba.dcerpc import preg
    from samba.ndr import ndr_unpack
except ImportError as exc:
    print(f"skip: python3-samba is not importable ({exc})", file=sys.stderr)
    sys.exit(77)

DEFAULT_DATA = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=pathlib.Path, default=DEFAULT_DATA,
                    help="shared data directory holding gpo/ (default: %(default)s)")
    ap.add_argument("--seconds", type=float, default=2.0, help="measuring time (default: 2)")
    args = ap.parse_args()

    paths = sorted(p for p in (args.data / "gpo").rglob("*")
                   if p.is_file() and p.name.lower() == "registry.pol")
    if not paths:
        print(f"samba_pol_throughput: no registry.pol under {args.data / 'gpo'}", file=sys.stderr)
        return 2
    files = [p.read_bytes() for p in paths]
    total = sum(len(b) for b in files)

    for data in files:  # warm up, and make sure every file unpacks
        ndr_unpack(preg.file, data)

    passes = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    deadline = wall0 + args.seconds
    while True:
        for data in files:
            ndr_unpack(preg.file, data)
        passes += 1
        if passes % 16 == 0 and time.perf_counter() >= deadline:
            break
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0

    print(json.dumps({
        "name": "samba_preg",
        "bytes_per_second": passes * total / cpu,
        "real_bytes_per_second": passes * total / wall,
        "files": len(files),
        "corpus_bytes": total,
        "passes": passes,
        "cpu_seconds": round(cpu, 4),
        "real_seconds": round(wall, 4),
    }, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
