"""Debian's headless Chromium for the tests that use a browser (console_web_test.py,
report_html_test.py): chromedriver through python3-selenium, with the flags this sandbox
needs; a wait helper, a non-blank check for screenshots, and axe-core's serious and critical
violations.
"""
import os
import sys
import time
import zlib

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def browser_missing():
    """What a browser test lacks here (empty: it can try to start the browser)."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python3-selenium")
    return missing


def start_browser(downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--no-first-run", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--ignore-certificate-errors", "--window-size=1280,860",
              "--force-prefers-reduced-motion"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
    d.set_script_timeout(60)
    d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return d


def wait(cond, timeout=10, step=0.05):
    deadline = time.monotonic() + timeout
    while True:
        try:
            v = cond()
        except Exception:  # noqa: BLE001 (the page may be between states)
            v = None
        if v:
            return v
        if time.monotonic() > deadline:
            return v
        time.sleep(step)


def png_not_blank(path):
    """Decodes the PNG's pixel rows (zlib) and counts distinct byte values: a blank page
    has a handful, a page with text and controls has dozens."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return False
    pos, idat = 8, b""
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    return len(set(zlib.decompress(idat))) > 40



def prepare(axe_js, artifacts, missing=()):
    """Exits with SKIP (77) naming what is missing (the browser, selenium, axe-core, and
    `missing`); else makes `artifacts` and returns axe-core's source."""
    lacking = list(missing) + browser_missing()
    if not os.path.exists(axe_js):
        lacking.append(f"axe-core ({axe_js})")
    if lacking:
        print("SKIP: missing " + ", ".join(lacking))
        sys.exit(77)
    os.makedirs(artifacts, exist_ok=True)
    with open(axe_js) as f:
        return f.read()


def axe_violations(driver, axe_source):
    """axe-core run on the page: its serious and critical violations (id, impact, nodes)."""
    driver.execute_script(axe_source)
    r = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))),"
        " e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));")
    return [v for v in r if v["impact"] in ("serious", "critical")]
