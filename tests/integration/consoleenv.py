"""A comredir-console test bench on one machine, shared by the gateway tests, the VM test
and bench/console_path.py: the gateway on 127.0.0.1 (port 0, read back from --port-file),
socat pty pairs standing in for serial devices, logins over HTTPS and WebSocket clients
(Debian python3-websockets).

    env = ConsoleEnv(binary, workdir)
    dev, peer = env.pty_pair("a")          # the gateway opens `dev`; the test plays `peer`
    env.start(targets=[{...}], grants=[...], users={"alice": "secret"})
    cookie, csrf = env.login("alice", "secret")
    async with env.ws("pty1", cookie, csrf) as ws: ...
    env.stop()
"""
import asyncio
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import time


def missing_tools():
    missing = [t for t in ("socat", "openssl") if shutil.which(t) is None]
    try:
        import websockets  # noqa: F401
    except ImportError:
        missing.append("python3-websockets")
    return missing


def insecure_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def crypt_hash(password):
    return subprocess.run(["openssl", "passwd", "-6", password], check=True,
                          capture_output=True, text=True).stdout.strip()


class Peer:
    """The far end of a target's pty pair: what the serial device would see and say."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)

    async def read(self, n, timeout=10):
        out = bytearray()
        deadline = time.monotonic() + timeout
        while len(out) < n and time.monotonic() < deadline:
            try:
                chunk = os.read(self.fd, n - len(out))
                out += chunk
            except BlockingIOError:
                await asyncio.sleep(0.005)
        return bytes(out)

    async def drain(self, quiet=0.2):
        """Everything that arrives until `quiet` seconds pass with nothing."""
        out = bytearray()
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            try:
                out += os.read(self.fd, 65536)
                last = time.monotonic()
            except BlockingIOError:
                await asyncio.sleep(0.01)
        return bytes(out)

    async def write(self, data, chunk=4096, pause=0.0):
        for i in range(0, len(data), chunk):
            view = data[i:i + chunk]
            while view:
                try:
                    n = os.write(self.fd, view)
                    view = view[n:]
                except BlockingIOError:
                    await asyncio.sleep(0.002)
            if pause:
                await asyncio.sleep(pause)


class ConsoleEnv:
    def __init__(self, binary, workdir):
        self.binary, self.dir = binary, workdir
        self.procs = []
        self.daemon = None
        self.port = None

    def pty_pair(self, name):
        """Two linked ptys: `<dir>/<name>.dev` (the target) and `<dir>/<name>.peer`."""
        dev, peer = os.path.join(self.dir, name + ".dev"), os.path.join(self.dir, name + ".peer")
        p = subprocess.Popen(["socat", f"pty,raw,echo=0,link={dev}", f"pty,raw,echo=0,link={peer}"],
                             stderr=subprocess.DEVNULL)
        self.procs.append(p)
        deadline = time.monotonic() + 5
        while not (os.path.exists(dev) and os.path.exists(peer)):
            if time.monotonic() > deadline:
                raise RuntimeError("socat made no ptys")
            time.sleep(0.02)
        return dev, peer

    def write_config(self, targets, grants, users, extra=None, top=None):
        with open(os.path.join(self.dir, "users"), "w") as f:
            for u, p in users.items():
                f.write(f"{u}:{crypt_hash(p)}\n")
        console = {"listen": "127.0.0.1:0", "stateDir": "state", "auditLog": "audit.jsonl",
                   "auth": {"method": "file", "file": "users"}, "grants": grants, "targets": targets}
        console.update(extra or {})
        doc = {"version": 1, "console": console}
        doc.update(top or {})
        self.config = os.path.join(self.dir, "comredir.json")
        with open(self.config, "w") as f:
            json.dump(doc, f, indent=2)

    def start(self, targets, grants, users, extra=None, top=None, env=None):
        self.write_config(targets, grants, users, extra, top)
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.log = open(os.path.join(self.dir, "daemon.log"), "ab")
        self.daemon = subprocess.Popen([self.binary, "serve", "--config", self.config,
                                        "--port-file", port_file],
                                       stdout=self.log, stderr=self.log,
                                       env=dict(os.environ, **(env or {})))
        deadline = time.monotonic() + 30
        while True:
            if self.daemon.poll() is not None:
                raise RuntimeError(f"comredir-console exited {self.daemon.returncode}: "
                                   + self.read_log())
            if os.path.exists(port_file) and open(port_file).read().strip():
                self.port = int(open(port_file).read())
                return
            if time.monotonic() > deadline:
                raise RuntimeError("comredir-console did not start: " + self.read_log())
            time.sleep(0.05)

    def read_log(self):
        with open(os.path.join(self.dir, "daemon.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def audit(self):
        path = os.path.join(self.dir, "audit.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def request(self, method, path, body=None, headers=None):
        """(status, headers, parsed JSON or text)"""
        c = http.client.HTTPSConnection("127.0.0.1", self.port, context=insecure_context(),
                                        timeout=30)
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else body
            h.setdefault("Content-Type", "application/json")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read().decode("utf-8", "replace")
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw
        c.close()
        return r.status, dict(r.getheaders()), parsed

    def login(self, user, password):
        status, headers, body = self.request("POST", "/login", {"user": user, "password": password})
        if status != 200:
            raise RuntimeError(f"login {user}: {status} {body}")
        return headers["Set-Cookie"].split(";")[0], body["csrf"]

    def ws(self, target, cookie, csrf, query="", origin=None, subprotocols=None, **kw):
        import websockets
        headers = {"Cookie": cookie} if cookie else {}
        if origin:
            headers["Origin"] = origin
        protos = subprotocols if subprotocols is not None else ["comredir.console.v1",
                                                                 "csrf." + csrf]
        url = f"wss://127.0.0.1:{self.port}/api/targets/{target}/ws" + (f"?{query}" if query else "")
        return websockets.connect(url, ssl=insecure_context(), subprotocols=protos,
                                  extra_headers=headers, max_size=None, **kw)

    def stop(self, sig=signal.SIGTERM):
        code = None
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(sig)
            try:
                code = self.daemon.wait(20)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                code = self.daemon.wait()
        elif self.daemon:
            code = self.daemon.returncode
        for p in self.procs:
            p.kill()
            p.wait()
        self.procs = []
        return code


async def recv_json(ws, want=None, timeout=10):
    """The next text message (skipping binary ones), or the first whose type/code is `want`."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no message {want or ''} in {timeout} s")
        m = await asyncio.wait_for(ws.recv(), left)
        if isinstance(m, bytes):
            continue
        j = json.loads(m)
        if want is None or j.get("type") == want or j.get("code") == want:
            return j


async def recv_bytes(ws, n, timeout=10):
    """`n` bytes of terminal output (text messages are skipped)."""
    out = bytearray()
    deadline = time.monotonic() + timeout
    while len(out) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            m = await asyncio.wait_for(ws.recv(), left)
        except asyncio.TimeoutError:
            break
        if isinstance(m, bytes):
            out += m
    return bytes(out)


async def wait_closed(ws, timeout=5):
    """Until the gateway has closed `ws` (or `timeout` passes); then ws.close_code says how."""
    try:
        await asyncio.wait_for(ws.wait_closed(), timeout)
    except asyncio.TimeoutError:
        pass
