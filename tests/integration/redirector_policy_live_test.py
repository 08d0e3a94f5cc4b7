"""comredir-redirector with the real FreeRDP client (xfreerdp 2.11 on Xvfb): every refusal a
user can cause is in the audit log, and policy changes reach open sessions.

- a failed login is audited as `login_failed` (user, address, reason) and its password is
  nowhere in the audit log or the daemon's log;
- a OneSessionPerPort refusal's decision is that rule (deny, the holding session);
- a policy change that keeps the port allowed leaves it untouched;
- `comredir-policy gp set TS_CLIENT_COM enabled --pol <the host's Registry.pol>` closes an open
  port within a second: the host program sees a hang-up, the client's device gets its CLOSE
  (the daemon's --verbose log), no second CREATE, the port leaves `ports`, and `port_revoked`
  carries the new reason; denial reasons name the client's announcement, never
  `--client-props`;
- with `revokeOnPolicyChange: false` the same flip leaves the open port alone;
- on SIGTERM the audit's `session_end` reason is the one the log gives.

usage: redirector_policy_live_test.py DAEMON POLICY_CLI ADMX_DIR   (exit 77: a tool is missing)
ADMX_DIR holds Microsoft's ADMX (TS_CLIENT_COM), e.g. ../shared/data/admx.
"""
import os
import re
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Suite  # noqa: E402
from rdpenv import RdpEnv, missing_tools, open_raw, transfer, write_pol  # noqa: E402

WRONG_PASSWORD = "Wr0ng-Pa55-q7Zx"


def main():
    daemon, cli, admx = sys.argv[1], sys.argv[2], sys.argv[3]
    cli = (cli, admx)
    missing = missing_tools()
    if missing:
        print(f"skipped: missing {', '.join(missing)} (scripts/setup-debian.sh installs them)")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="comredir-live-")
    suite = Suite(daemon, home=tmp)
    live = RdpEnv(daemon, os.path.join(tmp, "live"))
    os.makedirs(live.dir)
    try:
        run_live(suite, live, cli)
    finally:
        live.stop()
    fixed = RdpEnv(daemon, os.path.join(tmp, "fixed"))
    os.makedirs(fixed.dir)
    try:
        run_read_once(suite, fixed, cli)
    finally:
        fixed.stop()
    suite.finish()


def gp_set(cli, pol, state):
    """`comredir-policy gp set TS_CLIENT_COM <state> --pol <pol> --admx DIR`; returns (rc,
    output)."""
    binary, admx = cli
    p = subprocess.run([binary, "gp", "set", "TS_CLIENT_COM", state, "--pol", pol, "--admx", admx],
                       capture_output=True, text=True, timeout=60, cwd="/",
                       env={k: v for k, v in os.environ.items() if k != "COMREDIR_CONFIG"})
    return p.returncode, p.stdout + p.stderr


def hung_up(fd, timeout):
    """True when the pty slave `fd` reports a hang-up (POLLHUP, EOF or EIO) within `timeout`."""
    end = time.monotonic() + timeout
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    while time.monotonic() < end:
        events = poller.poll(max(1, int((end - time.monotonic()) * 1000)))
        for _, ev in events:
            if ev & (select.POLLHUP | select.POLLERR):
                return True
            try:
                if os.read(fd, 4096) == b"":
                    return True
            except BlockingIOError:
                pass
            except OSError:
                return True
    return False


def session_lines(env, session, text):
    return [line for line in env.log_text().splitlines()
            if f"session `{session}` " in line and text in line]


def lab_hosts(pol):
    return {"lab": {"product": "linux", "os": [{"pol": pol}]}}


