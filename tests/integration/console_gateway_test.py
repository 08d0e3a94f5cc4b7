#!/usr/bin/python3
"""comredir-console end to end: the real daemon on 127.0.0.1, socat pty pairs as targets,
logins over HTTPS and WebSocket clients (python3-websockets).

Checks: login ok / wrong password (the password in no log), no token in a URL, CSRF and
origin checks, a reader's input dropped, takeover notices on both sides with the logout
sequence sent, paste 2,048 whole / 2,049 refused, paced input at a set baud rate, the idle
timeout, the gateway switched off by a Registry.pol and one target off by config and by an
owner, TLS 1.1 refused, oversized frames and bad JSON, 64 spectators + 1 writer seeing the
same SHA-256 of 1 MiB, a stalled spectator dropped without holding the writer back, SIGTERM
with everyone told and audited.

usage: console_gateway_test.py COMREDIR_CONSOLE
"""
import asyncio
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from clitest import Suite, stress  # noqa: E402
from consoleenv import (ConsoleEnv, Peer, missing_tools, recv_bytes, recv_json,  # noqa: E402
                        wait_closed)

SERIAL_KEY = "Software\\Policies\\comredir\\SerialConsole"


def write_pol(path, dwords, strings=()):
    """A Registry.pol (PReg 1): REG_DWORD values under comredir's SerialConsole key, and
    (key, name, text) REG_SZ values."""
    def u16(s):
        return s.encode("utf-16-le")

    def entry(key, name, kind, data):
        return (u16("[") + u16(key + "\0") + u16(";") + u16(name + "\0") + u16(";") +
                struct.pack("<I", kind) + u16(";") + struct.pack("<I", len(data)) + u16(";") +
                data + u16("]"))
    body = b"PReg" + struct.pack("<I", 1)
    for name, value in dwords.items():
        body += entry(SERIAL_KEY, name, 4, struct.pack("<I", value))
    for key, name, text in strings:
        body += entry(key, name, 1, u16(text + "\0"))
    with open(path, "wb") as f:
        f.write(body)


USERS = {"olga": "owner-pw-1", "carl": "contrib-pw-2", "dana": "contrib-pw-3",
         "rita": "reader-pw-4", "gus": "guessed-pw-5"}
GRANTS = [{"principal": "olga", "role": "owner"},
          {"principal": "carl", "role": "contributor"},
          {"principal": "dana", "role": "contributor"},
          {"principal": "rita", "role": "reader"}]


