#!/usr/bin/python3
"""comredir-console's web page in a real browser: Debian's headless Chromium driven by
chromedriver through python3-selenium, against the real gateway with pty targets (a shell on
a pty, and raw pty pairs whose far end the test reads byte for byte).

Logs in, types and reads the echo from the terminal's buffer, fits the window (`stty`),
takeover between two browsers with the notice and the live region, a reader whose keys never
reach the target, the paste limit (2,048 arrives whole, 2,049 is refused in the page), the
owner's NMI/Restart behind a confirmation (absent for others), keyboard-only use (Tab reaches
every control, Ctrl+F6 leaves the terminal), EMS keys on a SAC target, the log download,
reconnect with the replay, refusals (wrong password, ended session, wrong CSRF token, a
cross-origin WebSocket) said in the page, no CSP violation, axe-core on every page, and a
screenshot of each page (checked not blank) in ARTIFACTS.

Reports SKIP (77) when the browser, its driver or selenium is missing, or cannot start.

usage: console_web_test.py COMREDIR_CONSOLE WEB_DIR AXE_JS ARTIFACTS
"""
import asyncio
import contextlib
import http.server
import os
import secrets
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from clitest import Suite  # noqa: E402
from consoleenv import ConsoleEnv, Peer, missing_tools  # noqa: E402
from consolevm import start_vm, vm_missing  # noqa: E402
from browser import axe_violations, png_not_blank, prepare, start_browser, wait  # noqa: E402

try:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
except ImportError:  # reported as a SKIP by main()
    ActionChains = Keys = None

USERS = {"olga": "owner-pw-1", "carl": "contrib-pw-2", "rita": "reader-pw-3"}
GRANTS = [{"principal": "olga", "role": "owner"},
          {"principal": "carl", "role": "contributor"},
          {"principal": "rita", "role": "reader"}]


class Page:
    """One browser, logged in as one user."""

    def __init__(self, s, base, downloads):
        self.s, self.base = s, base
        self.d = start_browser(downloads)

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def el(self, id_):
        return self.d.find_element("id", id_)

    def text(self, id_):
        return self.js("const e = document.getElementById(arguments[0]); return e ? e.textContent : null;", id_)

    def visible(self, id_):
        return self.js("const e = document.getElementById(arguments[0]);"
                       "return !!e && !e.closest('[hidden]') && e.offsetParent !== null;", id_)

    def login(self, user, password):
        self.d.get(self.base + "/")
        wait(lambda: self.visible("user"))
        self.el("user").clear()
        self.el("user").send_keys(user)
        self.el("password").send_keys(password)
        self.el("login-submit").click()

    def open_console(self, target, mode=""):
        self.d.get(f"{self.base}/console.html?target={target}" + (f"&mode={mode}" if mode else ""))
        return wait(lambda: self.text("st-link") == "connected" and self.text("st-you") != "—", 15)

    def buffer(self):
        return self.js("return window.comredir ? window.comredir.text() : '';")

    def type(self, keys):
        self.js("window.comredir.terminal.focus();")
        self.d.switch_to.active_element.send_keys(keys)

    def paste_event(self, text):
        """What Ctrl+Shift+V does: a paste event on the terminal's input."""
        self.js("const dt = new DataTransfer(); dt.setData('text/plain', arguments[0]);"
                "const t = document.querySelector('#terminal textarea');"
                "t.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));",
                text)

    def axe(self, axe_source):
        return axe_violations(self.d, axe_source)

    def set_theme(self, value):
        self.js("const t = document.getElementById('theme'); t.value = arguments[0];"
                "t.dispatchEvent(new Event('change'));", value)

    def csp_violations(self):
        return [e["message"] for e in self.d.get_log("browser") if "Content Security Policy" in e["message"]]

    def shot(self, path):
        self.d.save_screenshot(path)
        return os.path.exists(path) and png_not_blank(path)

    def quit(self):
        self.d.quit()


