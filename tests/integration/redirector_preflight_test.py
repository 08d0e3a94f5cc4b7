"""comredir-redirector at start (issue 12).

- redirector/README.md's example config, used as written: only /run/comredir,
  /var/lib/comredir and /var/log/comredir are moved into a temporary folder, the address is
  given with --listen, and lab.pol and users are created beside it. The preflight lines say
  what the daemon will do; a `linux` host without a host pool store has no host-pool layer
  (`comredir-policy effective` agrees) and the real xfreerdp client gets the port its OS
  policy allows; `ports --json` and the table show `since` in RFC 3339.
- Each bad config or environment exits 3 before listening with one exact message, and no
  TLS key or certificate is left behind; a Registry.pol that cannot be read is a warning
  that says every port will be denied.

usage: redirector_preflight_test.py DAEMON COMREDIR_POLICY README   (exit 77: tool missing)
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Suite  # noqa: E402
from rdpenv import RdpEnv, missing_tools, write_pol  # noqa: E402

SYSTEM_DIRS = ("/run/comredir", "/var/lib/comredir", "/var/log/comredir")


def readme_config(readme):
    """The ```jsonc block of the README's `## Running it` section, as written."""
    text = open(readme, encoding="utf-8").read()
    section = text[text.index("## Running it"):]
    start = section.index("```jsonc\n") + len("```jsonc\n")
    return section[start:section.index("```", start)]


def users_line(user, password):
    h = subprocess.run(["openssl", "passwd", "-6", password], capture_output=True, text=True,
                       check=True).stdout.strip()
    return f"{user}:{h}\n"


def messages(log):
    """Log lines without their timestamp: `info: ...`, `warning: ...`."""
    return [line.split(" ", 1)[1] for line in log.splitlines() if " " in line]


def tls_files(state):
    d = os.path.join(state, "tls")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def main():
    daemon, policy, readme = sys.argv[1:4]
    missing = missing_tools()
    if missing:
        print(f"skipped: missing {', '.join(missing)} (scripts/setup-debian.sh installs them)")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="comredir-preflight-")
    suite = Suite(daemon, home=tmp)
    readme_example(suite, daemon, policy, readme, os.path.join(tmp, "readme"))
    bad_configs(suite, daemon, os.path.join(tmp, "bad"))
    suite.finish()


