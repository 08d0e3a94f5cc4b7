"""A local HTTPS server that answers like Azure Resource Manager's hostPools API
(api-version 2024-04-03), for the `hostpool --arm` tests. Bodies are built from the real
API example in ../shared/data/arm/HostPool_Update.json. Listens on 127.0.0.1 only.

The pool name picks the behaviour:
  pool1, pool2, pool3  normal pools (GET with an ETag; PATCH needs If-Match = that ETag)
  nullprops            customRdpProperty is null
  missing              404 with an ARM error body
  conflict             PATCH answers 412 (someone else changed it)
  busy409              PATCH answers 409 (another operation is in progress)
  busy                 the first GET answers 429 with Retry-After: 1
  flaky                the first GET answers 500
  garbage              GET answers 200 with malformed JSON
  echo                 GET answers 400 with the Authorization header in the error message
  slow                 GET answers after 3 s
The list pages: rg1 gives two pages through nextLink; rg `evil` gives a nextLink on
another host. Azure Resource Graph's query endpoint: graph_stand_in.py. Every request is
recorded in `server.requests`.
"""
import copy
import json
import os
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from graph_stand_in import GraphStandIn


def make_cert(folder):
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


class ArmServer:
    def __init__(self, example_path, folder, generated_pools=0):
        with open(example_path, encoding="utf-8") as f:
            self.template = json.load(f)["responses"]["200"]["body"]
        self.requests = []
        self.pools = {name: {"custom": value, "etag": 1} for name, value in [
            ("pool1", "redirectcomports:i:1;drivestoredirect:s:*"), ("pool2", "audiomode:i:0"),
            ("pool3", ""), ("nullprops", None), ("conflict", "redirectcomports:i:1"), ("busy409", "redirectcomports:i:1"),
            ("busy", "redirectcomports:i:1"), ("flaky", "redirectcomports:i:1")]}
        self.first = {"busy": True, "flaky": True}
        self.graph = GraphStandIn(generated_pools)
        self.lock = threading.Lock()
        self.cert, key = make_cert(folder)
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()

    def body(self, sub, rg, name):
        b = copy.deepcopy(self.template)
        b["name"] = name
        b["id"] = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.DesktopVirtualization/hostPools/{name}"
        b["properties"]["customRdpProperty"] = self.pools[name]["custom"]
        b["properties"]["friendlyName"] = f"{name} friendly"
        return b

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, status, body, headers=None):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def error(self, status, code, message, headers=None):
                self.send(status, {"error": {"code": code, "message": message}}, headers)

            def handle_any(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                with server.lock:
                    server.requests.append({"method": self.command, "path": parts.path, "query": parse_qs(parts.query),
                                            "headers": dict(self.headers.items()), "body": body, "time": time.monotonic()})
                if parts.path == "/providers/Microsoft.ResourceGraph/resources" and self.command == "POST":
                    with server.lock:
                        status, answer, headers = server.graph.answer(parse_qs(parts.query), body, self.headers)
                    return self.send(status, answer, headers)
                segs = parts.path.strip("/").split("/")
                if len(segs) < 7 or segs[0] != "subscriptions" or segs[5] != "Microsoft.DesktopVirtualization":
                    return self.error(404, "InvalidResourceType", "no such resource type")
                sub, rg = segs[1], segs[3]
                query = parse_qs(parts.query)
                if query.get("api-version") != ["2024-04-03"]:
                    return self.error(400, "InvalidApiVersionParameter", "api-version must be 2024-04-03")
                if len(segs) == 7:
                    return self.list(sub, rg, query)
                return self.pool(sub, rg, segs[7], body)

            def list(self, sub, rg, query):
                if rg == "evil":
                    return self.send(200, {"value": [], "nextLink": "https://evil.example/steal?api-version=2024-04-03"})
                page = query.get("page", ["1"])[0]
                if page == "1":
                    value = [server.body(sub, rg, n) for n in ("pool1", "pool2")]
                    nxt = f"{server.url}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.DesktopVirtualization/hostPools?api-version=2024-04-03&page=2"
                    return self.send(200, {"value": value, "nextLink": nxt})
                return self.send(200, {"value": [server.body(sub, rg, "nullprops")], "nextLink": None})

            def pool(self, sub, rg, name, body):
                if name == "missing":
                    return self.error(404, "ResourceNotFound", f"The Resource 'Microsoft.DesktopVirtualization/hostPools/{name}' was not found.")
                if name == "garbage":
                    return self.send(200, '{"name": "garbage", "properties": {')
                if name == "echo":
                    return self.error(400, "BadRequest", f"the header was {self.headers.get('Authorization')}")
                if name == "slow":
                    time.sleep(3)
                    return self.send(200, server.body(sub, rg, "pool1"))
                with server.lock:
                    first = server.first.pop(name, False)
                if first and name == "busy":
                    return self.error(429, "TooManyRequests", "slow down", {"Retry-After": "1"})
                if first and name == "flaky":
                    return self.error(500, "InternalServerError", "try again")
                if name not in server.pools:
                    return self.error(404, "ResourceNotFound", "not found")
                state = server.pools[name]
                etag = f'"etag-{state["etag"]}"'
                if self.command == "GET":
                    return self.send(200, server.body(sub, rg, name), {"ETag": etag})
                if self.command == "PATCH":
                    if name == "busy409":
                        return self.error(409, "Conflict", "Another operation is in progress on the host pool")
                    if name == "conflict" or self.headers.get("If-Match") != etag:
                        return self.error(412, "PreconditionFailed", "The ETag does not match")
                    new = json.loads(body)["properties"]["customRdpProperty"]
                    with server.lock:
                        state["custom"] = new
                        state["etag"] += 1
                    return self.send(200, server.body(sub, rg, name), {"ETag": f'"etag-{state["etag"]}"'})
                return self.error(405, "MethodNotAllowed", self.command)

            do_GET = do_PATCH = do_PUT = do_DELETE = do_POST = handle_any

        return Handler
