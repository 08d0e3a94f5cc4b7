"""Shared by the CLI end-to-end scripts: runs comredir-policy in a clean environment (no
config or schema found by accident) and counts checks.

    from clitest import Suite
    suite = Suite(binary, home=tmp)            # cwd defaults to home
    code, out, err = suite.run("gp", "list", "--pol", path)
    suite.check("name", condition, detail)
    suite.finish()                             # prints `N passed, M failed`, exits 1 on failure
"""
import os
import subprocess
import sys

# Set by `scripts/test.sh --quick`: the stress loops of hundreds of CLI calls run shorter.
SHORT = os.environ.get("COMREDIR_STRESS") == "short"


def stress(full, short):
    """How often a stress loop runs: `full`, or `short` when COMREDIR_STRESS=short (the inner
    loop, `scripts/test.sh --quick`). CI runs every loop at its full count."""
    return short if SHORT else full


# Variables that would make a run depend on the machine it runs on.
_ISOLATE = ("COMREDIR_CONFIG", "XDG_CONFIG_HOME", "COMREDIR_ADMX_SCHEMA", "COMREDIR_ADMX_DIR")


class Suite:
    def __init__(self, binary, home, cwd=None):
        self.binary, self.home, self.cwd = binary, home, cwd or home
        self.passed = self.failed = 0

    def run(self, *args, cwd=None, env_extra=None, timeout=120):
        env = dict(os.environ, HOME=self.home)
        for k in _ISOLATE:
            env.pop(k, None)
        env.update(env_extra or {})
        p = subprocess.run([self.binary, *args], cwd=cwd or self.cwd, env=env, capture_output=True,
                           timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name}: {str(detail)[:2000]}")

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