def shell_target(env, name):
    """A shell on its own pty (with echo, as a getty's would be) behind a raw pty the gateway
    opens: what a Linux serial console looks like from the gateway."""
    dev = os.path.join(env.dir, name + ".dev")
    p = subprocess.Popen(["socat", f"pty,raw,echo=0,link={dev}",
                          "exec:/bin/sh -i,pty,setsid,ctty,stderr,sane"],
                         env=dict(os.environ, PS1="web$ ", TERM="xterm", HOME=env.dir),
                         stderr=subprocess.DEVNULL)
    env.procs.append(p)
    wait(lambda: os.path.exists(dev), 5)
    return dev


def peer_read(peer, n, timeout=5):
    return asyncio.run(peer.read(n, timeout))


def peer_drain(peer, quiet=0.5):
    return asyncio.run(peer.drain(quiet))


def checks(s, env, binary, web_dir, axe_source, artifacts, downloads):
    raw_dev, raw_peer_path = env.pty_pair("raw")
    sac_dev, sac_peer_path = env.pty_pair("sac")
    idle_dev, _ = env.pty_pair("idle")
    targets = [{"name": "shell", "type": "serial", "device": shell_target(env, "shell")},
               {"name": "raw", "type": "serial", "device": raw_dev},
               {"name": "sac", "type": "serial", "device": sac_dev, "windowsSac": True},
               {"name": "idle", "type": "serial", "device": idle_dev, "idleTimeoutSeconds": 6}]
    # The VM boots (TCG, some seconds) while the other checks run.
    vm_lacks = vm_missing()
    if not vm_lacks:
        qemu, serial, qmp = asyncio.run(start_vm(env.dir))
        env.procs.append(qemu)
        targets.append({"name": "vm1", "type": "qemu", "socket": serial, "qmp": qmp})
    env.start(targets, GRANTS, USERS, {"webRoot": web_dir})
    raw, sac = Peer(raw_peer_path), Peer(sac_peer_path)
    base = f"https://127.0.0.1:{env.port}"
    status, headers, body = env.request("GET", "/")
    s.check("`/` is the page, with a strict CSP (no inline script), HSTS, nosniff, no framing",
            status == 200 and headers.get("Content-Type", "").startswith("text/html") and
            "script-src" not in headers.get("Content-Security-Policy", "") and
            "default-src 'self'" in headers.get("Content-Security-Policy", "") and
            "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "") and
            "max-age=" in headers.get("Strict-Transport-Security", "") and
            headers.get("X-Content-Type-Options") == "nosniff" and "xterm" not in str(body)[:0],
            headers)
    status, headers, body = env.request("GET", "/vendor/xterm.mjs")
    s.check("xterm.js is served by the gateway itself (no CDN)",
            status == 200 and headers.get("Content-Type", "").startswith("text/javascript") and
            "Terminal" in body, (status, headers))
    status, _, _ = env.request("GET", "/../../etc/passwd")
    s.check("a path outside the page is not a file (401 before login, never the file)", status in (401, 404), status)

    olga = Page(s, base, downloads)
    carl = Page(s, base, downloads)
    rita = Page(s, base, downloads)
    try:
        # ---- logging in ------------------------------------------------------------
        olga.login("olga", "wrong-password")
        s.check("a wrong password is refused, and the page says so",
                wait(lambda: olga.text("login-error") == "Wrong user name or password."), olga.text("login-error"))
        s.check("the login page is not blank", olga.shot(os.path.join(artifacts, "login.png")))
        bad = olga.axe(axe_source)
        s.check("axe-core: no serious or critical violation on the login page", not bad, bad)
        olga.login("olga", USERS["olga"])
        s.check("after login the target list shows every target",
                wait(lambda: olga.js("return [...document.querySelectorAll('#target-rows th')].map(e => e.textContent).join(',')") == ",".join(sorted(t["name"] for t in targets))),
                olga.js("return document.getElementById('target-rows').textContent"))
        s.check("the list says who is signed in", olga.text("who-user") == "olga")
        s.check("the target list page is not blank", olga.shot(os.path.join(artifacts, "targets.png")))
        bad = olga.axe(axe_source)
        s.check("axe-core: no serious or critical violation on the target list", not bad, bad)
        olga.set_theme("dark")
        bad = olga.axe(axe_source)
        s.check("axe-core: none on the target list in the dark theme either", not bad, bad)
        s.check("the dark target list is not blank", olga.shot(os.path.join(artifacts, "targets-dark.png")))
        olga.set_theme("light")

        # ---- a shell: type, read the echo, fit -------------------------------------------
        s.check("the console page attaches as the writer", olga.open_console("shell") and
                "writer" in olga.text("st-you"), olga.text("st-you"))
        wait(lambda: "web$" in olga.buffer(), 10)
        word = "hello-" + secrets.token_hex(4)
        olga.type(f"echo {word}\n")
        lines = wait(lambda: [ln.strip() for ln in olga.buffer().split("\n") if ln.strip() == word], 10)
        s.check("typed `echo hello-<random>`: its output line is in the terminal's buffer", lines, olga.buffer()[-500:])
        olga.el("fit").click()
        rows, cols = olga.js("return [comredir.terminal.rows, comredir.terminal.cols]")
        olga.type("stty size\n")
        s.check("Fit to window sends `stty rows R cols C`: the shell reports the terminal's size",
                wait(lambda: f"\n{rows} {cols}" in olga.buffer(), 10), (rows, cols, olga.buffer()[-300:]))
        s.check("the console page is not blank", olga.shot(os.path.join(artifacts, "console.png")))
        bad = olga.axe(axe_source)
        s.check("axe-core: no serious or critical violation on the console page", not bad, bad)
        olga.set_theme("dark")
        bad = olga.axe(axe_source)
        s.check("axe-core: none on the console page in the dark theme either", not bad, bad)
        s.check("the dark console page is not blank", olga.shot(os.path.join(artifacts, "console-dark.png")))
        olga.set_theme("light")

        # ---- the log download ---------------------------------------------------------------
        olga.el("download").click()
        got = wait(lambda: [f for f in os.listdir(downloads) if f.startswith("shell-") and f.endswith(".log")], 10)
        text = open(os.path.join(downloads, got[0])).read() if got else ""
        s.check("Download log saves the scrollback as text", word in text, got)

        # ---- keyboard only ------------------------------------------------------------------------
        olga.js("window.comredir.terminal.focus();")
        ActionChains(olga.d).key_down(Keys.CONTROL).send_keys(Keys.F6).key_up(Keys.CONTROL).perform()
        left = olga.js("const a = document.activeElement; return !a.closest('.xterm') && a.tagName;")
        s.check("Ctrl+F6 moves the focus out of the terminal, to a control", left in ("BUTTON", "SELECT", "INPUT"), left)
        ActionChains(olga.d).key_down(Keys.CONTROL).send_keys(Keys.F6).key_up(Keys.CONTROL).perform()
        s.check("Ctrl+F6 again goes back into the terminal",
                olga.js("return !!document.activeElement.closest('.xterm');"))
        olga.js("document.activeElement.blur(); document.body.focus();")
        controls = set(olga.js(
            "return [...document.querySelectorAll('button, select, input, a[href]')]"
            ".filter(e => e.offsetParent !== null && !e.disabled && !e.closest('dialog')).map(e => e.id || e.textContent.trim())"))
        reached = set()
        for _ in range(40):
            olga.d.switch_to.active_element.send_keys(Keys.TAB) if olga.js("return document.activeElement !== document.body") \
                else ActionChains(olga.d).send_keys(Keys.TAB).perform()
            a = olga.js("const a = document.activeElement; return a.id || a.textContent.trim();")
            ring = olga.js("const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;")
            if a in controls and ring:
                reached.add(a)
            if olga.js("return !!document.activeElement.closest('.xterm');"):
                break
        s.check("Tab reaches every control on the console page, each with a visible focus ring, then the terminal",
                controls <= reached, sorted(controls - reached))
        olga.js("window.comredir.terminal.focus();")

        # ---- takeover between two browsers; a reader ------------------------------------------
        s.check("a second browser logs in as a contributor", (carl.login("carl", USERS["carl"]), wait(lambda: carl.text("who-user") == "carl"))[1])
        s.check("olga attaches to `raw` as the writer", olga.open_console("raw") and "writer" in olga.text("st-you"))
        s.check("carl attaches as a spectator and is offered Take over", carl.open_console("raw") and
                "spectator" in carl.text("st-you") and carl.visible("takeover") and not carl.visible("release"),
                carl.text("st-you"))
        s.check("carl sees who holds the seat", (carl.text("st-writer") or "").startswith("olga since"), carl.text("st-writer"))
        peer_drain(raw)
        carl.type("zz")
        s.check("a spectator's keys are not sent, and the page says why",
                peer_drain(raw) == b"" and "You are watching" in (carl.text("notice") or ""), carl.text("notice"))
        carl.el("takeover").click()
        s.check("carl took over: he is the writer", wait(lambda: "writer" in carl.text("st-you")), carl.text("st-you"))
        s.check("olga's page shows the takeover notice",
                wait(lambda: "carl took over the seat" in (olga.text("notice") or "")), olga.text("notice"))
        s.check("the live region announces the takeover",
                wait(lambda: "carl took over the seat" in (olga.text("alert") or "") + (olga.text("live") or "")),
                (olga.text("alert"), olga.text("live")))
        peer_drain(raw)
        olga.type("qq")
        carl.type("ab")
        s.check("after the takeover only the new writer's keys reach the target", peer_drain(raw) == b"ab")

        # ---- paste ----------------------------------------------------------------------------
        peer_drain(raw)
        carl.paste_event("x" * 2048)
        got = peer_read(raw, 2048, 10)
        s.check("a paste of 2,048 characters arrives whole", got == b"x" * 2048 and peer_drain(raw) == b"", len(got))
        carl.paste_event("y" * 2049)
        s.check("a paste of 2,049 characters is refused in the page, with the limit",
                wait(lambda: "2,049" in (carl.text("notice") or "") and "2,048" in carl.text("notice")), carl.text("notice"))
        s.check("... and nothing of it reaches the target", peer_drain(raw) == b"")
        asyncio.run(raw.write(b"\x1b[?2004h"))  # the application asks for bracketed paste
        wait(lambda: carl.js("return window.comredir.terminal.modes.bracketedPasteMode"), 5)
        carl.paste_event("b" * 2048)
        got = peer_read(raw, 2048 + 12, 10)
        s.check("bracketed paste: 2,048 characters between the markers, which do not count",
                got == b"\x1b[200~" + b"b" * 2048 + b"\x1b[201~" and peer_drain(raw) == b"", got[:20])
        asyncio.run(raw.write(b"\x1b[?2004l"))
        # 24-bit colour (xterm draws it with style attributes: allowed by the CSP) and a line
        # to copy.
        asyncio.run(raw.write(b"\x1b[38;2;200;30;30mcopy-me-123\x1b[0m\r\n"))
        wait(lambda: "copy-me-123" in carl.buffer())
        carl.js("window.comredir.terminal.selectAll();")
        carl.d.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        carl.js("window.comredir.terminal.focus();")
        ActionChains(carl.d).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("c").key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
        clip = carl.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "navigator.clipboard.readText().then(done, e => done('error: ' + e));")
        s.check("Ctrl+Shift+C copies the selection to the clipboard", "copy-me-123" in clip and
                "Copied" in (carl.text("notice") or ""), (clip[:80], carl.text("notice")))
        ActionChains(carl.d).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("v").key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
        s.check("Ctrl+Shift+C and Ctrl+Shift+V send no control character to the target (no ^C, no ^V)",
                b"\x03" not in peer_drain(raw) and b"\x16" not in peer_drain(raw))
        carl.js("window.comredir.terminal.clearSelection();")
        carl.el("paste").click()
        carl.js("const t = document.getElementById('paste-text'); t.value = 'z'.repeat(2049);"
                "t.dispatchEvent(new Event('input'));")
        s.check("the Paste dialog counts against the limit and will not send 2,049",
                "2,049" in carl.text("paste-count") and carl.js("return document.getElementById('paste-send').disabled"),
                carl.text("paste-count"))
        carl.js("const t = document.getElementById('paste-text'); t.value = 'line1\\nline2';"
                "t.dispatchEvent(new Event('input'));")
        carl.el("paste-send").click()
        s.check("the Paste dialog sends text with CR line ends", peer_read(raw, 11, 5) == b"line1\rline2")

        # ---- a reader ---------------------------------------------------------------------------
        rita.login("rita", USERS["rita"])
        wait(lambda: rita.text("who-user") == "rita")
        s.check("a reader attaches read-only, without Take over", rita.open_console("raw", "read") and
                "spectator" in rita.text("st-you") and not rita.visible("takeover") and not rita.visible("request"),
                rita.text("st-you"))
        peer_drain(raw)
        rita.type("rr")
        rita.paste_event("rrr")
        s.check("a reader's keys and pastes never reach the target", peer_drain(raw) == b"")
        s.check("NMI and Restart are absent for a reader and a contributor",
                not rita.visible("nmi") and not rita.visible("restart") and
                not carl.visible("nmi") and not carl.visible("restart"))

        # ---- replay and reconnect -----------------------------------------------------------------
        asyncio.run(raw.write(b"before-the-drop\r\n"))
        wait(lambda: "before-the-drop" in carl.buffer())
        status, _, _ = env.request("POST", "/api/targets/raw/disable", headers=olga_headers(env))
        s.check("an owner switches `raw` off: everyone is disconnected, and the page says why",
                status == 200 and wait(lambda: carl.visible("disconnected") and "switched off" in (carl.text("disconnected-text") or "")),
                (status, carl.text("disconnected-text")))
        env.request("POST", "/api/targets/raw/enable", headers=olga_headers(env))
        before = carl.js("return document.activeElement.tagName + '.' + document.activeElement.className")
        carl.d.switch_to.active_element.send_keys("x")
        s.check("one keypress reconnects", wait(lambda: carl.text("st-link") == "connected" and not carl.visible("disconnected"), 10),
                (before, carl.text("st-link"), carl.text("disconnected-text")))
        s.check("the replay restores the context after the reconnect",
                wait(lambda: "before-the-drop" in carl.buffer()), carl.buffer()[-300:])

        # ---- SAC function keys ------------------------------------------------------------------------
        carl.open_console("sac")
        peer_drain(sac)
        carl.js("document.getElementById('fkey').value = 'f8';")
        carl.el("send-key").click()
        s.check("F8 on a Windows SAC target sends the EMS sequence Esc 8", peer_read(sac, 2) == b"\x1b8")
        carl.js("document.getElementById('fkey').value = 'sac-channel';")
        carl.el("send-key").click()
        s.check("the SAC channel switch sends Esc Tab", peer_read(sac, 2) == b"\x1b\t")
        s.check("no `stty` Fit to window on a Windows SAC target", not carl.visible("fit"))

        # ---- screen reader mode, the idle warning ---------------------------------------------
        carl.open_console("raw")
        asyncio.run(raw.write(b"for-the-screen-reader\r\n"))
        carl.el("screen-reader").click()
        s.check("screen reader mode gives the terminal's lines to the accessibility tree",
                wait(lambda: "for-the-screen-reader" in (carl.js(
                    "const t = document.querySelector('.xterm-accessibility-tree'); return t ? t.textContent : '';") or "")))
        carl.el("screen-reader").click()
        carl.open_console("idle")
        s.check("an idle writer sees the warning with a countdown in the page",
                wait(lambda: "Idle: you will be disconnected in" in (carl.text("notice") or ""), 8), carl.text("notice"))
        s.check("... the live region announces it",
                wait(lambda: "Idle warning" in (carl.text("alert") or ""), 3), carl.text("alert"))
        s.check("... then the disconnect, and why",
                wait(lambda: carl.visible("disconnected") and "idle" in (carl.text("disconnected-text") or ""), 10),
                carl.text("disconnected-text"))

        # ---- NMI and Restart on a VM (owners only, behind a confirmation) -------------------------------
        if vm_lacks:
            print("skip  NMI and Restart on a real VM: missing " + ", ".join(vm_lacks))
        else:
            vm_checks(s, olga, carl, artifacts)

        # ---- refusals said in the page --------------------------------------------------------------
        carl.open_console("raw")
        for label, token in (("a wrong CSRF token", "wrong-token"), ("no CSRF token at all", "")):
            carl.js("window.comredir.session.csrf = arguments[0];", token)
            drop_everyone(env, "raw", carl)
            carl.el("reconnect").click()
            s.check(f"{label}: refused, and the page says so",
                    wait(lambda: "missing or wrong CSRF token" in (carl.text("disconnected-text") or "")),
                    carl.text("disconnected-text"))
            carl.el("reconnect").click()
            s.check("the next try takes a fresh token and attaches",
                    wait(lambda: carl.text("st-link") == "connected" and not carl.visible("disconnected")),
                    carl.text("disconnected-text"))
        carl.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch('/logout', {method: 'POST', headers: {'X-CSRF-Token': window.comredir.session.csrf}}).then(done, done);")
        drop_everyone(env, "raw", carl)
        carl.el("reconnect").click()
        s.check("an ended session: the page says to log in again, with a link",
                wait(lambda: "log in again" in (carl.text("disconnected-text") or "") and carl.visible("relogin")),
                carl.text("disconnected-text"))
        carl.d.get(base + "/console.html?target=raw")
        s.check("... and the console page, opened again, sends you to the login form with a note",
                wait(lambda: carl.visible("user") and "Log in to open the console" in (carl.text("page-notice") or "")),
                carl.text("page-notice"))
        for _ in range(5):
            carl.login("nobody-here", "guess")
            wait(lambda: carl.text("login-error"))
        carl.login("nobody-here", "guess")
        s.check("too many failed logins: the form says how long to wait",
                wait(lambda: "Too many failed logins: try again in 15 minutes" in (carl.text("login-error") or "")),
                carl.text("login-error"))

        # A page from another origin (another port of 127.0.0.1: the same site, so the
        # browser sends the cookie) opens a WebSocket to the gateway with a valid token.
        token = olga.js("return window.comredir.session.csrf;")
        with foreign_site(os.path.join(env.dir, "state", "tls")) as foreign:
            olga.d.get(foreign)
            code = olga.d.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "const ws = new WebSocket(arguments[0], ['comredir.console.v1', 'csrf.' + arguments[1]]);"
                "let opened = false; ws.onopen = () => { opened = true; };"
                "ws.onclose = (e) => done({opened, code: e.code});"
                "setTimeout(() => done({opened, code: 'no close in 10 s', state: ws.readyState}), 10000);",
                f"wss://127.0.0.1:{env.port}/api/targets/raw/ws", token)
        refused = [a for a in env.audit() if a.get("event") == "console_refused" and a.get("detail", {}).get("cause") == "origin"]
        s.check("a cross-origin WebSocket is refused before it opens (audited with the origin)",
                code == {"opened": False, "code": 1006} and refused, (code, refused[-1:] if refused else env.audit()[-3:]))

        for name, page in (("olga", olga), ("carl", carl), ("rita", rita)):
            bad = page.csp_violations()
            s.check(f"no Content-Security-Policy violation in {name}'s browser", not bad, bad[:3])
    finally:
        for p in (olga, carl, rita):
            p.quit()


