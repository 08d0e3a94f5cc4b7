"""Azure Resource Graph's `resources` query as the ARM stand-in (arm_server.py) answers it,
for `report --resource-graph`: POST /providers/Microsoft.ResourceGraph/resources
?api-version=2024-04-01 with {subscriptions | managementGroups, query, options}. Rows come 3
per page whatever `$top` asks (so paging is exercised) with an opaque `$skipToken`; a page
asked with a body that differs from the first in anything but `$skipToken` is refused, as a
token is only valid for the query it came from.

The scope picks the behaviour:
  sub-fleet, mg-fleet  the fleet below, paged
  sub-busy             the first query answers 429 with x-ms-user-quota-resets-after 00:00:01
  sub-truncated        2 of the fleet's rows, resultTruncated "true", no $skipToken
  sub-garbage          malformed JSON
  sub-pagefail         page 1, then 503 (Retry-After: 0) on every later page
  sub-echo             400 whose message holds the Authorization header
  sub-gen              `generated` pools pool-0000... (GraphStandIn(generated=N)), pages of
                       `$top` rows: the benchmark's fleet (bench/report_fleet.py)
"""
import base64
import json

ARM = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.DesktopVirtualization/hostpools/{name}"

# (subscription, resource group, name, customRdpProperty); None: null in Azure
FLEET = [
    ("sub-fleet", "rg-avd", "pool1", "redirectcomports:i:0;redirectclipboard:i:1"),
    ("sub-fleet", "rg-avd", "lab", "redirectcomports:i:1;drivestoredirect:s:*"),
    ("sub-fleet", "rg-eu", "pool-eu", "redirectcomports:i:1;audiocapturemode:i:1"),
    ("sub-fleet", "rg-eu", "pool-nocom", "redirectcomports:i:0"),
    ("sub-fleet", "rg-eu", "pool-null", None),
    ("sub-fleet", "rg-eu", "pool-bad", "redirectcomports:i:7"),
    ("sub-fleet", "rg-us", "pool-dup", "redirectcomports:i:1"),
    ("sub-other", "rg-us", "pool-dup", "redirectcomports:i:0"),
]
PAGE = 3


def rows():
    out = []
    for sub, rg, name, custom in FLEET:
        out.append({"id": ARM.format(sub=sub, rg=rg, name=name), "name": name, "type": "microsoft.desktopvirtualization/hostpools",
                    "subscriptionId": sub, "resourceGroup": rg, "location": "westeurope",
                    "friendlyName": f"{name} friendly", "customRdpProperty": custom})
    return sorted(out, key=lambda r: r["id"].lower())


GEN_PROPS = ["redirectcomports:i:1;redirectclipboard:i:1;drivestoredirect:s:*",
             "redirectcomports:i:0;redirectclipboard:i:0;audiocapturemode:i:1",
             "redirectcomports:i:1;usbdevicestoredirect:s:*;redirectlocation:i:0"]


def generated_rows(n):
    return [{"id": ARM.format(sub="sub-gen", rg=f"rg-{i // 100:02d}", name=f"pool-{i:04d}"), "name": f"pool-{i:04d}",
             "subscriptionId": "sub-gen", "resourceGroup": f"rg-{i // 100:02d}", "location": "westeurope",
             "friendlyName": "", "customRdpProperty": GEN_PROPS[i % 3]} for i in range(n)]


class GraphStandIn:
    def __init__(self, generated=0):
        self.first_body = {}  # scope -> the first page's body without $skipToken
        self.busy_done = False
        self.generated = generated_rows(generated)

    @staticmethod
    def error(status, code, message, headers=None):
        return status, {"error": {"code": code, "message": message}}, headers or {}

    def answer(self, query, body_text, headers):
        if query.get("api-version") != ["2024-04-01"]:
            return self.error(400, "InvalidApiVersionParameter", "api-version must be 2024-04-01")
        try:
            body = json.loads(body_text)
        except ValueError:
            return self.error(400, "BadRequest", "the body is not JSON")
        scope = (body.get("subscriptions") or body.get("managementGroups") or ["?"])[0]
        if "microsoft.desktopvirtualization/hostpools" not in body.get("query", "") or "project id" not in body.get("query", ""):
            return self.error(400, "BadRequest", "the stand-in only answers the host pools query projecting id")
        options = dict(body.get("options") or {})
        token = options.pop("$skipToken", None)
        plain = dict(body, options=options)
        if token is None:
            self.first_body[scope] = plain
        elif self.first_body.get(scope) != plain:
            return self.error(400, "InvalidSkipToken", "the $skipToken belongs to another query")
        offset = int(base64.b64decode(token).decode()) if token else 0
        data = self.generated if scope == "sub-gen" else rows()
        if scope == "sub-echo":
            return self.error(400, "BadRequest", f"the header was {headers.get('Authorization')}")
        if scope == "sub-garbage":
            return 200, '{"totalRecords": 8, "data": [ {"id": ', {}
        if scope == "sub-busy" and not self.busy_done:
            self.busy_done = True
            return self.error(429, "RateLimiting", "Please provide below info when asking for support",
                              {"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:01"})
        if scope == "sub-truncated":
            return 200, {"totalRecords": len(data), "count": 2, "data": data[:2], "facets": [],
                         "resultTruncated": "true"}, {}
        if scope == "sub-pagefail" and offset > 0:
            return self.error(503, "ServiceUnavailable", "try later", {"Retry-After": "0"})
        top = min(int(options.get("$top", 100)), 1000 if scope == "sub-gen" else PAGE)
        page = data[offset:offset + top]
        answer = {"totalRecords": len(data), "count": len(page), "data": page, "facets": [],
                  "resultTruncated": "false"}
        if offset + top < len(data):
            answer["$skipToken"] = base64.b64encode(str(offset + top).encode()).decode()
        return 200, answer, {"x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": "00:00:05"}
