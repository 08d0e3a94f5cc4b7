#!/usr/bin/python3
"""comredir as installed software, for a third-party program: `cmake --install` of the dev
and runtime components into a temporary root (DESTDIR, so /etc/pam.d lands there too), then a consumer project (tests/package/
consumer) built against the *installed* CMake package and, separately, through pkg-config;
each must compile, link, and resolve com_ports on two real Registry.pol files (deny from
the GPO that sets fDisableCcm = 1, allow from the local GPO that sets it to 0). Also the
package's version and components: an incompatible version and an unknown component fail.

usage: install_test.py BUILD_DIR SOURCE_DIR CXX "CXXFLAGS" VERSION INSTALL_PREFIX
"""
import os
import shutil
import subprocess
import sys
import tempfile

from pathlib import Path

BUILD, SRC, CXX, CXXFLAGS, VERSION, INSTALL_PREFIX = sys.argv[1:7]
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from clitest import Suite  # noqa: E402

if shutil.which("pkg-config") is None:
    print("skip: pkg-config is not installed")
    sys.exit(77)

GPO = os.path.join(SRC, "examples", "sysvol", "contoso.com", "Policies",
                   "{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}", "Machine", "Registry.pol")
LOCAL = os.path.join(SRC, "examples", "local-gpo", "Machine", "Registry.pol")
s = Suite("/bin/true", home="/tmp")
tmp = tempfile.mkdtemp(prefix="comredir-install-")


def sh(*cmd, env=None, cwd=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)
    return p.returncode, p.stdout, p.stderr