def vm_checks(s, olga, carl, artifacts):
    s.check("an owner attaches to the VM", olga.open_console("vm1"))
    s.check("the VM's boot and shell prompt are in the terminal",
            wait(lambda: "comredir-vm: up" in olga.buffer() and "# " in olga.buffer(), 90), olga.buffer()[-300:])
    s.check("the owner has Send NMI and Restart", olga.visible("nmi") and olga.visible("restart"))
    olga.type("uname -sr\n")
    wait(lambda: "\nLinux " in olga.buffer(), 10)
    s.check("a contributor attached to the VM has neither",
            carl.open_console("vm1") and not carl.visible("nmi") and not carl.visible("restart"))
    wait(lambda: olga.text("st-spectators") == "1")
    s.check("the VM's console page is not blank (docs/images/console-web.png is this picture)",
            olga.shot(os.path.join(artifacts, "console-vm.png")))
    olga.el("nmi").click()
    s.check("Send NMI asks first, Cancel focused",
            olga.js("return document.getElementById('confirm').open && document.activeElement.id === 'confirm-cancel'")
            and "NMI" in olga.text("confirm-title"), olga.text("confirm-title"))
    olga.el("confirm-cancel").click()
    time.sleep(2)
    s.check("cancelled: no NMI reaches the VM", "NMI received" not in olga.buffer())
    olga.el("nmi").click()
    olga.el("confirm-ok").click()
    s.check("confirmed: the guest kernel reports the NMI",
            wait(lambda: "NMI received" in olga.buffer(), 30), olga.buffer()[-300:])
    ups = olga.buffer().count("comredir-vm: up")
    olga.el("restart").click()
    s.check("Restart asks first", olga.js("return document.getElementById('confirm').open") and
            "Restart" in olga.text("confirm-title"))
    olga.el("confirm-ok").click()
    s.check("confirmed: the VM boots again",
            wait(lambda: olga.buffer().count("comredir-vm: up") > ups, 90), olga.buffer()[-300:])


