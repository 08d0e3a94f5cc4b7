#!/usr/bin/python3
"""comredir-console with a real VM: QEMU (TCG) boots Debian's cloud kernel with a busybox
initramfs this test builds, COM1 on a unix-socket chardev and QMP on another. Through the
gateway: a command round trip, an NMI (the guest kernel prints its "NMI received" line), a
restart (the firmware and the init's banner again), owners only, and a password typed at a
no-echo prompt that appears in no log (daemon, audit, serial log).

Needs qemu-system-x86, a kernel in /boot (linux-image-cloud-amd64), busybox-static, cpio;
reports SKIP (77) without them.

usage: console_vm_test.py COMREDIR_CONSOLE
"""
import asyncio
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from clitest import Suite  # noqa: E402
from consoleenv import ConsoleEnv, missing_tools  # noqa: E402
from consolevm import start_vm, vm_missing  # noqa: E402

async def read_until(ws, needle, timeout, code=None):
    """Terminal output until `needle` appears and, with `code`, a notice of that code has come
    too (the two travel separately: either may be first). Text messages are kept aside."""
    buf = bytearray()
    notices = []
    deadline = time.monotonic() + timeout
    while needle not in buf or (code and not any(n.get("code") == code for n in notices)):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            m = await asyncio.wait_for(ws.recv(), left)
        except asyncio.TimeoutError:
            break
        if isinstance(m, bytes):
            buf += m
        else:
            notices.append(json.loads(m))
    return bytes(buf), notices


async def checks(s, env, tmp):
    qemu, serial, qmp = await start_vm(tmp)
    env.procs.append(qemu)
    serial_log = os.path.join(tmp, "logs", "vm1.log")
    env.start([{"name": "vm1", "type": "qemu", "socket": serial, "qmp": qmp,
                "log": {"path": serial_log}}],
              [{"principal": "olga", "role": "owner"}, {"principal": "carl", "role": "contributor"}],
              {"olga": "owner-pw-1", "carl": "contrib-pw-2"})
    olga, olga_csrf = env.login("olga", "owner-pw-1")
    carl, carl_csrf = env.login("carl", "contrib-pw-2")
    async with env.ws("vm1", olga, olga_csrf) as ws:
        hello = None
        while hello is None:
            m = json.loads(await asyncio.wait_for(ws.recv(), 10))
            hello = m if m.get("type") == "hello" else None
        s.check("hello for a qemu target offers NMI and restart to an owner",
                hello["can"]["nmi"] and hello["can"]["restart"] and hello["limits"]["baud"] == 0,
                hello)
        out, _ = await read_until(ws, b"# ", 90)
        s.check("the guest boots to a shell on COM1, seen through the gateway",
                b"comredir-vm: up" in out and b"# " in out, out[-300:])
        await ws.send(b"echo vm-$((6*7))\n")
        out, _ = await read_until(ws, b"vm-42\r\n", 30)
        s.check("a command round trip through the gateway", b"vm-42\r\n" in out, out[-200:])

        secret = "Vm-S3cret-" + os.urandom(4).hex()
        await ws.send(b"askpw\n")
        out, _ = await read_until(ws, b"Password: ", 30)
        await ws.send(secret.encode() + b"\n")
        out2, _ = await read_until(ws, b"secret length", 30)
        s.check("a password typed at a no-echo prompt reaches the guest, not the screen",
                f"secret length {len(secret)}".encode() in out2 + (await read_until(ws, b"\n# ", 10))[0]
                and secret.encode() not in out + out2, (out2[-200:]))

        async with env.ws("vm1", carl, carl_csrf) as wc:
            await read_until(wc, b"\x00", 1)  # hello and replay
            await wc.send(json.dumps({"type": "nmi"}))
            _, notes = await read_until(wc, b"", 10, code="refused")
            refused = [n for n in notes if n.get("code") == "refused"]
            s.check("a contributor's NMI is refused (owners only)",
                    refused and "only `owner`" in refused[0]["text"], notes)

        await ws.send(json.dumps({"type": "nmi"}))
        out, notes = await read_until(ws, b"NMI received", 30, code="done")
        done = [n for n in notes if n.get("code") == "done"]
        s.check("NMI: QMP inject-nmi, and the guest kernel says it received one",
                b"NMI received" in out and done and "`inject-nmi` sent to `vm1`" in done[0]["text"],
                (out[-300:], notes))
        await ws.send(json.dumps({"type": "restart"}))
        out, notes = await read_until(ws, b"comredir-vm: up", 90, code="done")
        done = [n for n in notes if n.get("code") == "done"]
        s.check("restart: QMP system_reset, and the guest boots again",
                b"comredir-vm: up" in out and done and "`system_reset`" in done[0]["text"],
                (out[-300:], notes))
    audit = env.audit()
    nmi = [a for a in audit if a["event"] == "console_nmi"]
    s.check("audit: the refused and the sent NMI, the restart",
            [a["detail"]["ok"] for a in nmi] == [False, True] and
            any(a["event"] == "console_restart" and a["detail"]["ok"] for a in audit),
            [a["event"] for a in audit])
    env.stop()
    logs = env.read_log() + open(os.path.join(tmp, "audit.jsonl")).read()
    with open(serial_log, "rb") as f:
        serial_text = f.read()
    s.check("the serial log holds the session (0600)", b"vm-42" in serial_text and
            oct(os.stat(serial_log).st_mode & 0o777) == "0o600")
    s.check("the password is in no log: daemon, audit, serial log",
            secret not in logs and secret.encode() not in serial_text)


def main(binary):
    missing = missing_tools() + vm_missing()
    if missing:
        print("SKIP: missing " + ", ".join(missing))
        sys.exit(77)
    s = Suite(binary, home=tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="console-vm-") as tmp:
        env = ConsoleEnv(binary, tmp)
        try:
            asyncio.run(checks(s, env, tmp))
        finally:
            env.stop()
    s.finish()


if __name__ == "__main__":
    main(sys.argv[1])
