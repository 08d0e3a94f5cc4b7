"""A small VM for the console tests (console_vm_test.py, console_web_test.py): QEMU (TCG)
boots Debian's cloud kernel with a busybox initramfs built here; COM1 on a unix-socket
chardev and QMP on another, as a `qemu` target of comredir-console expects.

    qemu, serial, qmp = await start_vm(tmp)    # the caller stops `qemu`
"""
import asyncio
import glob
import os
import shutil
import subprocess
import time

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "comredir-vm: up"
while true; do
  setsid sh -c 'exec sh -i </dev/ttyS0 >/dev/ttyS0 2>&1'
done
"""

# A login-style prompt: the typed secret is not echoed; only its length is printed.
ASKPW = r"""#!/bin/sh
stty -echo
printf 'Password: '
read -r pw
stty echo
echo
echo "secret length ${#pw}"
"""


def find_kernel():
    for pattern in ("/boot/vmlinuz-*-cloud-amd64", "/boot/vmlinuz-*"):
        found = sorted(glob.glob(pattern))
        if found and os.access(found[-1], os.R_OK):
            return found[-1]
    return None


def busybox():
    for p in ("/bin/busybox", "/usr/bin/busybox"):
        if os.path.exists(p):
            out = subprocess.run(["file", "-L", p], capture_output=True, text=True).stdout \
                if shutil.which("file") else "statically linked"
            if "statically linked" in out or "static-pie" in out:
                return p
    return None


def build_initramfs(tmp):
    root = os.path.join(tmp, "initramfs")
    for d in ("bin", "proc", "sys", "dev"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy(busybox(), os.path.join(root, "bin", "busybox"))
    for name, text in (("init", INIT), ("bin/askpw", ASKPW)):
        path = os.path.join(root, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
    out = os.path.join(tmp, "initramfs.cpio")
    files = subprocess.run(["find", "."], cwd=root, capture_output=True, check=True).stdout
    with open(out, "wb") as f:
        subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, input=files, stdout=f,
                       check=True)
    return out


def vm_missing():
    """What the VM needs and this machine lacks (empty: it can boot)."""
    missing = [t for t in ("qemu-system-x86_64", "cpio") if shutil.which(t) is None]
    if find_kernel() is None:
        missing.append("a kernel in /boot (linux-image-cloud-amd64)")
    if busybox() is None:
        missing.append("busybox-static")
    return missing


async def start_vm(tmp):
    """Boots the VM (it needs no disk); returns (process, serial socket, QMP socket)."""
    kernel = find_kernel()
    initrd = build_initramfs(tmp)
    serial, qmp = os.path.join(tmp, "serial.sock"), os.path.join(tmp, "qmp.sock")
    qemu = subprocess.Popen(
        ["qemu-system-x86_64", "-m", "256", "-nodefaults", "-no-user-config", "-display", "none",
         "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 panic=-1 quiet",
         "-chardev", f"socket,id=s0,path={serial},server=on,wait=off", "-serial", "chardev:s0",
         "-qmp", f"unix:{qmp},server=on,wait=off"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "qemu.log"), "wb"))
    deadline = time.monotonic() + 20
    while not (os.path.exists(serial) and os.path.exists(qmp)) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return qemu, serial, qmp
