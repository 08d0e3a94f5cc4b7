#!/usr/bin/python3
"""comredir-console's terminal client against the real gateway: `list` (text and JSON),
`disable` / `enable`, and `connect` in a pseudo-terminal — the terminal raw while attached
and restored after every way out (the menu's quit, the gateway closing, SIGTERM), typing
reaching the target, output reaching the screen, the Ctrl+] menu (takeover, NMI with its
confirmation), --read-only, the certificate pinned by fingerprint, a wrong password, a
password file, and the password in no log.

usage: console_client_test.py COMREDIR_CONSOLE
"""
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(__file__))
from clitest import Suite  # noqa: E402
from consoleenv import ConsoleEnv, missing_tools  # noqa: E402

USERS = {"olga": "owner-pw-1", "carl": "contrib-pw-2", "rita": "reader-pw-4"}
GRANTS = [{"principal": "olga", "role": "owner"},
          {"principal": "carl", "role": "contributor"},
          {"principal": "rita", "role": "reader"}]


class Term:
    """The client in a pseudo-terminal: what it prints, and the terminal's mode."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)
        self.out = bytearray()

    def echo_on(self):
        return bool(termios.tcgetattr(self.fd)[3] & termios.ECHO)

    def read_until(self, pattern, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.out):
                return True
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.out += chunk
        return bool(re.search(pattern, self.out))

    def send(self, data):
        os.write(self.fd, data)

    def wait(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.read_until(rb"$^", timeout=0.2)  # collect the last lines
                return os.waitstatus_to_exitcode(status)
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    self.out += os.read(self.fd, 65536)
                except OSError:
                    pass
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None


def peer_read(fd, n, timeout=5):
    out = bytearray()
    deadline = time.monotonic() + timeout
    while len(out) < n and time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            out += os.read(fd, n - len(out))
    return bytes(out)


def main(binary):
    missing = missing_tools()
    if missing:
        print("SKIP: missing " + ", ".join(missing))
        sys.exit(77)
    s = Suite(binary, home=tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="console-client-") as tmp:
        env = ConsoleEnv(binary, tmp)
        try:
            checks(s, env, tmp, binary)
        finally:
            env.stop()
    s.finish()


def checks(s, env, tmp, binary):
    dev, peer_path = env.pty_pair("t")
    sac_dev, sac_peer = env.pty_pair("sac")
    env.start([{"name": "t1", "type": "serial", "device": dev, "logout": "exit\r"},
               {"name": "t2", "type": "serial", "device": env.pty_pair("u")[0]},
               {"name": "win", "type": "serial", "device": sac_dev, "windowsSac": True}],
              GRANTS, USERS)
    fp = re.search(r"fingerprint `([0-9A-F:]+)`", env.read_log()).group(1)
    url = f"https://127.0.0.1:{env.port}"
    pw = {}
    for user, password in USERS.items():
        pw[user] = os.path.join(tmp, user + ".pw")
        with open(pw[user], "w") as f:
            f.write(password + "\n")
    peer = os.open(peer_path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)

    def client(*args, user="olga"):
        return [binary, *args[:1], url, *args[1:], "--user", user, "--password-file", pw[user],
                "--fingerprint", fp]

    # ---- list, disable, enable -----------------------------------------------------------
    code, out, err = s.run(*client("list")[1:])
    s.check("list: every target with type, state and role",
            code == 0 and "t1  serial  up  role owner" in out and "t2  serial  up" in out and
            "win  serial  up" in out, (code, out, err))
    code, out, err = s.run(*client("list", "--json")[1:])
    doc = json.loads(out) if code == 0 else []
    s.check("list --json: the gateway's JSON", [t["name"] for t in doc] == ["t1", "t2", "win"],
            (code, out, err))
    code, out, err = s.run("list", url, "--user", "olga", "--password-file", pw["olga"])
    s.check("an unpinned self-signed certificate: refused (exit 4), with the way out",
            code == 4 and "pin it with --fingerprint" in err, (code, err))
    code, out, err = s.run("list", url, "--user", "olga", "--password-file", pw["carl"],
                           "--fingerprint", fp)
    s.check("a wrong password: exit 4 and the gateway's message",
            code == 4 and "wrong user name or password" in err, (code, err))
    code, out, err = s.run(*client("disable", "t2", user="carl")[1:])
    s.check("disable by a contributor: exit 1, owner needed", code == 1 and "needs role `owner`" in err,
            (code, err))
    code, out, err = s.run(*client("disable", "t2")[1:])
    code2, out2, _ = s.run(*client("list")[1:])
    s.check("disable by an owner: done, and list shows it off with who did it",
            code == 0 and "switched off by `olga`" in out and "t2  serial  off" in out2 and
            "switched off by `olga`" in out2, (code, out, out2))
    code, out, err = s.run(*client("enable", "t2")[1:])
    s.check("enable: on again", code == 0 and "switched on" in out, (code, out, err))

    # ---- connect in a terminal ---------------------------------------------------------------
    t = Term(client("connect", "t1"))
    attached = t.read_until(rb"attached to `t1` as `owner`, writer")
    s.check("connect: attached as the writer, the menu key named",
            attached and b"Ctrl+] for the menu" in t.out, t.out[-300:])
    s.check("connect: the terminal is raw while attached (no echo)", not t.echo_on())
    t.send(b"uname -a\r")
    got = peer_read(peer, 9)
    s.check("typing reaches the target", got == b"uname -a\r", got)
    os.write(peer, b"Linux console 6.1\r\n")
    s.check("the target's output reaches the screen", t.read_until(rb"Linux console 6\.1"))
    t.send(b"\x1dn")
    s.check("Ctrl+] n asks before an NMI", t.read_until(rb"send an NMI to `t1`\? y to confirm"))
    t.send(b"y")
    s.check("the NMI is refused on a serial target, in one line",
            t.read_until(rb"nmi refused: target `t1` \(serial\) has no NMI"))
    t.send(b"\x1dq")
    code = t.wait()
    s.check("Ctrl+] q: exit 0, the terminal restored", code == 0 and t.echo_on(), (code, t.out[-200:]))
    got = peer_read(peer, 5)
    s.check("leaving the seat sends the logout sequence", got == b"exit\r", got)

    # a reader watching, then a takeover from the menu, then SIGTERM to the client
    r = Term(client("connect", "t1", "--read-only", user="rita"))
    s.check("--read-only: attached as a spectator", r.read_until(rb"as `reader`, spectator"))
    w = Term(client("connect", "t1", user="carl"))
    w.read_until(rb"attached to `t1`")
    o = Term(client("connect", "t1"))
    o.read_until(rb"attached to `t1`")
    o.send(b"\x1dt")
    s.check("Ctrl+] t takes over; the previous writer is told",
            o.read_until(rb"you took over the console from `carl`") and
            w.read_until(rb"`olga` took over the console at"))
    r.send(b"should not pass\r")
    w.send(b"nor this\r")
    o.send(b"date\r")
    got = peer_read(peer, 64, timeout=1.5)
    s.check("only the writer's keystrokes reach the target", got == b"exit\rdate\r", got)
    os.kill(w.pid, signal.SIGTERM)
    code = w.wait()
    s.check("SIGTERM to a client: it leaves, the terminal restored", code == 0 and w.echo_on(), code)
    # the gateway switches the target off: attached clients are closed, exit 1, restored
    code, out, err = s.run(*client("disable", "t1")[1:])
    codes = [x.wait() for x in (o, r)]
    s.check("switched off under them: both clients exit 1 with the reason, terminals restored",
            codes == [1, 1] and b"switched off by `olga`" in o.out and o.echo_on() and r.echo_on(),
            (codes, o.out[-200:]))
    s.run(*client("enable", "t1")[1:])
    # the password asked on the terminal, without echo
    t = Term([binary, "connect", url, "t2", "--user", "carl", "--fingerprint", fp])
    asked = t.read_until(rb"password for carl: ")
    quiet = not t.echo_on()
    t.send(USERS["carl"].encode() + b"\n")
    attached = t.read_until(rb"attached to `t2` as `contributor`")
    t.send(b"\x1dq")
    code = t.wait()
    s.check("no password file: asked on the terminal with echo off, never shown",
            asked and quiet and attached and code == 0 and USERS["carl"].encode() not in t.out,
            (asked, quiet, attached, code))
    # a Windows SAC target: function keys leave as EMS sequences, Ctrl+] s switches channels
    sac = os.open(sac_peer, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    t = Term(client("connect", "win"))
    t.read_until(rb"function keys go as EMS sequences")
    t.send(b"\x1b[19~")  # F8 on an xterm: Windows' advanced boot menu
    f8 = peer_read(sac, 2)
    t.send(b"\x1ds")
    switch = peer_read(sac, 2)
    t.send(b"cmd\r")
    typed = peer_read(sac, 4)
    t.send(b"\x1dq")
    t.wait()
    os.close(sac)
    s.check("windowsSac: F8 goes as Esc 8, the menu's SAC switch as Esc Tab, text as typed",
            f8 == b"\x1b8" and switch == b"\x1b\t" and typed == b"cmd\r", (f8, switch, typed))
    t = Term(client("connect", "nosuch"))
    code = t.wait()
    s.check("connect to an unknown target: exit 1, one line", code == 1 and b"HTTP 404" in t.out,
            (code, t.out[-200:]))
    log = env.read_log() + open(os.path.join(tmp, "audit.jsonl")).read()
    s.check("no password in the gateway's log or audit", all(p not in log for p in USERS.values()))
    os.close(peer)


if __name__ == "__main__":
    main(sys.argv[1])