def run_live(suite, env, cli):
    check = suite.check
    pol = os.path.join(env.dir, "Registry.pol")
    write_pol(pol, {"fDisableCcm": 0})
    env.start_daemon(hosts=lab_hosts(pol), host="lab", verbose=True)
    check("the daemon says it watches the policy sources",
          "policy folder(s): open sessions are re-evaluated" in env.log_text(),
          env.log_text()[-1500:])

    # --- a failed login: audited, never its password -------------------------------------
    bad = env.connect(None, name="guess-client", password=WRONG_PASSWORD)
    failed = env.wait_audit(lambda r: r["event"] == "login_failed", 30)
    check("a refused login is audited with user, address and reason",
          failed is not None and failed["user"] == env.user and
          failed["client_address"] == "127.0.0.1" and failed["reason"] == "wrong password" and
          failed["client"] == "guess-client" and "session" not in failed, failed)
    bad.kill()
    with open(env.audit) as f:
        audit_text = f.read()
    check("the refused password is nowhere in the audit log", WRONG_PASSWORD not in audit_text)
    check("the refused password is nowhere in the daemon's log",
          WRONG_PASSWORD not in env.log_text())
    check("the log names the refused login too",
          "login refused for user `alice`: wrong password" in env.log_text())

    # --- a port, held by a host program ------------------------------------------------------
    far_a, dev_a = env.serial_pair("a")
    a = env.connect(dev_a, name="lab-client")
    port = env.wait_port(lambda p: p["client"] == "lab-client" and p["port"] == "COM1")
    check("the client's COM1 appears in `ports`", port is not None, env.log_text()[-3000:])
    if port is None:
        return
    session_a = port["session"]
    host = open_raw(port["path"])
    far = open_raw(far_a)
    try:
        # --- OneSessionPerPort: the decision is the rule -------------------------------------
        far_b, dev_b = env.serial_pair("b")
        b = env.connect(dev_b, name="lab-client")
        busy = env.wait_audit(lambda r: r["event"] == "port_denied" and
                              r["session"] != session_a, 30)
        decision = busy["decision"] if busy else {}
        check("a second session's refusal names OneSessionPerPort and the holder as the decision",
              busy is not None and decision.get("effective") == "deny" and
              decision.get("rule") == "OneSessionPerPort" and
              decision.get("heldBy") == session_a and
              decision.get("policyDecision", {}).get("effective") == "allow" and
              busy["reason"] == f"port `COM1` of client `lab-client` is in use by session "
                                f"`{session_a}` (OneSessionPerPort, on by default)", busy)
        b.kill()
        env.wait_audit(lambda r: r["event"] == "session_end" and busy and
                       r["session"] == busy["session"], 10)

        # --- a change that keeps the port allowed: untouched ---------------------------------
        reevaluated = env.log_text().count("` changed: re-evaluating `")
        write_pol(pol + ".new", {"fDisableCcm": 0, "fDisableCpm": 1})  # printers, not ports
        os.replace(pol + ".new", pol)
        end = time.monotonic() + 5
        while time.monotonic() < end and \
                env.log_text().count("` changed: re-evaluating `") == reevaluated:
            time.sleep(0.05)
        check("a rename-replaced Registry.pol is seen and the session re-evaluated",
              env.log_text().count("` changed: re-evaluating `") > reevaluated,
              env.log_text()[-1500:])
        time.sleep(0.5)
        check("a port policy still allows is not revoked",
              not any(r["event"] == "port_revoked" for r in env.audit_lines()))
        got = transfer(far, host, b"still open", 5)
        check("a port policy still allows keeps carrying bytes", got == b"still open", got)

        # --- the live flip ---------------------------------------------------------------------
        rc, out = gp_set(cli, pol, "enabled")
        flipped = time.monotonic()
        check("`comredir-policy gp set TS_CLIENT_COM enabled --pol` succeeds", rc == 0, out)
        hup = hung_up(host, 1.0)
        took = time.monotonic() - flipped
        check("the host program sees a hang-up within a second of the flip", hup,
              f"{took:.2f} s; " + env.log_text()[-2000:])
        gone = env.wait_no_port(lambda p: p["session"] == session_a, timeout=1.0)
        check("the port leaves `ports` within a second of the flip", gone,
              f"{time.monotonic() - flipped:.2f} s")
        check("the port's stable path is gone", not os.path.lexists(port["path"]))
        revoked = env.wait_audit(lambda r: r["event"] == "port_revoked", 5)
        check("the revocation is audited with the new reason and decision",
              revoked is not None and revoked["session"] == session_a and
              revoked["port"] == "COM1" and "fDisableCcm = 1" in revoked["reason"] and
              pol in revoked["reason"] and revoked["decision"]["effective"] == "deny" and
              revoked["decision"]["decidedBy"] == "os_policy", revoked)
        check("the denial names the client's announcement, not a command-line option",
              revoked is not None and
              "overrides client: the client announced port `COM1` over rdpdr "
              "(`redirectcomports:i:1`)" in revoked["reason"], revoked)
        closed = env.wait_audit(lambda r: r["event"] == "port_closed" and
                                r["session"] == session_a, 5)
        check("the port's close is audited as the host's, with the new reason",
              closed is not None and closed["detail"]["why"] == "host_closed" and
              closed["reason"].startswith("policy now denies it: ") and
              "fDisableCcm = 1" in closed["reason"], closed)
        end = time.monotonic() + 5
        while time.monotonic() < end and \
                not session_lines(env, session_a, "port `COM1`: the client closed its device"):
            time.sleep(0.05)
        check("the client's device is closed with a CLOSE IRP, and the client answers it",
              len(session_lines(env, session_a, "port `COM1`: CLOSE")) == 1 and
              len(session_lines(env, session_a,
                                "port `COM1`: the client closed its device (status `0x0`)")) == 1,
              session_lines(env, session_a, "COM1"))
        time.sleep(1)
        check("no new CREATE is sent for the revoked port",
              len(session_lines(env, session_a, "port `COM1`: CREATE")) == 1,
              session_lines(env, session_a, "CREATE"))
        check("the session itself stays up", a.alive(), open(a.log).read()[-800:])
        check("the session is not ended by the revocation",
              not any(r["event"] == "session_end" and r["session"] == session_a
                      for r in env.audit_lines()))

        # --- a new client under the new policy: denied, named the same way --------------------
        far_c, dev_c = env.serial_pair("c")
        c = env.connect(dev_c, name="late-client")
        denied = env.wait_audit(lambda r: r["event"] == "port_denied" and
                                r["client"] == "late-client", 30)
        check("a client that connects after the flip is denied, naming its announcement",
              denied is not None and "fDisableCcm = 1" in denied["reason"] and
              "the client announced port `COM1` over rdpdr" in denied["reason"], denied)
        c.kill()
        with open(env.audit) as f:
            audit_text = f.read()
        check("no audit line cites `--client-props`", "--client-props" not in audit_text)
    finally:
        os.close(host)
        os.close(far)
    a.kill()
    check("the daemon logged no error", " error:" not in env.log_text(),
          [line for line in env.log_text().splitlines() if " error:" in line][:5])