@contextlib.contextmanager
def foreign_site(tls_dir):
    """An HTTPS page on another port of 127.0.0.1 (the gateway's certificate), with no CSP of
    its own: the cross-origin page of the origin check."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the library's name)
            body = b"<!doctype html><title>elsewhere</title><p>another site"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem"))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def drop_everyone(env, target, page):
    """The owner switches `target` off (everyone attached is disconnected) and on again."""
    env.request("POST", f"/api/targets/{target}/disable", headers=olga_headers(env))
    wait(lambda: page.visible("disconnected"))
    env.request("POST", f"/api/targets/{target}/enable", headers=olga_headers(env))


_OLGA = {}


def olga_headers(env):
    if "h" not in _OLGA:
        cookie, csrf = env.login("olga", USERS["olga"])
        _OLGA["h"] = {"Cookie": cookie, "X-CSRF-Token": csrf}
    return _OLGA["h"]


def main(binary, web_dir, axe_js, artifacts):
    missing = missing_tools()
    if not os.path.exists(os.path.join(web_dir, "index.html")):
        missing.append(f"the built page ({web_dir})")
    axe_source = prepare(axe_js, artifacts, missing)
    s = Suite(binary, home=tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="console-web-") as tmp:
        downloads = os.path.join(tmp, "downloads")
        os.makedirs(downloads)
        try:
            start_browser(downloads).quit()
        except Exception as e:  # noqa: BLE001
            print(f"SKIP: the browser does not start: {str(e).splitlines()[0]}")
            sys.exit(77)
        env = ConsoleEnv(binary, tmp)
        try:
            checks(s, env, binary, web_dir, axe_source, artifacts, downloads)
        finally:
            env.stop()
    s.finish()


if __name__ == "__main__":
    main(*sys.argv[1:5])
