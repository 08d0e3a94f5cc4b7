#!/usr/bin/python3
"""Regenerates the binary files of the example estate (Registry.pol, UTF-16 .rdp).

Registry.pol bytes are produced by Samba's own PReg packer (Debian python3-samba),
independently of comredir's reader, so the examples also exercise real-format input.
Run from anywhere: /usr/bin/python3 examples/tools/make_examples.py
"""
import os
import struct

from samba.dcerpc import preg
from samba.ndr import ndr_pack

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TS = "Software\\Policies\\Microsoft\\Windows NT\\Terminal Services"


def dword(v):
    return (4, struct.pack("<I", v))


def sz(s):
    return (1, (s + "\0").encode("utf-16-le"))


def write_pol(rel, entries):
    f = preg.file()
    f.header.signature = "PReg"
    f.header.version = 1
    out = []
    for key, name, (typ, data) in entries:
        e = preg.entry()
        e.keyname = key
        e.valuename = name
        e.type = typ
        e.data = data if typ != 4 else struct.unpack("<I", data)[0]
        out.append(e)
    f.num_entries = len(out)
    f.entries = out
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(ndr_pack(f))


def write_utf16_rdp(rel, lines):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(b"\xff\xfe" + "\r\n".join(lines + [""]).encode("utf-16-le"))


# The session-host image's local policy: allows COM ports and time zone redirection.
write_pol("local-gpo/Machine/Registry.pol", [
    (TS, "fDisableCcm", dword(0)),
    (TS, "fEnableTimeZoneRedirection", dword(1)),
])

# Domain GPO linked to the AVD session hosts' OU: locks devices down.
write_pol("sysvol/contoso.com/Policies/{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}/Machine/Registry.pol", [
    (TS, "fDisableCcm", dword(1)),
    (TS, "fDisableLPT", dword(1)),
    (TS, "fDisableCdm", dword(0)),
    (TS, "fEnableSmartCard", dword(1)),
    (TS, "**del.fDisableCameraRedir", sz(" ")),
    (TS, "SCClipLevel", dword(1)),
])

# Domain GPO for the serial lab pool: serial and USB allowed.
write_pol("sysvol/contoso.com/Policies/{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}/Machine/Registry.pol", [
    (TS, "fDisableCcm", dword(0)),
    (TS, "fDisablePNPRedir", dword(0)),
])

# A Linux session host joined with Samba: samba-gpupdate's cache of the lab GPO.
write_pol("samba/gpo_cache/CONTOSO.COM/POLICIES/{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}/MACHINE/REGISTRY.POL", [
    (TS, "fDisableCcm", dword(0)),
])

# Alice's client file, as mstsc / the AVD feed writes it: UTF-16LE with BOM and CRLF.
write_utf16_rdp("clients/alice-pool1.rdp", [
    "full address:s:rdgateway.wvd.microsoft.com",
    "armpath:s:/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-avd"
    "/providers/Microsoft.DesktopVirtualization/hostpools/pool1",
    "screen mode id:i:2",
    "redirectcomports:i:1",
    "redirectclipboard:i:1",
    "drivestoredirect:s:*",
    "audiocapturemode:i:1",
    "camerastoredirect:s:*",
    "redirectlocation:i:1",
])
print("example estate regenerated under", ROOT)