def run_read_once(suite, env, cli):
    check = suite.check
    pol = os.path.join(env.dir, "Registry.pol")
    write_pol(pol, {"fDisableCcm": 0})
    env.start_daemon(hosts=lab_hosts(pol), host="lab",
                     extra={"revokeOnPolicyChange": False})
    check("with revokeOnPolicyChange false the daemon says policy is read once per session",
          "policy is read once per session (revokeOnPolicyChange is off)" in env.log_text(),
          env.log_text()[-1500:])
    far_a, dev_a = env.serial_pair("a")
    a = env.connect(dev_a, name="lab-client")
    port = env.wait_port(lambda p: p["client"] == "lab-client")
    check("the port appears", port is not None, env.log_text()[-3000:])
    if port is None:
        return
    host = open_raw(port["path"])
    far = open_raw(far_a)
    try:
        rc, out = gp_set(cli, pol, "enabled")
        check("`gp set TS_CLIENT_COM enabled` succeeds", rc == 0, out)
        check("the open port is not hung up", not hung_up(host, 1.5))
        check("the open port stays in `ports`",
              any(p["session"] == port["session"] for p in env.ports()))
        got = transfer(far, host, b"read once", 5)
        check("the open port still carries bytes", got == b"read once", got)
        check("nothing is revoked",
              not any(r["event"] == "port_revoked" for r in env.audit_lines()))

        # --- SIGTERM: one reason, the true one, in both -------------------------------------
        rc = env.terminate_daemon()
        check("SIGTERM stops the daemon with exit 0", rc == 0, rc)
        n = port["session"][1:]
        logged = re.findall(rf"connection {n} from `[^`]*`: closed: (.*)", env.log_text())
        ended = [r for r in env.audit_lines()
                 if r["event"] == "session_end" and r["session"] == port["session"]]
        check("the log says why the connection closed: the daemon is shutting down",
              logged == ["daemon shutting down"], logged)
        check("the audit's session end gives the log's reason",
              len(ended) == 1 and ended[0]["reason"] == "daemon shutting down", ended)
        closed = [r for r in env.audit_lines()
                  if r["event"] == "port_closed" and r["session"] == port["session"]]
        check("the port's close on shutdown gives the same reason",
              len(closed) == 1 and closed[0]["reason"] == "daemon shutting down" and
              closed[0]["detail"]["why"] == "session_end", closed)
    finally:
        os.close(host)
        os.close(far)
    a.kill()


if __name__ == "__main__":
    main()
