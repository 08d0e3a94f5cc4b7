"""A redirector test bench on one machine, shared by the end-to-end test and bench/:
comredir-redirector on 127.0.0.1, a virtual X display, the real FreeRDP client
(`xfreerdp /serial:COM1,<pty>`), and socat pty pairs standing in for the client's serial
device.

    env = RdpEnv(daemon_binary, workdir)
    env.start_daemon(hosts={...}, host="lab")
    far, client = env.serial_pair("a")      # far end (the "device") and the pty xfreerdp opens
    c = env.connect(client, name="lab-client")
    port = env.wait_port(session=None)       # the record from `ports --json`
    ...
    env.stop()
"""
import glob
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import termios
import threading
import time
import tty

TS_KEY = "Software\\Policies\\Microsoft\\Windows NT\\Terminal Services"


def missing_tools():
    return [t for t in ("xfreerdp", "Xvfb", "socat", "openssl") if shutil.which(t) is None]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_pol(path, values):
    """A Registry.pol (PReg version 1) with REG_DWORD `values` under the TS policy key."""
    def u16(s):
        return s.encode("utf-16-le")
    body = b"PReg" + struct.pack("<I", 1)
    for name, value in values.items():
        data = struct.pack("<I", value)
        body += (u16("[") + u16(TS_KEY + "\0") + u16(";") + u16(name + "\0") + u16(";") +
                 struct.pack("<I", 4) + u16(";") + struct.pack("<I", len(data)) + u16(";") +
                 data + u16("]"))
    with open(path, "wb") as f:
        f.write(body)


def read_exact(fd, n, stall):
    """Reads `n` bytes; gives up after `stall` seconds in which nothing arrived (a check of
    what arrives, not of how fast: speed is measured in bench/)."""
    out = bytearray()
    last = time.monotonic()
    while len(out) < n:
        left = last + stall - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], min(left, 0.5))
        if r:
            try:
                chunk = os.read(fd, min(65536, n - len(out)))
            except BlockingIOError:
                continue
            if not chunk:
                break
            out += chunk
            last = time.monotonic()
    return bytes(out)


def write_all(fd, data, stall):
    """Writes `data`; gives up after `stall` seconds in which nothing could be written."""
    off = 0
    last = time.monotonic()
    while off < len(data) and time.monotonic() < last + stall:
        _, w, _ = select.select([], [fd], [], 0.5)
        if w:
            try:
                off += os.write(fd, data[off:off + 16384])
                last = time.monotonic()
            except BlockingIOError:
                pass
    return off


def transfer(src, dst, data, stall):
    """Writes `data` to `src` while reading it from `dst` (a serial line only moves when both
    ends do); returns what arrived. `stall`: seconds without progress on either side before
    giving up."""
    got = []
    reader = threading.Thread(target=lambda: got.append(read_exact(dst, len(data), stall)))
    reader.start()
    write_all(src, data, stall)
    reader.join()
    return got[0]


def arrived(got, sent):
    """How `got` differs from `sent`, for a failed check: short (a stall) or different."""
    if got == sent:
        return "intact"
    if sent.startswith(got):
        return f"{len(got)} of {len(sent)} bytes, the rest did not arrive (a stall)"
    first = next((i for i, (a, b) in enumerate(zip(got, sent)) if a != b),
                 min(len(got), len(sent)))
    return f"{len(got)} bytes, different from byte {first} on"


def open_raw(path, nonblock=True):
    """Opens a tty in raw mode without flushing its input. tty.setraw's default, TCSAFLUSH,
    flushes: on a redirected port that flush is carried to the client as a PURGE and runs
    there when it arrives, discarding whatever the far end sent in the meantime (the README's
    known limits), so a check of the bytes that follow would race with it."""
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY | (os.O_NONBLOCK if nonblock else 0))
    tty.setraw(fd, termios.TCSANOW)
    return fd


class Client:
    def __init__(self, proc, log):
        self.proc, self.log = proc, log

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        if self.alive():
            self.proc.kill()
        self.proc.wait(timeout=10)