def readme_example(suite, daemon, policy, readme, work):
    check = suite.check
    os.makedirs(work)
    text = readme_config(readme)
    moved = text
    for d in SYSTEM_DIRS:
        check(f"the README example names `{d}` once", text.count(d) == 1, text)
        moved = moved.replace(d, os.path.join(work, d.strip("/").replace("/", "-")))
    back = moved
    for d in SYSTEM_DIRS:
        back = back.replace(os.path.join(work, d.strip("/").replace("/", "-")), d)
    check("only the three system folders are moved", back == text)
    env = RdpEnv(daemon, work)
    env.config = os.path.join(work, "comredir.json")
    env.run_dir = os.path.join(work, "run-comredir")
    env.audit = os.path.join(work, "var-log-comredir", "audit.jsonl")
    with open(env.config, "w", encoding="utf-8") as f:
        f.write(moved)
    with open(os.path.join(work, "users"), "w") as f:
        f.write(users_line(env.user, env.password))
    os.chmod(os.path.join(work, "users"), 0o600)
    pol = os.path.join(work, "lab.pol")
    write_pol(pol, {"fDisableCcm": 0})

    # comredir-policy reads the same file (comments and all) and agrees.
    out = subprocess.run([policy, "effective", "--config", env.config, "--host", "lab",
                          "--feature", "com_ports", "--json"], capture_output=True, text=True)
    check("comredir-policy reads the README example: exit 0", out.returncode == 0,
          out.stderr)
    if out.returncode == 0:
        d = json.loads(out.stdout)["decisions"][0]
        hp = d["layers"][1]
        check("effective: com_ports allowed by the OS policy", d["effective"] == "allow" and
              d["decidedBy"] == "os_policy", d)
        check("effective: host pool not present (linux, no store)",
              hp["layer"] == "host_pool" and hp["applied"] == "not_applicable" and
              hp["provenance"]["detail"] ==
              "not present: product `linux` with no host pool store configured", hp)
    out = subprocess.run([policy, "effective", "--config", env.config, "--host", "lab",
                          "--feature", "com_ports"], capture_output=True, text=True)
    check("effective text: the host-pool layer's line says not present",
          re.search(r"host_pool +not_applicable +not_applicable +not present: product `linux` "
                    r"with no host pool store configured\n", out.stdout) is not None, out.stdout)

    try:
        env.launch(extra_args=["--listen", f"127.0.0.1:{env.port}"])
    except RuntimeError as e:
        check("the daemon starts on the README example", False, str(e))
        env.stop()
        return
    try:
        log = messages(env.log_text())
        decision = ("info: preflight: com_ports allow (os_policy: `Do not allow COM port "
                    "redirection` (TS_CLIENT_COM) Disabled: fDisableCcm = 0 (" + pol +
                    " offset 0x8); host_pool: not present; client: per connection)")
        check("preflight: the com_ports decision with each layer's source", decision in log, log)
        check("preflight: the audit log",
              f"info: preflight: audit log `{env.audit}` (/redirector/auditLog)" in log, log)
        check("preflight: the logins",
              f"info: preflight: logins: credentials file `{work}/users`, 1 user" in log, log)
        check("preflight lines come before listening",
              max(i for i, m in enumerate(log) if m.startswith("info: preflight:")) <
              min(i for i, m in enumerate(log) if m.startswith("info: listening on")), log)
        check("the audit log exists before anyone connects", os.path.isfile(env.audit))

        far, dev = env.serial_pair("a")
        env.connect(dev, name="lab-client")
        port = env.wait_port(lambda p: p["client"] == "lab-client" and p["port"] == "COM1")
        check("a linux host without a store: the port its OS policy allows is served",
              port is not None, env.log_text()[-2000:])
        if port:
            since = port["since"]
            check("ports --json: `since` is RFC 3339 in UTC",
                  isinstance(since, str) and
                  re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", since) is not None, since)
            code, table, _ = suite.run("ports", "--run-dir", env.run_dir)
            row = [line for line in table.splitlines() if port["session"] in line]
            check("the table shows the same `since`", code == 0 and len(row) == 1 and
                  row[0].split()[-1] == since, table)
            accepted = env.wait_audit(lambda r: r["event"] == "port_accepted")
            check("the acceptance is audited with host_pool not present",
                  accepted is not None and
                  accepted["decision"]["layers"][1]["applied"] == "not_applicable", accepted)
        rc = env.terminate_daemon()
        check("SIGTERM: exit 0", rc == 0, rc)
    finally:
        env.stop()


def start(daemon, config, timeout=30, extra=()):
    return subprocess.run([daemon, "serve", "--config", config, *extra], capture_output=True,
                          text=True, timeout=timeout)


def bad_configs(suite, daemon, work):
    check = suite.check
    os.makedirs(work)
    users = os.path.join(work, "users")
    with open(users, "w") as f:
        f.write(users_line("alice", "s3cret-Pw"))
    os.chmod(users, 0o600)
    pol = os.path.join(work, "lab.pol")
    write_pol(pol, {"fDisableCcm": 0})
    state = os.path.join(work, "state")

    def config(name, red=None, hosts=None, text=None):
        path = os.path.join(work, name + ".json")
        r = {"listen": f"127.0.0.1:{free()}", "host": "lab",
             "auth": {"method": "file", "file": "users"}, "runDir": "run-" + name,
             "stateDir": "state", "auditLog": "audit.jsonl"}
        r.update(red or {})
        cfg = {"version": 1,
               "hosts": hosts or {"lab": {"product": "linux", "os": [{"pol": "lab.pol"}]}},
               "redirector": r}
        with open(path, "w") as f:
            f.write(text if text is not None else json.dumps(cfg, indent=2))
        return path

    def fatal(what, path, message, timeout=30):
        p = start(daemon, path, timeout)
        last = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
        check(f"{what}: exit 3", p.returncode == 3, (p.returncode, p.stderr[-1500:]))
        check(f"{what}: the message", last == "comredir-redirector: " + message,
              (last, message))
        check(f"{what}: never listened", "listening on" not in p.stderr)
        check(f"{what}: no TLS key or certificate left", tls_files(state) == [],
              tls_files(state))
        return p

    # host not in hosts
    path = config("host", {"host": "lbb"})
    fatal("`host` not in `hosts`", path,
          f"{path}: /redirector/host: host `lbb` is not in `hosts` (it has `lab`)")

    # bad JSON: line and column, what was expected
    path = config("json", text='{\n  "version": 1\n  "redirector": {}\n}\n')
    fatal("bad JSON", path,
          f"{path}: line 3, column 3: unexpected a string `\"redirector\"`: expected `,` or `}}`")

    # the audit log's folder cannot be made
    path = config("audit", {"auditLog": "nope/deeper/audit.jsonl"})
    fatal("audit log folder missing", path,
          f"{path}: /redirector/auditLog: audit log folder `{work}/nope/deeper`: "
          "No such file or directory")

    # users file empty, or only legacy hashes
    empty = os.path.join(work, "users-empty")
    with open(empty, "w") as f:
        f.write("# nobody yet\n\n")
    os.chmod(empty, 0o600)
    path = config("users-empty", {"auth": {"method": "file", "file": "users-empty"}})
    fatal("users file empty", path,
          f"{path}: /redirector/auth/file: `{empty}` holds no logins (add `user:hash` lines, "
          "e.g. with `openssl passwd -6`)")
    legacy = os.path.join(work, "users-legacy")
    md5 = subprocess.run(["openssl", "passwd", "-1", "pw"], capture_output=True, text=True,
                         check=True).stdout.strip()
    with open(legacy, "w") as f:
        f.write(f"bob:{md5}\ncarol:{md5}\n")
    os.chmod(legacy, 0o600)
    path = config("users-legacy", {"auth": {"method": "file", "file": "users-legacy"}})
    fatal("users file with only legacy hashes", path,
          f"{path}: /redirector/auth/file: no usable login: {legacy}: line 1: user `bob`: hash "
          "method is legacy (use yescrypt `$y$` or sha512 `$6$`, e.g. `openssl passwd -6`) "
          "(and 1 more)")

    # run directory not ours
    foreign = os.path.join(work, "foreign")
    os.makedirs(foreign)
    open(os.path.join(foreign, "keep.txt"), "w").close()
    path = config("rundir", {"runDir": "foreign"})
    fatal("run directory not usable", path,
          f"{path}: /redirector/runDir: run directory `{foreign}` holds files that are not "
          "comredir's (no `.comredir-run`): give an empty or new folder")
    check("the foreign run directory is left as it was",
          os.listdir(foreign) == ["keep.txt"], os.listdir(foreign))

    # state directory that cannot take the certificate
    plain = os.path.join(work, "not-a-dir")
    open(plain, "w").close()
    path = config("statedir", {"stateDir": "not-a-dir"})
    fatal("state directory not writable", path,
          f"{path}: /redirector/stateDir: `{plain}` is not a directory")

    # cannot listen: the address is taken. The certificate made for this start goes again.
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        path = config("listen", {"listen": f"127.0.0.1:{port}"})
        p = start(daemon, path)
        log = messages(p.stderr)
        check("cannot listen: exit 3", p.returncode == 3, (p.returncode, p.stderr[-1500:]))
        check("cannot listen: said so",
              f"error: cannot listen on `127.0.0.1:{port}`: the address is in use, not this "
              "host's, or needs privileges" in log, log)
        check("cannot listen: a certificate was generated for this start",
              any(m.startswith("info: generated a self-signed certificate") for m in log), log)
        check("cannot listen: the generated key and certificate are removed again",
              tls_files(state) == [] and not os.path.exists(os.path.join(state, "tls")),
              tls_files(state))

    # a Registry.pol that cannot be read: not fatal, but every port will be denied
    missing = os.path.join(work, "missing.pol")
    path = config("pol", hosts={"lab": {"product": "linux", "os": [{"pol": "missing.pol"}]}})
    env = RdpEnv(daemon, work)
    env.config = path
    env.log_path = os.path.join(work, "pol.log")
    try:
        env.launch()
        log = messages(env.log_text())
        check("missing Registry.pol: a warning naming it, the layer fails closed",
              f"warning: preflight: {missing}: cannot open: No such file or directory: the "
              "os_policy layer fails closed" in log, log)
        check("missing Registry.pol: a warning that every port will be denied",
              "warning: preflight: com_ports deny (os_policy: cannot be read (fails closed); "
              "host_pool: not present; client: per connection): every client port will be "
              "denied" in log, log)
        check("missing Registry.pol: the daemon still starts",
              any(m.startswith("info: listening on") for m in log), log)
        check("missing Registry.pol: exit 0 on SIGTERM", env.terminate_daemon() == 0)
    except RuntimeError as e:
        check("missing Registry.pol: the daemon still starts", False, str(e))
    finally:
        env.stop()


def free():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