try:
    root = os.path.join(tmp, "root")
    prefix = root + INSTALL_PREFIX
    env_root = dict(os.environ, DESTDIR=root)
    results = [sh("cmake", "--install", BUILD, "--component", c, env=env_root) for c in ("dev", "runtime")]
    s.check("cmake --install of the dev and runtime components into a temporary root",
            all(r[0] == 0 for r in results), [r[2][-600:] for r in results])
    s.check("nothing is installed outside it", all(f"-- Installing: {root}/" in line or "Up-to-date" in line
                                                    for r in results for line in r[1].splitlines()
                                                    if line.startswith("-- Installing")), results[1][1][-400:])
    files = sorted(str(p.relative_to(prefix)) for p in Path(prefix).rglob("*") if p.is_file())
    libdir = next((os.path.dirname(f) for f in files if f.endswith("libcomredir-policy.a")), "")
    want = [f"{libdir}/libcomredir-policy.a", f"{libdir}/libcomredir-redirector.a", f"{libdir}/libcomredir-host.a",
            f"{libdir}/cmake/comredir/comredirConfig.cmake", f"{libdir}/cmake/comredir/comredirConfigVersion.cmake",
            f"{libdir}/cmake/comredir/comredirPolicyTargets.cmake", f"{libdir}/pkgconfig/comredir-policy.pc",
            f"{libdir}/pkgconfig/comredir-redirector.pc", "include/comredir/version.hpp",
            "include/comredir/policy/resolve/resolver.hpp", "include/comredir/redirector/gate.hpp",
            "include/comredir/host/log.hpp", "bin/comredir-policy", "bin/comredir-console", "sbin/comredir-redirector",
            f"{libdir}/comredir/libcomredir_http.so", "share/comredir/admx/comredir.admx",
            "share/comredir/admx/en-US/comredir.adml", "share/comredir/schemas/report.schema.json",
            "lib/systemd/system/comredir-redirector.service", "lib/systemd/system/comredir-console.service",
            "share/man/man1/comredir-policy.1.gz", "share/man/man8/comredir-redirector.8.gz",
            "share/bash-completion/completions/comredir-policy", "share/doc/comredir/copyright"]
    missing = [f for f in want if f not in files]
    s.check("the prefix holds libraries, headers, CMake package, .pc files, programs, modules and data",
            libdir and not missing, (libdir, missing))
    s.check("no private header is installed (libpolicy/src stays private)",
            not [f for f in files if "/io/json_locate.hpp" in f or "/io/text.hpp" in f])

    flags = CXXFLAGS.split()
    # Every installed header on its own line of one file, compiled as a consumer with GNU
    # extensions would (CMake's default): a header that needs a private one, or an
    # identifier such as `linux` (a macro under -std=gnu++20), fails here.
    headers = sorted(f[len("include/"):] for f in files if f.startswith("include/comredir/") and f.endswith(".hpp"))
    every = os.path.join(tmp, "every_header.cpp")
    with open(every, "w") as f:
        f.write("".join(f"#include <{h}>\n" for h in headers) + "int main() {}\n")
    code, out, err = sh(CXX, "-std=gnu++20", "-fsyntax-only", "-I", os.path.join(prefix, "include"), every)
    public = sum(1 for d in ("libpolicy", "redirector", "libhost")
                 for p in Path(SRC, d, "include").rglob("*.hpp")) + 1  # + the generated version.hpp
    s.check(f"all {len(headers)} public headers are installed and compile together from the prefix alone, "
            "under -std=gnu++20", code == 0 and len(headers) == public, (len(headers), public, err[-1500:]))
    # ---- the CMake package -----------------------------------------------------------------
    build = os.path.join(tmp, "consumer-cmake")
    code, out, err = sh("cmake", "-S", os.path.join(SRC, "tests", "package", "consumer"), "-B", build,
                        f"-DCMAKE_PREFIX_PATH={prefix}", f"-DCMAKE_CXX_COMPILER={CXX}",
                        f"-DCMAKE_CXX_FLAGS={CXXFLAGS}", f"-DCMAKE_EXE_LINKER_FLAGS={CXXFLAGS}")
    s.check("the consumer project configures: find_package(comredir 0.1 CONFIG) finds the installed package",
            code == 0 and f"{prefix}/" in open(os.path.join(build, "CMakeCache.txt")).read(), err[-800:])
    code, out, err = sh("cmake", "--build", build)
    s.check("... compiles and links against comredir::policy", code == 0, (out + err)[-1500:])
    consumer = os.path.join(build, "consumer")
    code, out, err = sh(consumer, GPO)
    s.check("... and resolves com_ports on the GPO's Registry.pol: deny by the OS policy",
            code == 0 and out.splitlines()[0] == "com_ports: deny (os_policy)", (code, out, err))
    code, out, err = sh(consumer, LOCAL)
    s.check("... and on the local GPO's: allow", code == 0 and out.splitlines()[0] == "com_ports: allow (os_policy)",
            (code, out, err))
    s.check("... its version is the package's", out.splitlines()[-1:] == [f"libpolicy {VERSION}"], out)

    probe = os.path.join(tmp, "probe")
    os.makedirs(probe)

    def probe_find(args):
        with open(os.path.join(probe, "CMakeLists.txt"), "w") as f:
            f.write(f"cmake_minimum_required(VERSION 3.25)\nproject(p LANGUAGES CXX)\nfind_package(comredir {args})\n"
                    "if(TARGET comredir::redirector)\n  message(STATUS \"redirector-found\")\nendif()\n")
        shutil.rmtree(os.path.join(probe, "b"), ignore_errors=True)
        return sh("cmake", "-S", probe, "-B", os.path.join(probe, "b"), f"-DCMAKE_PREFIX_PATH={prefix}")

    code, out, err = probe_find("0.1 CONFIG REQUIRED COMPONENTS policy redirector")
    s.check("COMPONENTS redirector gives comredir::redirector", code == 0 and "redirector-found" in out, err[-600:])
    code, out, err = probe_find("9.0 CONFIG REQUIRED")
    s.check("an incompatible version is refused, the installed one named",
            code != 0 and 'requested version "9.0"' in err and f"version: {VERSION}" in err, err[-400:])
    code, out, err = probe_find("0.1 CONFIG REQUIRED COMPONENTS nonesuch")
    s.check("an unknown component is refused", code != 0, out[-300:])

    # ---- pkg-config --------------------------------------------------------------------------
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, libdir, "pkgconfig"))
    code, version, err = sh("pkg-config", "--modversion", "comredir-policy", env=env)
    s.check("pkg-config knows comredir-policy at the package's version", code == 0 and version.strip() == VERSION,
            (version, err))
    code, cflags, err1 = sh("pkg-config", "--cflags", "comredir-policy", env=env)
    code2, libs, err2 = sh("pkg-config", "--libs", "comredir-policy", env=env)
    s.check("... its flags point into the root it was installed to (relocatable)",
            code == 0 and code2 == 0 and cflags.startswith("-I")
            and os.path.realpath(cflags.split()[0][2:]) == os.path.realpath(os.path.join(prefix, "include")), (cflags, libs))
    exe = os.path.join(tmp, "consumer-pc")
    code, out, err = sh(CXX, "-std=c++20", *flags, os.path.join(SRC, "tests", "package", "consumer", "main.cpp"),
                        "-o", exe, *cflags.split(), *libs.split())
    s.check("the consumer compiles and links with pkg-config's flags alone", code == 0, err[-1500:])
    code, out, err = sh(exe, GPO)
    s.check("... and gives the same decision", code == 0 and out.startswith("com_ports: deny (os_policy)\n"), (code, out, err))
    code, out, err = sh("pkg-config", "--exists", "--print-errors", "comredir-redirector", env=env)
    s.check("comredir-redirector.pc resolves its requirements", code == 0, err)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
s.finish()
