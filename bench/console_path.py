#!/usr/bin/python3
"""Serial console gateway benchmark: comredir-console against a direct pty and against the
stack a Linux admin would otherwise put together (Debian's websockify in front of socat),
all measured in one run.

    bench/console_path.py COMREDIR_CONSOLE [--echoes N] [--rounds N] [--mib N] [--json]

Echo: a WebSocket client sends one byte, a far end echoes it over a pty pair, the client
waits for it; N round trips, median and p99. Three paths, rounds interleaved:
  direct   the same echo straight on the pty (no network at all): the floor;
  peer     wss -> websockify (TLS) -> TCP -> socat -> the pty;
  gateway  wss -> comredir-console (TLS, login cookie, CSRF) -> the pty.
Targets (issue 14): gateway - direct median < 1 ms, p99 < 5 ms; gateway faster than peer.

Fan-out: 1, 16 and 64 read-only spectators (plus the writer) attached while the far end
writes N MiB as fast as the pty takes it; each client's MB/s from its first byte to its
last, and the gateway's resident memory per attached spectator (VmRSS with 64 attached and
idle after their replay, minus VmRSS with none, / 64). Targets: every client >= 1 MB/s,
<= 256 KiB per spectator.

Exit: 0 measured (targets met or not), 1 data lost, 2 usage / missing tools.
"""
import argparse
import asyncio
import json
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
from consoleenv import ConsoleEnv, insecure_context, missing_tools  # noqa: E402


def echo_forever(fd, stop):
    """The far end: every byte back as it comes."""
    import select
    while not stop.is_set():
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if data:
                os.write(fd, data)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def summary(samples):
    ms = [x * 1000 for x in samples]
    return {"median_ms": round(statistics.median(ms), 3), "p99_ms": round(pct(ms, 99), 3)}


def direct_echo(dev, n):
    fd = os.open(dev, os.O_RDWR | os.O_NOCTTY)
    try:
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            os.write(fd, b"x")
            got = b""
            while not got:
                got = os.read(fd, 16)
            out.append(time.perf_counter() - t0)
        return out
    finally:
        os.close(fd)


