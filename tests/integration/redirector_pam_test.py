"""comredir-redirector with PAM logins and a real local account: a throwaway user and PAM
service are created (root only), the user connects with xfreerdp, and the port's pty is
owned by that account, mode 0600, and one program at a time (a second open by the user
fails with EBUSY). Wrong passwords and unknown users get no session. Everything created is
removed at the end.

usage: redirector_pam_test.py DAEMON     (exit 77: not root, or a tool is missing)
"""
import errno
import os
import pwd
import secrets
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Suite  # noqa: E402
from rdpenv import RdpEnv, missing_tools  # noqa: E402

PAM_SERVICE = "comredir-e2e-test"
# The throwaway account runs this interpreter: a bare `python3` would resolve
# through root's PATH (a pyenv shim under /root on CI machines, unreadable to it).
USER_PYTHON = "/usr/bin/python3"


def main():
    daemon = sys.argv[1]
    missing = missing_tools() + [t for t in ("useradd", "userdel", "chpasswd", "setpriv")
                                 if subprocess.run(["which", t], capture_output=True).returncode]
    if not os.access(USER_PYTHON, os.X_OK):
        missing.append(USER_PYTHON)
    if os.geteuid() != 0 or missing:
        print(f"skipped: needs root and {', '.join(missing) or 'nothing else'}")
        sys.exit(77)
    user = "crtest" + secrets.token_hex(3)
    password = "Pw-" + secrets.token_hex(8)
    pam_file = f"/etc/pam.d/{PAM_SERVICE}"
    tmp = tempfile.mkdtemp(prefix="comredir-pam-")
    os.chmod(tmp, 0o755)
    suite = Suite(daemon, home=tmp)
    env = RdpEnv(daemon, tmp, user=user, password=password)
    try:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
                       check=True)
        subprocess.run(["chpasswd"], input=f"{user}:{password}\n", text=True, check=True)
        with open(pam_file, "w") as f:
            f.write("# comredir redirector_pam_test.py (removed when the test ends)\n"
                    "auth required pam_unix.so\naccount required pam_unix.so\n")
        run(suite, env, user)
    finally:
        env.stop()
        subprocess.run(["userdel", user], capture_output=True)
        if os.path.exists(pam_file):
            os.remove(pam_file)
    suite.finish()


def run(suite, env, user):
    check = suite.check
    env.start_daemon(hosts={"lab": {"product": "linux", "os": []}}, host="lab",
                     extra={"auth": {"method": "pam", "service": PAM_SERVICE}})
    check("the daemon says it checks logins with PAM",
          f"pam service `{PAM_SERVICE}`" in env.log_text(), env.log_text()[-800:])

    far, dev = env.serial_pair("a")
    bad = env.connect(dev, name="pam-client", password="wrong-password")
    try:
        bad.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    time.sleep(0.5)
    check("a wrong password gets no session", not any(
        r["event"] == "session_start" for r in env.audit_lines()), env.audit_lines())
    check("the refusal is logged without the password",
          "login refused for user `" + user + "`" in env.log_text() and
          "wrong-password" not in env.log_text(), env.log_text()[-800:])
    bad.kill()

    good = env.connect(dev, name="pam-client")
    port = env.wait_port(lambda p: p["client"] == "pam-client")
    check("the PAM user gets a port", port is not None, env.log_text()[-1500:])
    if port is None:
        return
    uid = pwd.getpwnam(user).pw_uid
    st = os.stat(port["device"])
    check("the pty belongs to the session's local account", st.st_uid == uid,
          (st.st_uid, uid))
    check("the pty is mode 0600", (st.st_mode & 0o777) == 0o600, oct(st.st_mode))
    alias = os.path.join(env.run_dir, "by-user", user, "COM1")
    check("the per-user alias leads to the port", os.path.realpath(alias) == port["device"],
          alias)
    # Two programs of that user: the first holds the port, the second gets EBUSY.
    holder = subprocess.Popen(["setpriv", f"--reuid={uid}", "--regid={}".format(
        pwd.getpwnam(user).pw_gid), "--clear-groups", USER_PYTHON, "-c",
        "import os,sys,time; fd=os.open(sys.argv[1], os.O_RDWR|os.O_NOCTTY); "
        "print('open', flush=True); time.sleep(5)", port["path"]],
        stdout=subprocess.PIPE, text=True)
    opened = holder.stdout.readline().strip() == "open"
    time.sleep(0.3)
    second = subprocess.run(["setpriv", f"--reuid={uid}", "--regid={}".format(
        pwd.getpwnam(user).pw_gid), "--clear-groups", USER_PYTHON, "-c",
        "import os,sys\ntry:\n  os.open(sys.argv[1], os.O_RDWR|os.O_NOCTTY); print('opened')\n"
        "except OSError as e:\n  print(e.errno)", port["path"]],
        capture_output=True, text=True)
    check("the user's first program opens the port", opened)
    check("a second program of the user gets EBUSY",
          second.stdout.strip() == str(errno.EBUSY), second.stdout + second.stderr)
    holder.kill()
    holder.wait()
    other = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            USER_PYTHON, "-c",
                            "import os,sys\ntry:\n  os.open(sys.argv[1], os.O_RDWR); "
                            "print('opened')\nexcept OSError as e:\n  print(e.errno)",
                            port["device"]], capture_output=True, text=True)
    check("another account cannot open it", other.stdout.strip() == str(errno.EACCES),
          other.stdout + other.stderr)
    good.kill()
    check("the port goes away with the client",
          env.wait_no_port(lambda p: p["client"] == "pam-client"))
    check("the daemon stops cleanly", env.terminate_daemon() == 0)


if __name__ == "__main__":
    main()
