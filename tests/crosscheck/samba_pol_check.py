#!/usr/bin/python3
"""Cross-check `comredir-policy gp dump --json` against Samba's PReg reader.

For every registry.pol under --data, both readers must produce the same list
of {key, value, type, data} objects (see pol_to_json in pol.hpp for the shape).
Samba is lenient (it accepts a wrong signature or version), so it is an oracle
for well-formed files only. Exit codes: 0 equal, 1 different, 77 skipped
(python3-samba is not importable).
"""

import argparse
import json
import pathlib
import struct
import subprocess
import sys

try:
    from samba.dcerpc import preg
    from samba.ndr import ndr_unpack
except ImportError as exc:  # a skip, never a pass
    print(f"skip: python3-samba is not importable ({exc})")
    sys.exit(77)

TYPE_NAMES = {
    0: "REG_NONE",
    1: "REG_SZ",
    2: "REG_EXPAND_SZ",
    3: "REG_BINARY",
    4: "REG_DWORD",
    5: "REG_DWORD_BIG_ENDIAN",
    6: "REG_LINK",
    7: "REG_MULTI_SZ",
    8: "REG_RESOURCE_LIST",
    9: "REG_FULL_RESOURCE_DESCRIPTOR",
    10: "REG_RESOURCE_REQUIREMENTS_LIST",
    11: "REG_QWORD",
}


def type_name(t):
    return TYPE_NAMES.get(t, f"REG_0x{t:08x}")


def blob_hex(data):
    if isinstance(data, (bytes, bytearray)):
        return bytes(data).hex()
    if isinstance(data, list):  # DATA_BLOB as a list of ints
        return bytes(data).hex()
    raise TypeError(f"unexpected blob {type(data).__name__}")


def multi_sz(raw):
    """REG_MULTI_SZ bytes as the strings they hold: UTF-16LE, each string NUL-terminated, the
    list ended by one more NUL (an empty list is that NUL alone). Bytes that are not such a
    list stay hex, so that they show as a difference."""
    if len(raw) % 2:
        return raw.hex()
    text = raw.decode("utf-16-le", errors="strict")
    if text.endswith("\0\0"):
        text = text[:-2]
    elif text == "\0":
        return []
    elif text.endswith("\0"):
        text = text[:-1]
    return text.split("\0") if text else []


def samba_data(e):
    """Samba's decoded data in pol_to_json's shape."""
    if e.type == 4 and e.size == 4:
        return int(e.data)
    if e.type == 11 and e.size == 8:
        return int(e.data)
    if e.type in (1, 2):
        return str(e.data)
    if e.type == 7:
        if isinstance(e.data, (bytes, bytearray)):  # Samba hands REG_MULTI_SZ over undecoded
            return multi_sz(bytes(e.data))
        return [str(s) for s in e.data]
    if e.type == 5 and e.size == 4:  # samba decodes it; we print the raw bytes
        return struct.pack(">I", int(e.data)).hex()
    if e.type in (4, 11, 5):
        raise ValueError(f"size {e.size} does not fit {type_name(e.type)}: not comparable")
    return blob_hex(e.data)


def samba_json(path):
    pol = ndr_unpack(preg.file, path.read_bytes())
    if pol.num_entries != len(pol.entries):
        raise ValueError(f"samba: num_entries {pol.num_entries} != {len(pol.entries)}")
    return [
        {"key": e.keyname, "value": e.valuename, "type": type_name(e.type), "data": samba_data(e)}
        for e in pol.entries
    ]


def ours_json(cli, path):
    run = subprocess.run(
        [cli, "gp", "dump", "--pol", str(path), "--json"], capture_output=True, check=False
    )
    if run.returncode != 0:
        raise ValueError(f"exit {run.returncode}: {run.stderr.decode(errors='replace').strip()}")
    return json.loads(run.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cli", required=True, help="path of comredir-policy")
    ap.add_argument("--data", required=True, help="folder searched for registry.pol files")
    args = ap.parse_args()

    pols = sorted(
        p for p in pathlib.Path(args.data).rglob("*") if p.is_file() and p.name.lower() == "registry.pol"
    )
    if not pols:
        print(f"fail: no registry.pol under {args.data}")
        return 1

    failed = 0
    entries = 0
    for path in pols:
        try:
            ours = ours_json(args.cli, path)
            theirs = samba_json(path)
        except Exception as exc:  # report and go on with the other files
            print(f"FAIL {path}: {exc}")
            failed += 1
            continue
        if ours == theirs:
            entries += len(ours)
            print(f"ok   {path}: {len(ours)} entries")
            continue
        failed += 1
        print(f"FAIL {path}: comredir {len(ours)} entries, samba {len(theirs)}")
        for i, (a, b) in enumerate(zip(ours, theirs)):
            if a != b:
                print(f"  first difference at entry {i}:\n    comredir {a}\n    samba    {b}")
                break
    print(f"{len(pols) - failed} of {len(pols)} files equal ({entries} entries)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
