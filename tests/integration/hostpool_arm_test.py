#!/usr/bin/python3
"""`comredir-policy hostpool ... --arm` against a local HTTPS server that answers like Azure
Resource Manager (arm_server.py, 127.0.0.1 only): paging, GET + PATCH of only
customRdpProperty with If-Match, 404, 412, 429 with Retry-After, 500 then success, malformed
JSON, a slow server, TLS verification, --json/--dry-run/--backup, the token from
COMREDIR_ARM_TOKEN or a fake `az`, and that the token appears in no output (also when the
server echoes it in an error).

Usage: hostpool_arm_test.py COMREDIR_POLICY SHARED_DATA
"""
import atexit
import json
import os
import shutil
import sys
import tempfile

from clitest import Suite

if shutil.which("openssl") is None:
    print("skip: openssl is not installed (needed for the test server's certificate)")
    sys.exit(77)

from arm_server import ArmServer  # noqa: E402

BIN, SHARED = sys.argv[1], sys.argv[2]
TOKEN = "tok-3f9a7c1e-secret"
tmp = tempfile.mkdtemp(prefix="comredir-arm-")
atexit.register(shutil.rmtree, tmp, True)  # also when a check raises
server = ArmServer(os.path.join(SHARED, "arm", "HostPool_Update.json"), tmp)
suite = Suite(BIN, home=tmp)
outputs = []


def run(*args, env_extra=None):
    """One CLI run; its stdout and stderr are kept for the token check at the end. A proxy
    from the environment is bypassed for 127.0.0.1: no request leaves the machine."""
    env = {"no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1", **(env_extra or {})}
    code, out, err = suite.run(*args, env_extra=env)
    outputs.append(out + err)
    return code, out, err


def arm(*args, token=TOKEN, extra_env=None, ca=True):
    base = ["--arm", "--subscription", "sub1", "--resource-group", "rg1", "--arm-endpoint", server.url]
    if ca:
        base += ["--ca-file", server.cert]
    env = {"COMREDIR_ARM_TOKEN": token} if token else {}
    env.update(extra_env or {})
    return run("hostpool", *args, *base, env_extra=env)


def requests_since(n):
    return server.requests[n:]


# list: two pages through nextLink
n = len(server.requests)
code, out, err = arm("list", "--json")
pools = json.loads(out or "[]")
suite.check("list --arm: three pools from two pages", code == 0 and [p["name"] for p in pools] == ["pool1", "pool2", "nullprops"], (code, out, err))
reqs = requests_since(n)
suite.check("list: two GETs, api-version 2024-04-03, bearer token, the second from nextLink",
            [r["method"] for r in reqs] == ["GET", "GET"] and all(r["query"]["api-version"] == ["2024-04-03"] for r in reqs)
            and all(r["headers"].get("Authorization") == f"Bearer {TOKEN}" for r in reqs) and reqs[1]["query"].get("page") == ["2"],
            reqs)

# get and set: GET, then PATCH with only customRdpProperty and If-Match
code, out, err = arm("get", "pool1", "redirectcomports")
suite.check("get --arm: one property (one GET)", (code, out) == (0, "1\n"), (code, out, err))
n = len(server.requests)
code, out, err = arm("set", "pool1", "redirectcomports", "0", "--json")
reqs = requests_since(n)
suite.check("set --arm --json: the report names the pool, its URL and both strings",
            code == 0 and json.loads(out or "{}") == {
                "action": "set", "pool": "pool1", "changed": True, "dry_run": False,
                "store": f"{server.url}/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.DesktopVirtualization/hostPools/pool1?api-version=2024-04-03",
                "customRdpProperty": {"before": "redirectcomports:i:1;drivestoredirect:s:*",
                                      "after": "redirectcomports:i:0;drivestoredirect:s:*"},
                "property": {"name": "redirectcomports", "type": "i", "value": "0"}, "replaced": 1, "added": 0, "removed": 0},
            (code, out, err))