class RdpEnv:
    def __init__(self, daemon, workdir, user="alice", password="s3cret-Pw"):
        self.daemon, self.dir = daemon, workdir
        self.user, self.password = user, password
        self.display = None
        self.xvfb = self.proc = None
        self.socats, self.clients = [], []
        self.port = free_port()
        self.run_dir = os.path.join(workdir, "run")
        self.audit = os.path.join(workdir, "audit.jsonl")
        self.config = os.path.join(workdir, "comredir.json")
        self.log_path = os.path.join(workdir, "daemon.log")

    # --- setup ---------------------------------------------------------------------------
    def start_x(self):
        """Starts Xvfb on a display it picks itself (-displayfd): tests run in parallel, and a
        lock file left by an X server that died is the server's to take over, not ours to
        guess about."""
        r, w = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-nolisten", "tcp",
                                      "-screen", "0", "640x480x24"], pass_fds=(w,),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        number = b""
        end = time.monotonic() + 20
        with os.fdopen(r, "rb", buffering=0) as f:
            while not number.endswith(b"\n") and time.monotonic() < end:
                ready, _, _ = select.select([f], [], [], 0.5)
                if ready:
                    chunk = f.read(16)
                    if not chunk:
                        break
                    number += chunk
        if not number.strip().isdigit():
            self.stop_x()
            raise RuntimeError("cannot start Xvfb")
        self.display = ":" + number.strip().decode()

    def stop_x(self):
        """SIGTERM, so that Xvfb removes its lock file and socket (SIGKILL leaves them)."""
        if self.xvfb:
            self.xvfb.terminate()
            try:
                self.xvfb.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.xvfb.kill()
                self.xvfb.wait()
            self.xvfb = None

    def write_config(self, hosts=None, host=None, extra=None):
        users = os.path.join(self.dir, "users")
        if not os.path.exists(users):
            h = subprocess.run(["openssl", "passwd", "-6", self.password], capture_output=True,
                               text=True, check=True).stdout.strip()
            with open(users, "w") as f:
                f.write(f"# test logins\n{self.user}:{h}\n")
            os.chmod(users, 0o600)
        red = {"listen": f"127.0.0.1:{self.port}", "runDir": "run", "stateDir": "state",
               "auditLog": "audit.jsonl", "auth": {"method": "file", "file": "users"}}
        if host:
            red["host"] = host
        red.update(extra or {})
        cfg = {"version": 1, "redirector": red}
        if hosts:
            cfg["hosts"] = hosts
            # The host-pool layer: our embedded store, one pool per host, ports allowed.
            store = os.path.join(self.dir, "hostpools.json")
            with open(store, "w") as f:
                json.dump({"version": 1, "hostPools": [
                    {"name": name, "product": "linux",
                     "customRdpProperty": "redirectcomports:i:1"} for name in hosts]}, f)
            cfg["hostPoolStore"] = "hostpools.json"
        tmp = self.config + ".tmp"
        with open(tmp, "w") as f:
            json.dump(cfg, f, indent=2)
        os.replace(tmp, self.config)

    def start_daemon(self, hosts=None, host=None, verbose=False, extra_args=(), extra=None):
        self.write_config(hosts, host, extra)
        self.launch(verbose, extra_args)

    def launch(self, verbose=False, extra_args=()):
        """Starts the daemon on `self.config` as it is; returns once it listens."""
        if self.display is None:
            self.start_x()
        self.log = open(self.log_path, "ab")
        args = [self.daemon, "serve", "--config", self.config, *extra_args]
        if verbose:
            args.append("--verbose")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                     cwd=self.dir)
        end = time.monotonic() + 30
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("daemon exited: " + self.log_text()[-2000:])
            if "listening on" in self.log_text():
                return
            time.sleep(0.05)
        raise RuntimeError("daemon did not listen: " + self.log_text()[-2000:])

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def serial_pair(self, name):
        """A socat pty pair: returns (far end path, path xfreerdp opens)."""
        far = os.path.join(self.dir, f"{name}-far")
        near = os.path.join(self.dir, f"{name}-client")
        p = subprocess.Popen(["socat", f"pty,raw,echo=0,link={far}",
                              f"pty,raw,echo=0,link={near}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.socats.append(p)
        for _ in range(100):
            if os.path.exists(far) and os.path.exists(near):
                return far, os.path.realpath(near)
            time.sleep(0.05)
        raise RuntimeError("socat made no ptys")

    def connect(self, device, name="lab-client", port_name="COM1", password=None):
        log = os.path.join(self.dir, f"xfreerdp-{len(self.clients)}.log")
        env = dict(os.environ, DISPLAY=self.display)
        args = ["xfreerdp", f"/v:127.0.0.1:{self.port}", f"/u:{self.user}",
                f"/p:{password or self.password}", "/cert:ignore", "/sec:tls",
                f"/client-hostname:{name}", "-grab-keyboard", "/log-level:ERROR"]
        if device:
            args.append(f"/serial:{port_name},{device}")
        with open(log, "wb") as out:
            p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        c = Client(p, log)
        self.clients.append(c)
        return c

    # --- observation ---------------------------------------------------------------------
    def ports(self):
        out = subprocess.run([self.daemon, "ports", "--run-dir", self.run_dir, "--json"],
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            return []
        return json.loads(out.stdout)["ports"]

    def wait_port(self, pred=lambda p: True, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for p in self.ports():
                if pred(p):
                    return p
            time.sleep(0.1)
        return None

    def wait_no_port(self, pred, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not any(pred(p) for p in self.ports()):
                return True
            time.sleep(0.1)
        return False

    def audit_lines(self):
        if not os.path.exists(self.audit):
            return []
        with open(self.audit) as f:
            return [json.loads(line) for line in f if line.strip()]

    def wait_audit(self, pred, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for a in self.audit_lines():
                if pred(a):
                    return a
            time.sleep(0.1)
        return None

    def daemon_fds(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def daemon_threads(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/task"))

    def daemon_children(self):
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True)
        return [x for x in out.stdout.split() if x]

    # --- teardown ------------------------------------------------------------------------
    def terminate_daemon(self, timeout=20):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None

    def stop(self):
        for c in self.clients:
            c.kill()
        if self.proc and self.proc.poll() is None:
            self.terminate_daemon()
        for p in self.socats:
            p.kill()
            p.wait()
        self.stop_x()


def client_termios(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        return termios.tcgetattr(fd)
    finally:
        os.close(fd)


def pts_of(pid):
    return [os.readlink(p) for p in glob.glob(f"/proc/{pid}/fd/*")
            if os.readlink(p).startswith("/dev/pts/")]
