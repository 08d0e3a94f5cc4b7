#!/usr/bin/python3
"""The HTML fleet report in a real browser (Debian's headless Chromium): the report of the
example estate opened from a file; the summary counts and decision cells read from the DOM
match the JSON written beside it; the matrix sorts by a feature; axe-core finds no serious
or critical violation in the light and the dark scheme; nothing is loaded from anywhere;
a screenshot (checked not blank) in ARTIFACTS. Then a report of Azure host pools from the
local Resource Graph stand-in (arm_server.py): its `unknown` cells, counts and sort order,
and axe-core in both schemes again.

Reports SKIP (77) when the browser, its driver or selenium is missing or cannot start, or
axe-core is not built (COMREDIR_WEB=OFF).

usage: report_html_test.py COMREDIR_POLICY SOURCE_DIR AXE_JS ARTIFACTS SHARED_DATA
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from browser import axe_violations, png_not_blank, prepare, start_browser  # noqa: E402
from clitest import Suite  # noqa: E402


def checks(s, d, report, html_path, axe_source, artifacts):
    d.get("file://" + html_path)
    dom = lambda script, *a: d.execute_script(script, *a)  # noqa: E731
    s.check("the page's title names the report", dom("return document.title").startswith("comredir report"))
    s.check("summary: the host count is the JSON's",
            dom("return document.getElementById('summary-hosts').textContent") == str(report["summary"]["hosts"]))
    for f in report["features"]:
        got = dom("return document.getElementById('count-deny-' + arguments[0]).textContent", f["id"])
        if got != str(report["summary"]["features"][f["id"]]["deny"]):
            s.check(f"summary: deny count of {f['id']}", False, (got, report["summary"]["features"][f["id"]]))
            break
    else:
        s.check(f"summary: every feature's deny count ({len(report['features'])}) is the JSON's", True)
    for host, feature in (("pool1", "com_ports"), ("lab", "clipboard"), ("serial-linux", "serial_console")):
        want = next(x for h in report["hosts"] if h["host"] == host for x in h["decisions"] if x["feature"] == feature)
        cells = dom("return [...document.getElementById(arguments[0]).cells].map(c => c.textContent)",
                    f"d-{host}-{feature}")
        s.check(f"decision cell {host} / {feature}: value, layer and setting as in the JSON",
                cells[1] == want["value"] and cells[2].startswith(want["decidedBy"]) and
                want["setting"] in cells[3], (cells, want["value"], want["setting"]))
    statuses = dom("return [...document.querySelectorAll('table.matrix tbody tr')].map(r => "
                   "[r.cells[0].textContent, ...[...r.cells].slice(1).map(c => c.dataset.status)])")
    want = [[h["host"]] + [next((x["status"] for x in h["decisions"] if x["feature"] == f["id"]), "")
                           for f in report["features"]] for h in report["hosts"]]
    s.check("the matrix holds every host x feature status of the JSON", statuses == want, statuses[:2])
    s.check("the matrix says it in text, not colour alone",
            dom("return [...document.querySelectorAll('table.matrix tbody td')].every(c => c.textContent.trim() !== '')"))
    col = 1 + [f["id"] for f in report["features"]].index("com_ports")
    dom("document.querySelectorAll('table.matrix thead th')[arguments[0]].querySelector('button').click()", col)
    first = dom("return [...document.querySelectorAll('table.matrix tbody tr')].map(r => r.cells[arguments[0]].dataset.status)", col)
    s.check("a feature's heading sorts the matrix by it, deny first", first == sorted(first, key=["deny", "error", "allow"].index),
            first)
    resources = dom("return performance.getEntriesByType('resource').map(e => e.name)")
    s.check("nothing is loaded from anywhere", resources == [], resources)
    shot = os.path.join(artifacts, "report.png")
    d.set_window_size(1280, 1500)
    d.save_screenshot(shot)
    s.check("the report's screenshot is not blank (docs/images/report.png is this picture)", png_not_blank(shot))
    bad = axe_violations(d, axe_source)
    s.check("axe-core: no serious or critical violation (light)", not bad, bad)
    dom("document.querySelectorAll('details').forEach(x => x.open = false)")
    hidden = not dom("return document.querySelector('details table').checkVisibility()")
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    printed = dom("return document.querySelector('details table').checkVisibility()")
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    s.check("printed, a collapsed host section shows its tables", hidden and printed, (hidden, printed))
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    d.get("file://" + html_path)
    bad = axe_violations(d, axe_source)
    s.check("axe-core: none in the dark scheme either", not bad, bad)
    s.check("no horizontal scrolling of the page (wide tables scroll in their own box)",
            dom("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
    d.save_screenshot(os.path.join(artifacts, "report-dark.png"))


def graph_checks(s, d, tmp, estate, shared, axe_source):
    """The report of Azure host pools (Resource Graph stand-in): unknown cells and counts."""
    if shutil.which("openssl") is None:
        s.check("SKIP the Resource Graph report: openssl is missing", True)
        return
    from arm_server import ArmServer
    server = ArmServer(os.path.join(shared, "arm", "HostPool_Update.json"), tmp)
    try:
        code, out, err = s.run("report", "--resource-graph", "--subscription", "sub-fleet", "--arm-endpoint", server.url,
                               "--ca-file", server.cert, "--config", "comredir.json", "--json", "g.json",
                               "--html", "g.html", env_extra={"COMREDIR_ARM_TOKEN": "t", "no_proxy": "127.0.0.1"})
    finally:
        server.stop()
    s.check("the Resource Graph report is written (exit 3: one pool holds an invalid value)", code == 3, (code, err))
    with open(os.path.join(estate, "g.json")) as f:
        report = json.load(f)
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    d.get("file://" + os.path.join(estate, "g.html"))
    dom = lambda script, *a: d.execute_script(script, *a)  # noqa: E731
    got = dom("return document.getElementById('count-unknown-com_ports').textContent")
    s.check("graph report: the unknown count is the JSON's", got == str(report["summary"]["features"]["com_ports"]["unknown"]),
            got)
    col = 1 + [f["id"] for f in report["features"]].index("com_ports")
    cell = dom("const r = [...document.querySelectorAll('table.matrix tbody tr')].find(r => r.cells[0].textContent === "
               "'pool-eu'); return [r.cells[arguments[0]].dataset.status, r.cells[arguments[0]].textContent]", col)
    s.check("graph report: a pool with its OS policy unknown reads `unknown` in the matrix", cell == ["unknown", "unknown"],
            cell)
    dom("document.querySelectorAll('table.matrix thead th')[arguments[0]].querySelector('button').click()", col)
    order = dom("return [...document.querySelectorAll('table.matrix tbody tr')].map(r => r.cells[arguments[0]].dataset.status)",
                col)
    s.check("graph report: sorting puts deny, error, unknown, allow in that order",
            order == sorted(order, key=["deny", "error", "unknown", "allow"].index) and "unknown" in order, order)
    bad = axe_violations(d, axe_source)
    s.check("graph report: axe-core finds no serious or critical violation (light)", not bad, bad)
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    d.get("file://" + os.path.join(estate, "g.html"))
    bad = axe_violations(d, axe_source)
    s.check("graph report: none in the dark scheme either", not bad, bad)


def main(binary, src, axe_js, artifacts, shared):
    axe_source = prepare(axe_js, artifacts)
    tmp = tempfile.mkdtemp(prefix="comredir-report-html-")
    estate = os.path.join(tmp, "examples")
    shutil.copytree(os.path.join(src, "examples"), estate)
    s = Suite(binary, home=tmp, cwd=estate)
    code, out, err = s.run("report", "--config", "comredir.json", "--baseline", "pool1",
                           "--json", "r.json", "--html", "r.html")
    s.check("report writes the HTML and the JSON", code == 0, (code, err))
    with open(os.path.join(estate, "r.json")) as f:
        report = json.load(f)
    try:
        d = start_browser(tmp)
    except Exception as e:  # noqa: BLE001
        print(f"SKIP: the browser does not start: {str(e).splitlines()[0]}")
        sys.exit(77)
    try:
        checks(s, d, report, os.path.join(estate, "r.html"), axe_source, artifacts)
        graph_checks(s, d, tmp, estate, shared, axe_source)
    finally:
        d.quit()
        shutil.rmtree(tmp)
    s.finish()


if __name__ == "__main__":
    main(*sys.argv[1:6])