patch = [r for r in reqs if r["method"] == "PATCH"]
suite.check("set: GET then one PATCH", [r["method"] for r in reqs] == ["GET", "PATCH"], [r["method"] for r in reqs])
suite.check("set: the PATCH body holds only customRdpProperty, edited in place",
            patch and json.loads(patch[0]["body"]) == {"properties": {"customRdpProperty": "redirectcomports:i:0;drivestoredirect:s:*"}},
            patch[:1])
suite.check("set: If-Match carries the ETag the GET returned", patch and patch[0]["headers"].get("If-Match") == '"etag-1"', patch[:1])
suite.check("set: the service now holds the new string", server.pools["pool1"]["custom"] == "redirectcomports:i:0;drivestoredirect:s:*")
code, out, err = arm("unset", "pool1", "drivestoredirect")
suite.check("unset --arm: the property removed", code == 0 and server.pools["pool1"]["custom"] == "redirectcomports:i:0", (code, err))

n = len(server.requests)
code, out, err = arm("set", "pool2", "redirectcomports", "0", "--dry-run")
suite.check("set --dry-run: a diff of customRdpProperty, no PATCH",
            code == 0 and "-customRdpProperty: audiomode:i:0\n+customRdpProperty: audiomode:i:0;redirectcomports:i:0\n" in out
            and all(r["method"] == "GET" for r in requests_since(n)) and server.pools["pool2"]["custom"] == "audiomode:i:0", (out, err))
code, out, err = arm("set", "nullprops", "redirectcomports", "1")
suite.check("set on a null customRdpProperty", code == 0 and server.pools["nullprops"]["custom"] == "redirectcomports:i:1", (code, err))

n = len(server.requests)
code, out, err = arm("set", "pool2", "redirectcomports", "0", "--dry-run", "--json")
suite.check("set --dry-run --json: the diff in the report, nothing written",
            code == 0 and json.loads(out or "{}").get("dry_run") is True and json.loads(out or "{}").get("diff", "").count("\n+customRdpProperty: ") == 1
            and [r["method"] for r in requests_since(n)] == ["GET"], (out, err))
before = server.body("sub1", "rg1", "pool3")
code, out, err = arm("set", "pool3", "redirectcomports", "0", "--backup")
backup = os.path.join(tmp, "pool3.json.bak")
suite.check("set --backup: the GET body saved as POOL.json.bak before the PATCH",
            code == 0 and "previous store kept as pool3.json.bak" in out and os.path.exists(backup)
            and json.loads(open(backup, encoding="utf-8").read()) == before
            and server.pools["pool3"]["custom"] == "redirectcomports:i:0", (code, out, err))
n = len(server.requests)
code, out, err = arm("get", "..")
suite.check("a pool named `..` is sent as %2E%2E (no dot segment), and is not found",
            code == 3 and [r["path"] for r in requests_since(n)] ==
            ["/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.DesktopVirtualization/hostPools/%2E%2E"], (err, requests_since(n)))

# errors
code, out, err = arm("get", "missing")
suite.check("404: input error naming the pool, the URL and ARM's code",
            code == 3 and err.startswith("comredir-policy: host pool `missing` not found: GET https://127.0.0.1:") and
            "HTTP 404 (ResourceNotFound: The Resource 'Microsoft.DesktopVirtualization/hostPools/missing' was not found.)" in err, err)
code, out, err = arm("set", "conflict", "redirectcomports", "0")
suite.check("412: the pool changed since it was read, nothing written",
            code == 3 and "host pool `conflict` changed since it was read: PATCH" in err and "HTTP 412 (PreconditionFailed" in err
            and server.pools["conflict"]["custom"] == "redirectcomports:i:1", err)
code, out, err = arm("set", "busy409", "redirectcomports", "0")
suite.check("409: reported as a conflict, nothing written",
            code == 3 and "host pool `busy409` changed since it was read: PATCH" in err and "HTTP 409 (Conflict: Another operation" in err
            and server.pools["busy409"]["custom"] == "redirectcomports:i:1", err)
