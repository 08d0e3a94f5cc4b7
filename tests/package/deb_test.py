#!/usr/bin/python3
"""The .deb packages as an admin gets them: `cpack -G DEB` in the build folder, then
`dpkg-deb --contents` lists the expected files with the right modes and owners (programs
0755, data 0644, /etc/pam.d/comredir a conffile, maintainer scripts 0755, nothing under
/usr/local, headers and static libraries only in comredir-dev), Depends come from
dpkg-shlibdeps (libc6, libcurl from the HTTP module, ...), and `dpkg-deb -x` into a
temporary root gives programs that run: every `--version` says the package's version,
`comredir-policy effective` decides on the example estate, and `admx validate` loads its
module from the extracted tree. lintian reports no error.

Reports SKIP (77) without cpack, dpkg-deb or lintian, or when the build's prefix is not
/usr (a package's programs must be built for where they are installed).

usage: deb_test.py BUILD_DIR SOURCE_DIR SHARED_DATA VERSION INSTALL_PREFIX WEB(ON|OFF)
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BUILD, SRC, SHARED, VERSION, PREFIX, WEB = sys.argv[1:7]
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from clitest import Suite  # noqa: E402

for tool in ("cpack", "dpkg-deb", "lintian", "dpkg-shlibdeps"):
    if shutil.which(tool) is None:
        print(f"skip: {tool} is not installed")
        sys.exit(77)
if PREFIX != "/usr":
    print(f"skip: the build's CMAKE_INSTALL_PREFIX is `{PREFIX}`, not /usr")
    sys.exit(77)

s = Suite("/bin/true", home="/tmp")
tmp = tempfile.mkdtemp(prefix="comredir-deb-")


def sh(*cmd, cwd=None, env=None, timeout=900):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def contents(deb):
    """{path: (mode, owner)} from dpkg-deb --contents."""
    out = {}
    for line in sh("dpkg-deb", "--contents", deb)[1].splitlines():
        f = line.split()
        path = f[5].lstrip(".")
        out[path.rstrip("/") or "/"] = (f[0], f[1])
    return out


try:
    code, out, err = sh("cpack", "-G", "DEB", "-B", os.path.join(tmp, "out"), cwd=BUILD)
    debs = sorted(glob.glob(os.path.join(tmp, "out", "*.deb")))
    names = [os.path.basename(d) for d in debs]
    s.check("cpack -G DEB builds comredir and comredir-dev", code == 0 and len(debs) == 2
            and re.fullmatch(rf"comredir-dev_{re.escape(VERSION)}_\w+\.deb", names[0] or "")
            and re.fullmatch(rf"comredir_{re.escape(VERSION)}_\w+\.deb", names[1] or ""), (names, (out + err)[-1500:]))
    if len(debs) != 2:
        raise SystemExit(s.finish())
    dev, main = debs
    field = lambda deb, name: sh("dpkg-deb", "--field", deb, name)[1].strip()  # noqa: E731
    s.check("control: package, version, section", field(main, "Package") == "comredir"
            and field(main, "Version") == VERSION and field(main, "Section") == "admin", field(main, "Version"))
    depends = field(main, "Depends")
    s.check("Depends from dpkg-shlibdeps: libc6, libstdc++6, libcurl (the HTTP module), libpam0g, libssl3",
            all(re.search(rf"\b{p}\b", depends) for p in ("libc6", "libstdc\\+\\+6", "libcurl4", "libpam0g", "libssl3")),
            depends)
    s.check("comredir-dev depends on comredir of the same version and on the headers it includes",
            f"comredir (= {VERSION})" in field(dev, "Depends") and "nlohmann-json3-dev" in field(dev, "Depends"),
            field(dev, "Depends"))

    files = contents(main)
    exe, data = "-rwxr-xr-x", "-rw-r--r--"
    want = {"/usr/bin/comredir-policy": exe, "/usr/bin/comredir-console": exe, "/usr/sbin/comredir-redirector": exe,
            "/usr/share/comredir/admx/comredir.admx": data, "/usr/share/comredir/admx/en-US/comredir.adml": data,
            "/usr/lib/systemd/system/comredir-redirector.service": data,
            "/usr/lib/systemd/system/comredir-console.service": data, "/etc/pam.d/comredir": data,
            "/usr/share/comredir/schemas/report.schema.json": data,
            "/usr/share/comredir/schemas/effective.schema.json": data,
            "/usr/share/comredir/schemas/hostpool-store.schema.json": data,
            "/usr/share/man/man1/comredir-policy.1.gz": data, "/usr/share/man/man1/comredir-console.1.gz": data,
            "/usr/share/man/man8/comredir-redirector.8.gz": data,
            "/usr/share/bash-completion/completions/comredir-policy": data,
            "/usr/share/bash-completion/completions/comredir-console": data,
            "/usr/share/bash-completion/completions/comredir-redirector": data,
            "/usr/share/doc/comredir/copyright": data, "/usr/share/doc/comredir/changelog.gz": data}
    if WEB == "ON":
        want.update({"/usr/share/comredir/console-web/index.html": data,
                     "/usr/share/comredir/console-web/vendor/xterm.mjs": data})
    modules = [p for p in files if re.fullmatch(r"/usr/lib/[\w-]+/comredir/libcomredir_(http|xsd)\.so", p)]
    wrong = {p: (files.get(p, ("absent",))[0], m) for p, m in want.items() if files.get(p, ("",))[0] != m}
    s.check(f"comredir.deb lists the {len(want)} expected files with their modes", not wrong, wrong)
    s.check("... and the two modules, 0644", len(modules) == 2 and all(files[m][0] == data for m in modules), modules)
    s.check("... everything owned by root", all(o == "root/root" for _, o in files.values()),
            {p: o for p, (_, o) in files.items() if o != "root/root"})
    s.check("... nothing under /usr/local, no header, no static library",
            not [p for p in files if p.startswith("/usr/local") or p.endswith((".hpp", ".a"))])
    devfiles = contents(dev)
    s.check("comredir-dev holds the headers, static libraries, CMake package and .pc files",
            any(p.endswith("/libcomredir-policy.a") for p in devfiles)
            and any(p.endswith("/cmake/comredir/comredirConfig.cmake") for p in devfiles)
            and any(p.endswith("/pkgconfig/comredir-policy.pc") for p in devfiles)
            and "/usr/include/comredir/policy/resolve/resolver.hpp" in devfiles
            and "/usr/include/comredir/version.hpp" in devfiles, sorted(devfiles)[:20])

    control = os.path.join(tmp, "control")
    sh("dpkg-deb", "-e", main, control)
    modes = {n: oct(os.stat(os.path.join(control, n)).st_mode & 0o777) for n in os.listdir(control)}
    s.check("maintainer scripts postinst, prerm, postrm are 0755",
            all(modes.get(n) == "0o755" for n in ("postinst", "prerm", "postrm")), modes)
    with open(os.path.join(control, "conffiles")) as f:
        s.check("/etc/pam.d/comredir is a conffile", f.read().split() == ["/etc/pam.d/comredir"])
    with open(os.path.join(control, "postinst")) as f:
        postinst = f.read()
    s.check("postinst makes the daemons' folders and enables no unit",
            "install -d -m 0700 /var/lib/comredir" in postinst and "enable" not in postinst.replace("systemctl enable --now", ""))

    root = os.path.join(tmp, "root")
    sh("dpkg-deb", "-x", main, root)
    for prog in ("usr/bin/comredir-policy", "usr/bin/comredir-console", "usr/sbin/comredir-redirector"):
        code, out, err = sh(os.path.join(root, prog), "--version")
        s.check(f"extracted {os.path.basename(prog)} --version says {VERSION}",
                code == 0 and out.strip() == f"{os.path.basename(prog)} {VERSION}", (code, out, err))
    estate = os.path.join(tmp, "examples")
    shutil.copytree(os.path.join(SRC, "examples"), estate)
    code, out, err = sh(os.path.join(root, "usr/bin/comredir-policy"), "effective", "--config", "comredir.json",
                        "--host", "pool1", "--feature", "com_ports", "--json", cwd=estate)
    d = json.loads(out)["decisions"][0] if code == 0 else {}
    s.check("extracted comredir-policy effective on the example estate: pool1 com_ports deny by the GPO",
            d.get("effective") == "deny" and d.get("decidedBy") == "os_policy", (code, err[-400:]))
    env = {k: v for k, v in os.environ.items() if k != "COMREDIR_MODULE_DIR"}
    code, out, err = sh(os.path.join(root, "usr/bin/comredir-policy"), "admx", "validate",
                        os.path.join(root, "usr/share/comredir/admx/comredir.admx"), "--schema",
                        os.path.join(SHARED, "..", "schemas", "admx", "PolicyDefinitionFiles.xsd"), env=env)
    s.check("extracted admx validate loads the XSD module from the extracted tree and passes comredir.admx",
            code == 0, (code, out[-300:], err[-300:]))

    code, out, err = sh("lintian", "--no-tag-display-limit", main, dev)
    errors = [line for line in out.splitlines() if line.startswith("E:")]
    s.check("lintian: no error", not errors, "\n".join(errors))
    warnings = [line for line in out.splitlines() if line.startswith("W:")]
    print(f"lintian: {len(warnings)} warning(s)" + "".join(f"\n  {w}" for w in warnings))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
s.finish()
