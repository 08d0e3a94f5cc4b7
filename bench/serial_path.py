#!/usr/bin/env python3
"""Throughput and echo latency through a serial path between two tty devices.

    serial_path.py HOST_TTY DEVICE_TTY [--mib N] [--echoes N] [--label NAME]

HOST_TTY is where a program on the session host writes (the redirected port), DEVICE_TTY
the far end (the client's device). Both are put in raw mode. Measures:
  - throughput each way: N MiB of random bytes written on one side, read and compared on
    the other (MB/s = 10^6 bytes per second, from the first write to the last byte read);
  - echo round trip: a thread echoes every byte back on DEVICE_TTY; one byte at a time is
    sent from HOST_TTY and its echo awaited (median and p99 in ms).
Prints one JSON object. Exit 1 if bytes were lost or corrupted, 2 on usage errors.
"""
import argparse
import json
import os
import select
import statistics
import sys
import termios
import threading
import time
import tty


def open_raw(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[4] = attrs[5] = termios.B115200
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    return fd


def read_exact(fd, n, deadline):
    chunks, got = [], 0
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        b = os.read(fd, min(65536, n - got))
        if not b:
            break
        chunks.append(b)
        got += len(b)
    return b"".join(chunks)


def throughput(src, dst, size, timeout):
    payload = os.urandom(size)
    result = {}

    def reader():
        result["data"] = read_exact(dst, size, time.monotonic() + timeout)
        result["end"] = time.monotonic()

    t = threading.Thread(target=reader)
    t.start()
    start = time.monotonic()
    view = memoryview(payload)
    while view:
        _, w, _ = select.select([], [src], [], timeout)
        if not w:
            break
        n = os.write(src, view[:65536])
        view = view[n:]
    t.join()
    ok = result.get("data") == payload
    seconds = result["end"] - start
    return {"bytes": size, "seconds": round(seconds, 4), "mb_per_s": round(size / seconds / 1e6, 3),
            "intact": ok, "received": len(result.get("data", b""))}


def latency(host, device, count, timeout):
    stop = threading.Event()

    def echo():
        while not stop.is_set():
            if select.select([device], [], [], 0.05)[0]:
                b = os.read(device, 4096)
                if b:
                    os.write(device, b)

    t = threading.Thread(target=echo, daemon=True)
    t.start()
    samples = []
    for i in range(count):
        byte = bytes([i & 0xFF])
        start = time.perf_counter()
        os.write(host, byte)
        got = read_exact(host, 1, time.monotonic() + timeout)
        if got != byte:
            stop.set()
            t.join()
            return {"count": i, "error": f"echo {i} lost or wrong: {got!r}"}
        samples.append((time.perf_counter() - start) * 1000.0)
    stop.set()
    t.join()  # before the caller closes the fds: their numbers get reused
    samples.sort()
    return {"count": count, "median_ms": round(statistics.median(samples), 3),
            "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host_tty")
    ap.add_argument("device_tty")
    ap.add_argument("--mib", type=float, default=1.0, help="MiB each way (default 1)")
    ap.add_argument("--echoes", type=int, default=500, help="echo round trips (default 500)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per measurement")
    ap.add_argument("--label", default="path")
    a = ap.parse_args()
    host, device = open_raw(a.host_tty), open_raw(a.device_tty)
    size = int(a.mib * 1024 * 1024)
    out = {"label": a.label,
           "host_to_device": throughput(host, device, size, a.timeout),
           "device_to_host": throughput(device, host, size, a.timeout),
           "echo": latency(host, device, a.echoes, a.timeout)}
    print(json.dumps(out))
    intact = out["host_to_device"]["intact"] and out["device_to_host"]["intact"]
    return 0 if intact and "error" not in out["echo"] else 1


if __name__ == "__main__":
    sys.exit(main())