async def ws_echo(ws, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        await ws.send(b"x")
        while True:
            m = await ws.recv()
            if isinstance(m, bytes):
                break
        out.append(time.perf_counter() - t0)
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def drain_until_quiet(ws, quiet=0.3):
    while True:
        try:
            await asyncio.wait_for(ws.recv(), quiet)
        except asyncio.TimeoutError:
            return


async def fanout(env, cookie, csrf, rcookie, rcsrf, peer_path, spectators, size):
    payload = os.urandom(size)
    clients = [await env.ws("fan", cookie, csrf).__aenter__()]
    for _ in range(spectators):
        clients.append(await env.ws("fan", rcookie, rcsrf, query="mode=read").__aenter__())
    for c in clients:
        await drain_until_quiet(c)

    async def reader(c):
        got = 0
        first = last = None
        deadline = time.monotonic() + 120
        while got < size and time.monotonic() < deadline:
            try:
                m = await asyncio.wait_for(c.recv(), 10)
            except asyncio.TimeoutError:
                break
            except Exception:  # noqa: BLE001  (dropped)
                break
            if isinstance(m, bytes):
                now = time.perf_counter()
                first = first or now
                last = now
                got += len(m)
        secs = (last - first) if first and last and last > first else None
        return got, (got / secs / 1e6) if secs else None

    def writer():
        fd = os.open(peer_path, os.O_RDWR | os.O_NOCTTY)
        try:
            view = memoryview(payload)
            while view:
                n = os.write(fd, view[:65536])
                view = view[n:]
        finally:
            os.close(fd)

    t = threading.Thread(target=writer)
    t.start()
    results = await asyncio.gather(*[reader(c) for c in clients])
    t.join()
    for c in clients:
        await c.close()
    lost = [got for got, _ in results if got != size]
    rates = [r for _, r in results if r]
    return {"spectators": spectators, "clients": len(clients), "mib": size / (1 << 20),
            "lost_clients": len(lost),
            "min_mb_s": round(min(rates), 2) if rates else None,
            "median_mb_s": round(statistics.median(rates), 2) if rates else None}


async def run(args):
    tmp = tempfile.mkdtemp(prefix="console-bench-")
    env = ConsoleEnv(args.binary, tmp)
    stop = threading.Event()
    procs = []
    try:
        # One pty pair per path, each with the same echoing far end (a pty has one reader).
        devs = {}
        for path in ("gateway", "direct", "peer"):
            dev, far = env.pty_pair("echo-" + path)
            devs[path] = dev
            fd = os.open(far, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
            threading.Thread(target=echo_forever, args=(fd, stop), daemon=True).start()
        fan_dev, fan_peer = env.pty_pair("fan")
        env.start([{"name": "echo", "type": "serial", "device": devs["gateway"], "baud": 4000000},
                   {"name": "fan", "type": "serial", "device": fan_dev, "baud": 4000000}],
                  [{"principal": "w", "role": "contributor"}, {"principal": "r", "role": "reader"}],
                  {"w": "bench-pw-1", "r": "bench-pw-2"}, extra={"maxClients": 1000})

        # The peer stack: socat (TCP -> the same pty) behind websockify (TLS).
        sport, wport = free_port(), free_port()
        cert = os.path.join(tmp, "state", "tls", "cert.pem")
        key = os.path.join(tmp, "state", "tls", "key.pem")
        procs.append(subprocess.Popen(["socat", f"TCP-LISTEN:{sport},bind=127.0.0.1,reuseaddr,fork",
                                       f"FILE:{devs['peer']},raw,echo=0"], stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen(["websockify", "--cert", cert, "--key", key, "--ssl-only",
                                       f"127.0.0.1:{wport}", f"127.0.0.1:{sport}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1.0)
        import websockets
        cookie, csrf = env.login("w", "bench-pw-1")
        rcookie, rcsrf = env.login("r", "bench-pw-2")

        samples = {"direct": [], "peer": [], "gateway": []}
        for _ in range(args.rounds):
            async with env.ws("echo", cookie, csrf) as ws:
                await drain_until_quiet(ws)
                samples["gateway"] += await ws_echo(ws, args.echoes)
            samples["direct"] += await asyncio.get_running_loop().run_in_executor(
                None, direct_echo, devs["direct"], args.echoes)
            async with websockets.connect(f"wss://127.0.0.1:{wport}/", ssl=insecure_context(),
                                          subprotocols=["binary"]) as ws:
                samples["peer"] += await ws_echo(ws, args.echoes)
        echo = {k: summary(v) for k, v in samples.items()}
        echo["added_median_ms"] = round(echo["gateway"]["median_ms"] - echo["direct"]["median_ms"], 3)
        echo["added_p99_ms"] = round(echo["gateway"]["p99_ms"] - echo["direct"]["p99_ms"], 3)
        echo["gateway_vs_peer_median"] = round(echo["gateway"]["median_ms"] / echo["peer"]["median_ms"], 3)

        base_rss = rss_kib(env.daemon.pid)
        idle = [await env.ws("fan", rcookie, rcsrf, query="mode=read").__aenter__() for _ in range(64)]
        for c in idle:
            await drain_until_quiet(c, 0.05)
        await asyncio.sleep(0.5)
        rss64 = rss_kib(env.daemon.pid)
        for c in idle:
            await c.close()
        await asyncio.sleep(0.5)
        memory = {"rss_kib_none": base_rss, "rss_kib_64": rss64,
                  "kib_per_spectator": round((rss64 - base_rss) / 64, 1)}

        fan = []
        for n in (1, 16, 64):
            fan.append(await fanout(env, cookie, csrf, rcookie, rcsrf, fan_peer, n,
                                    int(args.mib * (1 << 20))))
        return {"echo": echo, "fanout": fan, "memory": memory,
                "echoes": args.echoes, "rounds": args.rounds}
    finally:
        stop.set()
        for p in procs:
            p.terminate()
            p.wait()
        env.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--echoes", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mib", type=float, default=4)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    missing = missing_tools() + [t for t in ("websockify",) if shutil.which(t) is None]
    if missing:
        print("console_path: missing " + ", ".join(missing), file=sys.stderr)
        return 2
    r = asyncio.run(run(args))
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        e = r["echo"]
        print(f"echo ({r['rounds']} rounds x {r['echoes']} round trips, one byte each):")
        for k in ("direct", "peer", "gateway"):
            print(f"  {k:8} median {e[k]['median_ms']:.3f} ms  p99 {e[k]['p99_ms']:.3f} ms")
        print(f"  added by the gateway: median {e['added_median_ms']:.3f} ms (target < 1), "
              f"p99 {e['added_p99_ms']:.3f} ms (target < 5); gateway/peer median "
              f"{e['gateway_vs_peer_median']:.2f}x (target < 1)")
        for f in r["fanout"]:
            print(f"fan-out {f['spectators']:2} spectators + writer, {f['mib']:.0f} MiB: min "
                  f"{f['min_mb_s']} MB/s, median {f['median_mb_s']} MB/s per client, "
                  f"{f['lost_clients']} lost (target >= 1 MB/s each)")
        m = r["memory"]
        print(f"memory: {m['kib_per_spectator']} KiB per attached spectator (RSS {m['rss_kib_none']} "
              f"-> {m['rss_kib_64']} KiB with 64; target <= 256)")
    return 1 if any(f["lost_clients"] for f in r["fanout"]) else 0


if __name__ == "__main__":
    sys.exit(main())