n = len(server.requests)
code, out, err = arm("get", "busy", "redirectcomports")
reqs = requests_since(n)
suite.check("429 with Retry-After: 1 -> retried once after at least 1 s",
            code == 0 and len(reqs) == 2 and reqs[1]["time"] - reqs[0]["time"] >= 1.0, (code, err, [r["time"] for r in reqs]))
n = len(server.requests)
code, out, err = arm("get", "flaky", "redirectcomports", "--verbose")
suite.check("500 then success: retried, --verbose shows both attempts",
            code == 0 and len(requests_since(n)) == 2 and "arm:   -> HTTP 500" in err and "arm:   -> HTTP 200" in err
            and "Bearer ***" in err, err)
code, out, err = arm("get", "echo", "--verbose")
suite.check("an error body that echoes the token: the token shown as ***",
            code == 3 and err.count("\n") == 3 and err.rstrip().endswith("HTTP 400 (BadRequest: the header was Bearer ***)"), err)
code, out, err = arm("get", "garbage")
suite.check("malformed JSON: one line naming the URL and the position",
            code == 3 and "GET https://127.0.0.1:" in err and "malformed JSON: line 1: column " in err and err.count("\n") == 1, err)
code, out, err = arm("get", "slow", "--timeout", "1")
suite.check("slow server: the request times out after 1 s", code == 3 and err.rstrip().endswith("timed out after 1000 ms"), err)
code, out, err = arm("list", ca=False)
suite.check("TLS: the self-signed certificate is refused without --ca-file", code == 3 and "GET https://127.0.0.1:" in err, err)
code, out, err = run("hostpool", "list", "--arm", "--subscription", "s", "--resource-group", "r",
                     "--arm-endpoint", server.url.replace("https", "http"), env_extra={"COMREDIR_ARM_TOKEN": TOKEN})
suite.check("an http:// endpoint is refused", code == 2 and "is not an https URL" in err, err)
code, out, err = run("hostpool", "list", "--arm", "--subscription", "sub1", "--resource-group", "evil",
                     "--arm-endpoint", server.url, "--ca-file", server.cert, env_extra={"COMREDIR_ARM_TOKEN": TOKEN})
suite.check("a nextLink to another host is not followed", code == 3 and "nextLink `https://evil.example/steal" in err and "not followed" in err, err)
code, out, err = arm("create", "newpool")
suite.check("create with --arm is refused and says why", code == 2 and "do not work with --arm" in err, err)
code, out, err = run("hostpool", "list", "--arm", "--arm-endpoint", server.url)
suite.check("--arm needs subscription and resource group", code == 2 and "--arm needs --subscription ID and --resource-group NAME" in err, err)

# token from a fake `az` (no shell: arguments arrive exactly)
bindir = os.path.join(tmp, "bin")
os.makedirs(bindir)
log = os.path.join(tmp, "az.args")
with open(os.path.join(bindir, "az"), "w") as f:
    f.write(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {log}\necho az-{TOKEN}\n")
os.chmod(os.path.join(bindir, "az"), 0o755)
n = len(server.requests)
code, out, err = arm("list", token=None, extra_env={"PATH": bindir + ":" + os.environ["PATH"]})
suite.check("token from `az account get-access-token` when COMREDIR_ARM_TOKEN is unset",
            code == 0 and server.requests[n]["headers"].get("Authorization") == f"Bearer az-{TOKEN}", (code, err))
suite.check("az's arguments, exactly", open(log).read().split("\n")[:-1] ==
            ["account", "get-access-token", "--resource", server.url + "/", "--query", "accessToken", "-o", "tsv"], open(log).read())
code, out, err = arm("list", token=None, extra_env={"PATH": os.path.join(tmp, "empty")})
suite.check("no token and no az: a clear error", code == 3 and "COMREDIR_ARM_TOKEN is not set and `az` could not be run" in err, err)

suite.check("the token appears in no output or error of any run", not any(TOKEN in o for o in outputs))
server.stop()
suite.finish()
