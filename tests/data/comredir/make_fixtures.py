#!/usr/bin/python3
"""Regenerates the Registry.pol fixtures of comredir's own policies (admx/comredir.admx).

The bytes come from Samba's own PReg packer (Debian python3-samba), independently of
comredir's reader, the way Group Policy writes these policies (a list element as
`**delvals.` followed by its items). Run: /usr/bin/python3 tests/data/comredir/make_fixtures.py
"""
import os
import struct

from samba.dcerpc import preg
from samba.ndr import ndr_pack

HERE = os.path.dirname(os.path.abspath(__file__))
REDIR = "Software\\Policies\\comredir\\Redirection"
PORTS = REDIR + "\\AllowedPorts"


def dword(v):
    return (4, v)


def sz(s):
    return (1, s)  # samba's packer writes REG_SZ as UTF-16LE with its NUL


def write_pol(name, entries):
    f = preg.file()
    f.header.signature = "PReg"
    f.header.version = 1
    out = []
    for key, value, (typ, data) in entries:
        e = preg.entry()
        e.keyname = key
        e.valuename = value
        e.type = typ
        e.data = data
        out.append(e)
    f.num_entries = len(out)
    f.entries = out
    with open(os.path.join(HERE, name), "wb") as fh:
        fh.write(ndr_pack(f))


# `Do not allow COM port redirection to comredir hosts` Enabled.
write_pol("deny.pol", [
    (REDIR, "DisableComPortRedirection", dword(1)),
])

# `Allow only these client port names` Enabled with COM1, COM2, ttyUSB?;
# `Allow non-Windows clients to redirect serial ports` Disabled; and a latency
# threshold out of the template's range (0-60000), which com_ports does not use.
write_pol("ports.pol", [
    (REDIR, "RestrictPortNames", dword(1)),
    (PORTS, "**delvals.", sz(" ")),
    (PORTS, "1", sz("COM1")),
    (PORTS, "2", sz("COM2")),
    (PORTS, "3", sz("ttyUSB?")),
    (REDIR, "AllowNonWindowsClients", dword(0)),
    (REDIR, "LatencyWarningMs", dword(70000)),
])

# A wrongly typed policy value: REG_SZ `1` where comredir.admx writes a REG_DWORD.
write_pol("bad-type.pol", [
    (REDIR, "DisableComPortRedirection", sz("1")),
])
print("comredir fixtures regenerated in", HERE)
