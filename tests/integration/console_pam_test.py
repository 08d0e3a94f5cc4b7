#!/usr/bin/python3
"""comredir-console with PAM logins, real local accounts and a real Unix group (root only):
a throwaway group, two users (one in the group), and a PAM service are created; a grant to
`@group` makes its member an owner, a grant to the other user by name a reader. Wrong
passwords and unknown users get the same refusal. Everything created is removed at the end.

usage: console_pam_test.py COMREDIR_CONSOLE     (exit 77: not root, or a tool is missing)
"""
import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Suite  # noqa: E402
from consoleenv import ConsoleEnv, missing_tools, recv_json  # noqa: E402

PAM_SERVICE = "comredir-console-e2e-test"


async def checks(s, env, group, member, other, pw_member, pw_other):
    dev, _ = env.pty_pair("t")
    env.start([{"name": "t1", "type": "serial", "device": dev}],
              [{"principal": "@" + group, "role": "owner", "target": "t1"},
               {"principal": other, "role": "reader"}],
              {}, extra={"auth": {"method": "pam", "service": PAM_SERVICE}})
    cookie, csrf = env.login(member, pw_member)
    status, _, body = env.request("GET", "/api/session", headers={"Cookie": cookie})
    s.check("a PAM login: the session knows the user's Unix groups",
            status == 200 and group in body.get("groups", []), body)
    async with env.ws("t1", cookie, csrf) as ws:
        hello = await recv_json(ws, "hello")
        s.check("a grant to `@group` makes its member an owner of the target",
                hello["role"] == "owner" and hello["seat"] == "writer", hello)
    cookie2, csrf2 = env.login(other, pw_other)
    async with env.ws("t1", cookie2, csrf2) as ws:
        hello = await recv_json(ws, "hello")
        s.check("a user outside the group gets the role granted by name (reader)",
                hello["role"] == "reader" and hello["seat"] == "spectator", hello)
    for label, user, password in (("a wrong password", member, "not-" + pw_member),
                                  ("an unknown user", "nosuch" + secrets.token_hex(3), "x")):
        status, _, body = env.request("POST", "/login", {"user": user, "password": password})
        s.check(f"PAM refuses {label}: 401, the same words",
                status == 401 and body == {"error": "login failed: wrong user name or password"},
                (status, body))
    log = env.read_log() + open(os.path.join(env.dir, "audit.jsonl")).read()
    s.check("no password in the log or the audit", pw_member not in log and pw_other not in log)


def main():
    binary = sys.argv[1]
    missing = missing_tools() + [t for t in ("useradd", "userdel", "groupadd", "groupdel",
                                             "chpasswd") if shutil.which(t) is None]
    if os.geteuid() != 0 or missing:
        print(f"SKIP: needs root and {', '.join(missing) or 'nothing else'}")
        sys.exit(77)
    tag = secrets.token_hex(3)
    group, member, other = "crgrp" + tag, "crown" + tag, "crread" + tag
    pw_member, pw_other = "Pw-" + secrets.token_hex(8), "Pw-" + secrets.token_hex(8)
    pam_file = f"/etc/pam.d/{PAM_SERVICE}"
    s = Suite(binary, home=tempfile.gettempdir())
    tmp = tempfile.mkdtemp(prefix="console-pam-")
    env = ConsoleEnv(binary, tmp)
    try:
        subprocess.run(["groupadd", group], check=True)
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "-G", group,
                        member], check=True)
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", other],
                       check=True)
        subprocess.run(["chpasswd"], input=f"{member}:{pw_member}\n{other}:{pw_other}\n",
                       text=True, check=True)
        with open(pam_file, "w") as f:
            f.write("# comredir console_pam_test.py (removed when the test ends)\n"
                    "auth required pam_unix.so\naccount required pam_unix.so\n")
        asyncio.run(checks(s, env, group, member, other, pw_member, pw_other))
    finally:
        env.stop()
        for u in (member, other):
            subprocess.run(["userdel", u], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        if os.path.exists(pam_file):
            os.remove(pam_file)
        shutil.rmtree(tmp, ignore_errors=True)
    s.finish()


if __name__ == "__main__":
    main()