async def main_checks(s, env, tmp):
    peers = {}
    targets = []
    for name, extra in (("pty1", {"baud": 115200, "logout": "exit\r"}),
                        ("slow", {"baud": 1200}),
                        ("idle", {"idleTimeoutSeconds": 3}),
                        ("off", {"enabled": False}),
                        ("fan", {"baud": 115200, "replayBytes": 0})):
        dev, peer = env.pty_pair(name)
        targets.append(dict({"name": name, "type": "serial", "device": dev}, **extra))
        peers[name] = Peer(peer)
    # A redirected port: comredir-redirector publishes <runDir>/<session>/<PORT> as a link to
    # the pty it serves; a pty pair stands in for it here.
    run_dir = os.path.join(tmp, "run")
    os.makedirs(os.path.join(run_dir, "s7"))
    red_dev, red_peer = env.pty_pair("redirected")
    os.symlink(red_dev, os.path.join(run_dir, "s7", "COM1"))
    targets.append({"name": "laptop-com1", "type": "redirected", "session": "s7", "port": "COM1",
                    "runDir": run_dir})
    peers["laptop-com1"] = Peer(red_peer)
    env.start(targets, GRANTS, USERS)

    # ---- logins -------------------------------------------------------------------------
    status, headers, body = env.request("POST", "/login", {"user": "olga", "password": "owner-pw-1"})
    cookie_header = headers.get("Set-Cookie", "")
    s.check("login ok: 200 with a session cookie and a CSRF token",
            status == 200 and body.get("user") == "olga" and len(body.get("csrf", "")) == 43,
            (status, body))
    s.check("the cookie is HttpOnly, Secure, SameSite=Strict",
            all(a in cookie_header for a in ("HttpOnly", "Secure", "SameSite=Strict")), cookie_header)
    s.check("security headers: HSTS, nosniff, CSP without framing",
            "max-age" in headers.get("Strict-Transport-Security", "") and
            headers.get("X-Content-Type-Options") == "nosniff" and
            "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), headers)
    wrong = "Wr0ng-Pa55-" + os.urandom(4).hex()
    status, _, body = env.request("POST", "/login", {"user": "olga", "password": wrong})
    s.check("wrong password: 401 and a plain message", status == 401 and
            body == {"error": "login failed: wrong user name or password"}, (status, body))
    status, _, body = env.request("POST", "/login", {"user": "olga"})
    s.check("login without a password: 400", status == 400, (status, body))
    olga, olga_csrf = env.login("olga", "owner-pw-1")
    # Five wrong passwords for one user: the sixth try is refused unchecked, even when right.
    for i in range(5):
        env.request("POST", "/login", {"user": "gus", "password": f"guess-{i}"})
    status, headers, body = env.request("POST", "/login", {"user": "gus", "password": "guessed-pw-5"})
    s.check("5 failed logins for a user: the next is refused with 429 and Retry-After",
            status == 429 and int(headers.get("Retry-After", "0")) > 800 and
            "5 failed logins for `gus`" in body.get("error", ""), (status, headers.get("Retry-After"), body))

    # ---- the API needs the cookie; a token in the URL is never read -----------------------
    token = olga.split("=", 1)[1]
    status, _, _ = env.request("GET", "/api/targets?comredir_session=" + token)
    s.check("a session token in the URL is ignored (401)", status == 401, status)
    status, _, body = env.request("GET", "/api/targets", headers={"Cookie": olga})
    names = [t["name"] for t in body.get("targets", [])] if isinstance(body, dict) else []
    s.check("GET /api/targets lists the targets with role and state",
            status == 200 and names == ["fan", "idle", "laptop-com1", "off", "pty1", "slow"],
            (status, body))
    off = [t for t in body["targets"] if t["name"] == "off"][0] if status == 200 else {}
    s.check("a target off in the config says so in the list",
            off.get("enabled") is False and "`enabled: false`" in off.get("offReason", ""), off)

    # ---- WebSocket: CSRF, origin, subprotocol ------------------------------------------
    import websockets
    for label, kw, want in (
            ("no CSRF token", {"subprotocols": ["comredir.console.v1"]}, 403),
            ("a wrong CSRF token", {"subprotocols": ["comredir.console.v1", "csrf.x" + olga_csrf[1:]]}, 403),
            ("a cross-origin page", {"origin": "https://evil.example"}, 403),
            ("no cookie", {"cookie_override": ""}, 401),
            ("a token in the URL instead of the cookie", {"cookie_override": "", "query": "comredir_session=" + token}, 401)):
        cookie = kw.pop("cookie_override", olga)
        try:
            async with env.ws("pty1", cookie, olga_csrf, **kw):
                got = "accepted"
        except websockets.exceptions.InvalidStatusCode as e:
            got = e.status_code
        s.check(f"websocket with {label}: refused with {want}", got == want, got)
    # The same checks without the upgrade (a browser page asks why its handshake failed).
    refusals_before = len([a for a in env.audit() if a["event"] == "console_refused"])
    for label, headers, want, text in (
            ("no cookie", {}, 401, "log in first"),
            ("no CSRF token", {"Cookie": olga}, 403, "CSRF"),
            ("a wrong CSRF token", {"Cookie": olga, "X-CSRF-Token": "x" + olga_csrf[1:]}, 403, "CSRF"),
            ("a cross-origin page", {"Cookie": olga, "X-CSRF-Token": olga_csrf, "Origin": "https://evil.example"},
             403, "cross-origin WebSocket refused: the page's origin `https://evil.example`"),
            ("everything right", {"Cookie": olga, "X-CSRF-Token": olga_csrf}, 426, "the checks pass")):
        status, _, body = env.request("GET", "/api/targets/pty1/ws", headers=headers)
        s.check(f"GET on the WebSocket path with {label}: {want}, saying why",
                status == want and text in body.get("error", ""), (status, body))
    s.check("... and asking why is not audited as another refusal",
            len([a for a in env.audit() if a["event"] == "console_refused"]) == refusals_before)
    try:
        async with env.ws("pty1", olga, olga_csrf, origin=f"https://127.0.0.1:{env.port}") as ws:
            hello = await recv_json(ws, "hello")
            s.check("websocket from the gateway's own origin: hello with role and seat",
                    hello["role"] == "owner" and hello["seat"] == "writer" and ws.subprotocol == "comredir.console.v1",
                    hello)
    except Exception as e:  # noqa: BLE001
        s.check("websocket from the gateway's own origin", False, repr(e))

    carl, carl_csrf = env.login("carl", "contrib-pw-2")
    dana, dana_csrf = env.login("dana", "contrib-pw-3")
    rita, rita_csrf = env.login("rita", "reader-pw-4")
    p1 = peers["pty1"]
    await p1.drain()

    # ---- a reader cannot write; a writer can; takeover --------------------------------------
    async with env.ws("pty1", carl, carl_csrf) as wc, env.ws("pty1", rita, rita_csrf) as wr:
        hc = await recv_json(wc, "hello")
        hr = await recv_json(wr, "hello")
        s.check("first contributor writes, the reader watches",
                hc["seat"] == "writer" and hr["seat"] == "spectator" and hr["can"]["write"] is False,
                (hc, hr))
        await wr.send(b"reboot\r")
        n = await recv_json(wr, "read_only")
        s.check("a reader's keystrokes: a notice", "read-only" in n["text"], n)
        await wc.send(b"ls -l\r")
        got = await p1.read(6)
        rest = await p1.drain()
        s.check("the writer's keystrokes reach the target; the reader's never",
                got == b"ls -l\r" and b"reboot" not in rest, (got, rest))
        await p1.write(b"total 0\r\n")
        o1 = await recv_bytes(wc, 9)
        o2 = await recv_bytes(wr, 9)
        s.check("output reaches writer and spectator", o1 == o2 == b"total 0\r\n", (o1, o2))

        async with env.ws("pty1", dana, dana_csrf, query="takeover=1") as wd:
            hd = await recv_json(wd, "hello")
            taken = await recv_json(wc, "taken_over")
            took = await recv_json(wd, "took_over")
            s.check("takeover: the newcomer holds the seat and is told from whom",
                    took["from"] == "carl" and hd["can"]["takeover"] is True, (hd, took))
            s.check("takeover: the previous writer is told who and when, and now watches",
                    taken["by"] == "dana" and "took over the console at" in taken["text"] and
                    "now a spectator" in taken["text"], taken)
            logout = await p1.read(5)
            s.check("takeover: the target's logout sequence is sent", logout == b"exit\r", logout)
            await wc.send(b"x")
            n = await recv_json(wc, "read_only")
            await wd.send(b"whoami\r")
            got = await p1.read(7)
            s.check("after takeover the new writer types, the old one cannot",
                    got == b"whoami\r" and "`dana` holds the seat" in n["text"], (got, n))

            # ---- paste limit ---------------------------------------------------------
            paste = ("p" * 2047 + "\r").encode()
            await wd.send(json.dumps({"type": "paste", "length": len(paste)}))
            await wd.send(paste)
            got = await p1.read(2048)
            s.check("a paste of 2,048 characters arrives whole", got == paste, len(got))
            over = "é" * 2049  # 2,049 characters, 4,098 bytes
            await wd.send(json.dumps({"type": "paste", "length": len(over.encode())}))
            await wd.send(over.encode())
            n = await recv_json(wd, "paste_refused")
            leaked = await p1.drain()
            s.check("a paste of 2,049 characters is refused whole, with the limit",
                    n["chars"] == 2049 and n["limit"] == 2048 and leaked == b"", (n, leaked))

            # ---- bad JSON and oversized frames ----------------------------------------
            await wd.send("{not json")
            n = await recv_json(wd, "bad_message")
            await wd.send(b"ok\r")
            got = await p1.read(3)
            s.check("bad JSON: a notice, and the connection goes on",
                    n["text"] == "control message: not JSON at byte 2; it was ignored" and got == b"ok\r", (n, got))
            await wd.send(json.dumps({"type": "reboot"}))
            n = await recv_json(wd, "bad_message")
            s.check("an unknown control type: a notice naming it", '"reboot"' in n["text"], n)
        # dana left holding the seat: logout again
        logout = await p1.read(5)
        s.check("the writer leaving sends the logout sequence", logout == b"exit\r", logout)

    async with env.ws("pty1", carl, carl_csrf) as wc:
        await recv_json(wc, "hello")
        await wc.send(b"z" * (600 * 1024))
        await wait_closed(wc, 10)
        s.check("a frame over 512 KiB closes the connection with 1009",
                wc.close_code == 1009, (wc.close_code, wc.close_reason))
    await p1.drain()

    # ---- replay: what the target printed before, for whoever attaches ---------------------
    await p1.write(b"login: ")
    await asyncio.sleep(0.2)
    async with env.ws("pty1", rita, rita_csrf) as wr:
        hello = await recv_json(wr, "hello")
        replay = await recv_bytes(wr, 7, timeout=3)
        s.check("replay: a spectator attaching later sees the last output first",
                replay.endswith(b"login: ") and hello["limits"]["replayBytes"] == 65536, replay[-40:])

    # ---- a redirected port (the redirector's published pty) ---------------------------------
    red = peers["laptop-com1"]
    async with env.ws("laptop-com1", carl, carl_csrf) as wl:
        hello = await recv_json(wl, "hello")
        await wl.send(b"AT\r")
        got = await red.read(3)
        await red.write(b"OK\r\n")
        back = await recv_bytes(wl, 4)
        s.check("a redirected target: the client's COM port, both ways, unpaced",
                hello["target"]["type"] == "redirected" and hello["limits"]["baud"] == 0 and
                got == b"AT\r" and back == b"OK\r\n", (hello["target"], got, back))

    # ---- NMI / restart: owners, on targets that have them --------------------------------
    async with env.ws("pty1", olga, olga_csrf) as wo:
        await recv_json(wo, "hello")
        await wo.send(json.dumps({"type": "nmi"}))
        n = await recv_json(wo, "refused")
        s.check("nmi on a serial target: refused, only qemu targets have one",
                "only `qemu` targets" in n["text"], n)

    # ---- pacing at the line rate ------------------------------------------------------
    slow = peers["slow"]
    async with env.ws("slow", carl, carl_csrf) as ws:
        await recv_json(ws, "hello")
        data = bytes(range(32, 127)) * 4  # 380 bytes; 1200 baud = 120 bytes a second
        t0 = time.monotonic()
        await ws.send(json.dumps({"type": "paste", "length": len(data)}))
        await ws.send(data)
        got = await slow.read(len(data), timeout=15)
        took = time.monotonic() - t0
        # (380 - 16) / 120 = 3.03 s at the least; a gateway that does not pace takes ~0.
        s.check("input is paced at the line rate (1200 baud: 380 bytes in >= 2.9 s), whole",
                got == data and took >= 2.9, (len(got), round(took, 2)))

    # ---- idle timeout (3 s for this target) ------------------------------------------------
    async with env.ws("idle", carl, carl_csrf) as wi:
        hello = await recv_json(wi, "hello")
        warn = await recv_json(wi, "idle_warning", timeout=5)
        gone = await recv_json(wi, "idle", timeout=5)
        await wait_closed(wi, 5)
        s.check("idle: a warning at half time, then a disconnect naming the setting",
                hello["limits"]["idleSeconds"] == 3 and warn["seconds"] == 1 and
                "`idleTimeoutSeconds` of target `idle`" in gone["text"] and wi.close_code == 1008,
                (hello["limits"], warn, gone, wi.close_code))

    # ---- one target off: by config, and switched by an owner ---------------------------------
    async with env.ws("off", olga, olga_csrf) as wx:
        n = await recv_json(wx, "off")
        await wait_closed(wx, 5)
        s.check("a target off in the config: the attach is refused with the reason",
                "`enabled: false`" in n["text"] and wx.close_code == 1008, (n, wx.close_code))
    status, _, body = env.request("POST", "/api/targets/pty1/disable",
                                  headers={"Cookie": carl, "X-CSRF-Token": carl_csrf})
    s.check("a contributor cannot switch a target off (403)", status == 403 and
            "needs role `owner`" in body.get("error", ""), (status, body))
    status, _, body = env.request("POST", "/api/targets/pty1/disable", headers={"Cookie": olga})
    s.check("switching without the CSRF header: 403", status == 403, (status, body))
    async with env.ws("pty1", carl, carl_csrf) as wc:
        await recv_json(wc, "hello")
        status, _, body = env.request("POST", "/api/targets/pty1/disable",
                                      headers={"Cookie": olga, "X-CSRF-Token": olga_csrf})
        n = await recv_json(wc, "policy")
        s.check("an owner switches pty1 off: 200, and whoever is attached is told and closed",
                status == 200 and "switched off by `olga`" in n["text"], (status, body, n))
    async with env.ws("pty1", carl, carl_csrf) as wc:
        n = await recv_json(wc, "off")
        s.check("while off, attaches are refused with who switched it off",
                "was switched off by `olga`" in n["text"], n)
    mode = oct(os.stat(os.path.join(tmp, "state", "console-switches.json")).st_mode & 0o777)
    s.check("the switch file is written 0600", mode == "0o600", mode)
    status, _, _ = env.request("POST", "/api/targets/pty1/enable",
                               headers={"Cookie": olga, "X-CSRF-Token": olga_csrf})
    async with env.ws("pty1", carl, carl_csrf) as wc:
        hello = await recv_json(wc, "hello")
        s.check("switched on again: attaches work", status == 200 and hello["seat"] == "writer",
                (status, hello))
    await p1.drain()

    # ---- fan-out: 64 spectators + 1 writer see the same SHA-256 of 1 MiB ---------------------
    fan = peers["fan"]
    n_spectators = stress(64, 16)
    payload = os.urandom(1 << 20)
    want = hashlib.sha256(payload).hexdigest()
    clients = [await env.ws("fan", carl, carl_csrf).__aenter__()]
    for _ in range(n_spectators):
        clients.append(await env.ws("fan", rita, rita_csrf).__aenter__())
    for c in clients:
        await recv_json(c, "hello")
    results = await asyncio.gather(
        fan.write(payload, chunk=16384, pause=0.004),
        *[recv_bytes(c, len(payload), timeout=60) for c in clients])
    digests = {hashlib.sha256(r).hexdigest() for r in results[1:]}
    s.check(f"{n_spectators} spectators and the writer all see 1 MiB with the same SHA-256",
            digests == {want}, [len(r) for r in results[1:]][:8])
    for c in clients:
        await c.close()

    # ---- a stalled spectator is dropped, the writer goes on -------------------------------
    writer = await env.ws("fan", carl, carl_csrf).__aenter__()
    staller = await env.ws("fan", rita, rita_csrf, max_queue=1, read_limit=2 ** 16).__aenter__()
    await recv_json(writer, "hello")
    flood = os.urandom(24 << 20)  # more than loopback's socket buffers and the 256 KiB bound
    t0 = time.monotonic()
    written, got = await asyncio.gather(fan.write(flood, chunk=65536),
                                        recv_bytes(writer, len(flood), timeout=120))
    took = time.monotonic() - t0
    # Now read what the staller was sent: its notice and close come at the end.
    dropped = None
    try:
        while True:
            m = await asyncio.wait_for(staller.recv(), 10)
            if isinstance(m, str) and json.loads(m).get("code") == "slow":
                dropped = json.loads(m)
    except Exception:  # noqa: BLE001  (closed, or nothing more)
        pass
    s.check("the writer gets all 24 MiB while a spectator stalls",
            hashlib.sha256(got).digest() == hashlib.sha256(flood).digest(), (len(got), round(took, 1)))
    s.check("the stalled spectator is dropped with a notice and close code 1013",
            dropped is not None and staller.close_code == 1013, (dropped, staller.close_code))
    await writer.close()

    # ---- SIGTERM: everyone told and audited ---------------------------------------------
    ws1 = await env.ws("pty1", carl, carl_csrf).__aenter__()
    ws2 = await env.ws("pty1", rita, rita_csrf).__aenter__()
    for w in (ws1, ws2):
        await recv_json(w, "hello")
    env.daemon.send_signal(15)
    notes = [await recv_json(w, "shutdown") for w in (ws1, ws2)]
    for w in (ws1, ws2):
        await wait_closed(w, 5)
    code = env.daemon.wait(20)
    s.check("SIGTERM: each attached user is told, closed with 1001, exit 0",
            all("shutting down" in n["text"] for n in notes) and ws1.close_code == 1001 and
            ws2.close_code == 1001 and code == 0, (notes, ws1.close_code, code))

    # ---- the audit log and the daemon's log ---------------------------------------------
    audit = env.audit()
    events = [a["event"] for a in audit]
    s.check("audit: logins, a failed login with user and address, attach, takeover, paste refused, "
            "switches, detach on shutdown",
            all(e in events for e in ("console_login", "console_login_failed", "console_attach",
                                      "console_takeover", "console_paste_refused",
                                      "console_switch_off", "console_switch_on", "console_refused",
                                      "console_logout_sent", "console_nmi")) and
            any(a["event"] == "console_detach" and a.get("detail", {}).get("cause") == "shutdown"
                for a in audit), sorted(set(events)))
    failed = [a for a in audit if a["event"] == "console_login_failed"][0]
    s.check("audit: the failed login names user and address", failed.get("user") == "olga" and
            failed.get("client_address") == "127.0.0.1", failed)
    take = [a for a in audit if a["event"] == "console_takeover"][0]
    s.check("audit: takeover from and to", take["detail"] == {"from": "carl", "to": "dana"}, take)
    everything = open(os.path.join(tmp, "audit.jsonl")).read() + env.read_log()
    s.check("no password (right or wrong) in the audit or the daemon's log",
            all(p not in everything for p in list(USERS.values()) + [wrong]), "password found")
    s.check("no keystrokes in the audit (`whoami` typed)", "whoami" not in everything)


async def policy_off_checks(s, env, tmp):
    dev, _peer = env.pty_pair("p")
    pol = os.path.join(tmp, "Registry.pol")
    write_pol(pol, {"Enabled": 0})
    env.start([{"name": "p", "type": "serial", "device": dev}], GRANTS, USERS,
              top={"hosts": {"gw": {"product": "linux", "os": [{"pol": pol}]}}},
              extra={"host": "gw"})
    carl, carl_csrf = env.login("carl", "contrib-pw-2")
    async with env.ws("p", carl, carl_csrf) as ws:
        n = await recv_json(ws, "policy")
        await wait_closed(ws, 5)
        s.check("SerialConsoleEnabled 0 in a Registry.pol: attach refused, the file named",
                n["text"] == "attach refused: the serial console is off: `Allow the serial "
                "console` (SerialConsoleEnabled) Disabled: Enabled = 0 (" + pol + " offset 0x8)"
                and ws.close_code == 1008, (n, ws.close_code))
    refused = [a for a in env.audit() if a["event"] == "console_refused"]
    s.check("the refusal is audited with the deciding setting",
            refused and "SerialConsoleEnabled" in refused[-1]["reason"], refused)
    # Policy read at every attach: switched back on without a restart.
    write_pol(pol, {"Enabled": 1, "AllowTakeover": 0})
    async with env.ws("p", carl, carl_csrf) as w1:
        await recv_json(w1, "hello")
        olga, olga_csrf = env.login("olga", "owner-pw-1")
        async with env.ws("p", olga, olga_csrf, query="takeover=1") as w2:
            n = await recv_json(w2, "seat_refused")
            s.check("policy re-read at attach: on again, and AllowTakeover 0 keeps the seat",
                    "takeover is off (policy `AllowTakeover`)" in n["text"], n)
    # SerialConsoleRoles: only the listed roles attach (an owner is not a listed contributor).
    write_pol(pol, {"Enabled": 1, "RestrictAttachRoles": 1},
              [(SERIAL_KEY + "\\AttachRoles", "1", "Virtual Machine Contributor")])
    async with env.ws("p", olga, olga_csrf) as wo:
        n = await recv_json(wo, "no_role")
        s.check("SerialConsoleRoles lists contributors: an owner is refused, with the policy named",
                "is not among the roles allowed to attach (policy `SerialConsoleRoles`)" in n["text"], n)
    async with env.ws("p", carl, carl_csrf) as wc:
        hello = await recv_json(wc, "hello")
        s.check("... and a contributor attaches", hello["role"] == "contributor", hello)
    # TLS: 1.1 refused, 1.2 and 1.3 accepted (openssl s_client, the client allowed to try 1.1).
    def handshake(flag):
        p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{env.port}", flag,
                            "-cipher", "DEFAULT:@SECLEVEL=0"], input=b"", capture_output=True,
                           timeout=30)
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        return p.returncode == 0 and "Cipher is (NONE)" not in out, out
    ok11, out11 = handshake("-tls1_1")
    ok12, out12 = handshake("-tls1_2")
    ok13, _ = handshake("-tls1_3")
    s.check("TLS 1.1 refused; TLS 1.2 and 1.3 accepted", not ok11 and ok12 and ok13,
            (out11[-300:], out12[-300:]))
    s.check("SIGTERM with nobody attached: exit 0", env.stop() == 0)


async def run(binary):
    missing = missing_tools()
    if missing:
        print("SKIP: missing " + ", ".join(missing))
        sys.exit(77)
    s = Suite(binary, home=tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="console-gw-") as tmp:
        env = ConsoleEnv(binary, tmp)
        try:
            await main_checks(s, env, tmp)
        finally:
            env.stop()
    with tempfile.TemporaryDirectory(prefix="console-pol-") as tmp:
        env = ConsoleEnv(binary, tmp)
        try:
            await policy_off_checks(s, env, tmp)
        finally:
            env.stop()
    s.finish()


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1]))
