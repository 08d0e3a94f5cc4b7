#!/usr/bin/env bash
# Installs everything comredir needs to build and test on Debian 12 (run as root).
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format clang-tidy
  # libraries (ARCHITECTURE.md: all from Debian)
  libpugixml-dev libxml2-dev libdtl-dev libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev doctest-dev libbenchmark-dev
  # independent parsers used as oracles by the cross-checks, and their helpers
  python3 python3-samba freerdp2-dev python3-jsonschema
  # ADMX/ADML schema validation (xmllint)
  libxml2-utils
  # the local HTTPS server of the ARM tests makes its certificate with openssl
  openssl
  # the redirector daemon: FreeRDP server library, PAM and crypt(3) logins
  libpam0g-dev libcrypt-dev libssl-dev
  # its end-to-end tests: the real FreeRDP client on a virtual X display, socat ptys
  freerdp2-x11 xvfb socat
  # the console gateway: Boost.Beast/Asio (1.81: Beast 345), its WebSocket test clients
  libboost1.81-dev python3-websockets
  # its VM test: QEMU (TCG), a kernel to boot, a static busybox and cpio for the initramfs
  qemu-system-x86 linux-image-cloud-amd64 busybox-static cpio
  # its web page's tests: Debian's headless Chromium, its driver, Selenium
  chromium chromium-driver python3-selenium
  # packaging: man pages from --help, the .deb (CPack runs dpkg-shlibdeps from dpkg-dev),
  # its checks (lintian, man -l), the consumer build through pkg-config (above)
  help2man dpkg-dev lintian man-db groff-base
)
# The web page's build runs `npm ci` (console/web): Debian's nodejs and npm, unless a Node.js
# with npm is already installed (a NodeSource nodejs package carries its own npm and
# conflicts with Debian's).
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
