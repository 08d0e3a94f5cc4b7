#!/usr/bin/env python3
"""Writes a synthetic PolicyDefinitions folder for bench_admx (python3 stdlib only).

    python3 bench/make_admx_corpus.py OUT_DIR [--count 500] [--total-mb 50] [--seed 1]
    python3 bench/make_admx_corpus.py --if-stale OUT_DIR     (run.sh: regenerate only when needed)

OUT_DIR gets COUNT `<Name>.admx` files, `en-US/<Name>.adml` beside each, and `corpus.json`
(what was written: counts and bytes, for the benchmark to check the load against).

Every file is derived from the real TerminalServer.admx / .adml of the shared data, plus a
few policies written here for the element kinds TerminalServer lacks (list, multiText,
longDecimal, boolean true/false lists, `<delete/>` values, Both class):

- one `Windows.admx` (namespace Microsoft.Policies.Windows, prefix `windows`) defines the
  `WindowsComponents` / `System` / `Network` categories and every `windows:SUPPORTED_*`
  definition the others reference through their `using prefix="windows"`;
- each other file gets its own namespace and prefix, the TerminalServer categories and
  supportedOn definitions its policies need, and a seeded random pick of the template
  policies (repeated with a copy suffix when the file must be bigger than the template):
  names, `$(string.X)` / `$(presentation.X)` ids and registry keys are renamed per copy,
  so the whole set is consistent and loads without errors (the one TerminalServer policy
  whose category the real file does not define, AutoSubscription, is left out);
- every 7th file hangs its root category on an earlier file's through an extra `using`.

File sizes (ADMX + ADML per pair) follow a log-normal distribution (sigma 1.1) scaled so
the pairs add up to TOTAL_MB (at the defaults: median 64 KB, half of them 32-130 KB, the
largest 1.25 MB): many small files and a long tail, the shape of Windows' own folder.
Output is deterministic for given arguments.
"""

import argparse
import copy
import hashlib
import json
import pathlib
import random
import re
import shutil
import sys
import xml.etree.ElementTree as ET

PD_NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
XSD_XSI = ('xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
TS_KEY = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"
TS_PREFIX = "terminalserver"
REF = re.compile(r"\$\((string|presentation)\.([^)]*)\)")
LANGUAGE = "en-US"
SIGMA = 1.1
MIN_PAIR = 6_000  # bytes: the smallest real pairs are a few KB

# Policies for the element kinds and value forms TerminalServer.admx does not use.
EXTRA_ADMX = r"""<policies>
  <policy name="BENCH_LIST_PLAIN" class="Machine" displayName="$(string.BENCH_LIST_PLAIN)" explainText="$(string.BENCH_LIST_HELP)" presentation="$(presentation.BENCH_LIST_PLAIN)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench">
    <parentCategory ref="TS_REDIRECTION" />
    <supportedOn ref="windows:SUPPORTED_Windows_10_0" />
    <elements>
      <list id="BENCH_Servers" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench\Servers" />
    </elements>
  </policy>
  <policy name="BENCH_LIST_PREFIX" class="User" displayName="$(string.BENCH_LIST_PREFIX)" explainText="$(string.BENCH_LIST_HELP)" presentation="$(presentation.BENCH_LIST_PREFIX)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench">
    <parentCategory ref="TS_CLIENT" />
    <supportedOn ref="windows:SUPPORTED_Windows_10_0" />
    <elements>
      <list id="BENCH_Ports" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench\Ports" valuePrefix="Port" expandable="true" />
    </elements>
  </policy>
  <policy name="BENCH_LIST_EXPLICIT" class="Both" displayName="$(string.BENCH_LIST_EXPLICIT)" explainText="$(string.BENCH_LIST_HELP)" presentation="$(presentation.BENCH_LIST_EXPLICIT)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench">
    <parentCategory ref="TS_REDIRECTION" />
    <supportedOn ref="windows:SUPPORTED_Windows_11_0_22H2" />
    <elements>
      <list id="BENCH_Map" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench\Map" explicitValue="true" additive="true" />
    </elements>
  </policy>
  <policy name="BENCH_MULTITEXT" class="Machine" displayName="$(string.BENCH_MULTITEXT)" explainText="$(string.BENCH_MULTITEXT_HELP)" presentation="$(presentation.BENCH_MULTITEXT)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench">
    <parentCategory ref="TS_CONNECTIONS" />
    <supportedOn ref="windows:SUPPORTED_Windows_10_0_RS4" />
    <elements>
      <multiText id="BENCH_Hosts" valueName="TrustedHosts" maxLength="512" maxStrings="64" required="true" />
    </elements>
  </policy>
  <policy name="BENCH_LONGDECIMAL" class="Machine" displayName="$(string.BENCH_LONGDECIMAL)" explainText="$(string.BENCH_LONGDECIMAL_HELP)" presentation="$(presentation.BENCH_LONGDECIMAL)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench" valueName="QuotaEnabled">
    <parentCategory ref="TS_SESSIONS" />
    <supportedOn ref="windows:SUPPORTED_Windows8" />
    <enabledValue>
      <longDecimal value="1" />
    </enabledValue>
    <disabledValue>
      <longDecimal value="0" />
    </disabledValue>
    <elements>
      <longDecimal id="BENCH_Quota" valueName="QuotaBytes" minValue="1024" maxValue="1099511627776" />
      <longDecimal id="BENCH_QuotaText" valueName="QuotaText" maxValue="18446744073709551615" storeAsText="true" />
      <decimal id="BENCH_Retries" valueName="Retries" minValue="1" maxValue="50" soft="true" />
    </elements>
  </policy>
  <policy name="BENCH_BOOLEAN_LISTS" class="User" displayName="$(string.BENCH_BOOLEAN_LISTS)" explainText="$(string.BENCH_BOOLEAN_HELP)" presentation="$(presentation.BENCH_BOOLEAN_LISTS)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench">
    <parentCategory ref="TS_CLIENT" />
    <supportedOn ref="windows:SUPPORTED_WindowsVista" />
    <elements>
      <boolean id="BENCH_Audio" valueName="AudioCapture">
        <trueValue>
          <string>on</string>
        </trueValue>
        <falseValue>
          <string>off</string>
        </falseValue>
        <trueList>
          <item valueName="AudioQuality">
            <value>
              <decimal value="2" />
            </value>
          </item>
        </trueList>
        <falseList defaultKey="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench\Audio">
          <item valueName="AudioQuality">
            <value>
              <delete />
            </value>
          </item>
        </falseList>
      </boolean>
      <boolean id="BENCH_Video" valueName="VideoCapture" />
    </elements>
  </policy>
  <policy name="BENCH_DELETE" class="Machine" displayName="$(string.BENCH_DELETE)" explainText="$(string.BENCH_DELETE_HELP)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench" valueName="LegacyMode">
    <parentCategory ref="TS_SECURITY" />
    <supportedOn ref="windows:SUPPORTED_WindowsXP" />
    <enabledValue>
      <string>legacy</string>
    </enabledValue>
    <disabledValue>
      <delete />
    </disabledValue>
  </policy>
  <policy name="BENCH_BOTH_ENUM" class="Both" displayName="$(string.BENCH_BOTH_ENUM)" explainText="$(string.BENCH_BOTH_ENUM_HELP)" presentation="$(presentation.BENCH_BOTH_ENUM)" key="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench">
    <parentCategory ref="TS_SESSIONS" />
    <supportedOn ref="windows:SUPPORTED_Windows7" />
    <elements>
      <enum id="BENCH_Profile" valueName="Profile" required="true">
        <item displayName="$(string.BENCH_Profile_Low)">
          <value>
            <string>low</string>
          </value>
          <valueList>
            <item valueName="FrameRate">
              <value>
                <decimal value="15" />
              </value>
            </item>
          </valueList>
        </item>
        <item displayName="$(string.BENCH_Profile_High)">
          <value>
            <string>high</string>
          </value>
          <valueList defaultKey="SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services\Bench\High">
            <item valueName="FrameRate">
              <value>
                <decimal value="60" />
              </value>
            </item>
            <item valueName="Codec">
              <value>
                <string>h264</string>
              </value>
            </item>
          </valueList>
        </item>
      </enum>
      <text id="BENCH_LogPath" valueName="LogPath" expandable="true" maxLength="260" soft="true" />
    </elements>
  </policy>
</policies>
"""

EXTRA_ADML = r"""<resources>
  <stringTable>
    <string id="BENCH_LIST_PLAIN">Servers allowed for device redirection</string>
    <string id="BENCH_LIST_PREFIX">Client ports offered to the session</string>
    <string id="BENCH_LIST_EXPLICIT">Drive letter mapping for redirected drives</string>
    <string id="BENCH_LIST_HELP">This policy setting lets you specify a list of entries that the Remote Desktop client or server uses when it decides which resources are redirected into a session.

If you enable this policy setting, only the entries in the list are used. Each entry is written as its own registry value below the policy's key.

If you disable or do not configure this policy setting, the built-in defaults apply and users can change them in the client.</string>
    <string id="BENCH_MULTITEXT">Trusted hosts for single sign-on</string>
    <string id="BENCH_MULTITEXT_HELP">This policy setting specifies the host names that credentials may be delegated to. Enter one host name per line; wildcards are allowed at the start of a name.

If you disable or do not configure this policy setting, credentials are not delegated to any host.</string>
    <string id="BENCH_LONGDECIMAL">Limit the size of redirected clipboard data</string>
    <string id="BENCH_LONGDECIMAL_HELP">This policy setting limits the number of bytes that can be transferred through the redirected clipboard in one session, and how often a failed transfer is retried.

If you enable this policy setting, transfers above the limit are refused. If you disable or do not configure it, there is no limit.</string>
    <string id="BENCH_BOOLEAN_LISTS">Configure audio and video capture redirection</string>
    <string id="BENCH_BOOLEAN_HELP">This policy setting controls whether audio and video capture devices of the client are available in the remote session, and at which quality.</string>
    <string id="BENCH_DELETE">Use the legacy connection broker protocol</string>
    <string id="BENCH_DELETE_HELP">This policy setting makes the server talk to a connection broker with the protocol of earlier releases. Disabling it removes the setting from the registry.</string>
    <string id="BENCH_BOTH_ENUM">Select the remote display profile</string>
    <string id="BENCH_BOTH_ENUM_HELP">This policy setting selects the display profile used for remote sessions, for computers and for users. The profile sets the frame rate and the codec; the log path receives diagnostic output.</string>
    <string id="BENCH_Profile_Low">Low bandwidth</string>
    <string id="BENCH_Profile_High">High quality</string>
  </stringTable>
  <presentationTable>
    <presentation id="BENCH_LIST_PLAIN">
      <listBox refId="BENCH_Servers">Servers:</listBox>
    </presentation>
    <presentation id="BENCH_LIST_PREFIX">
      <listBox refId="BENCH_Ports">Ports:</listBox>
    </presentation>
    <presentation id="BENCH_LIST_EXPLICIT">
      <listBox refId="BENCH_Map">Drive mappings (letter, target):</listBox>
    </presentation>
    <presentation id="BENCH_MULTITEXT">
      <multiTextBox refId="BENCH_Hosts">Host names:</multiTextBox>
    </presentation>
    <presentation id="BENCH_LONGDECIMAL">
      <longDecimalTextBox refId="BENCH_Quota" defaultValue="1048576">Maximum bytes:</longDecimalTextBox>
      <longDecimalTextBox refId="BENCH_QuotaText">Maximum bytes (text):</longDecimalTextBox>
      <decimalTextBox refId="BENCH_Retries" defaultValue="3">Retries:</decimalTextBox>
    </presentation>
    <presentation id="BENCH_BOOLEAN_LISTS">
      <checkBox refId="BENCH_Audio" defaultChecked="true">Redirect audio capture</checkBox>
      <checkBox refId="BENCH_Video">Redirect video capture</checkBox>
    </presentation>
    <presentation id="BENCH_BOTH_ENUM">
      <dropdownList refId="BENCH_Profile" defaultItem="0">Profile:</dropdownList>
      <textBox refId="BENCH_LogPath">
        <label>Log path:</label>
      </textBox>
    </presentation>
  </presentationTable>
</resources>
"""

# Syllables for file names: two of them make `PrintNet`, `DiskVoice`, ...
WINDOWS_ROOTS = {"WindowsComponents": "Windows Components", "System": "System", "Network": "Network"}

SYLLABLES = [
    "App", "Audit", "Bits", "Cred", "Dev", "Diag", "Disk", "Event", "File", "Font", "Game",
    "Hotspot", "Ink", "Kernel", "Lan", "Mobi", "Net", "Offline", "Print", "Quota", "Reg",
    "Search", "Sensor", "Tcp", "User", "Voice", "Web", "Wlan", "Xps", "Zone", "Shell", "Touch",
]


def strip_ns(root):
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]
    return root


class Template:
    """The policies, categories, supportedOn definitions and ADML tables to derive from."""

    def __init__(self, admx_path, adml_path):
        admx = strip_ns(ET.parse(admx_path).getroot())
        adml = strip_ns(ET.parse(adml_path).getroot())
        self.categories = {c.get("name"): c for c in admx.find("categories")}
        self.supported = {d.get("name"): d for d in admx.find("supportedOn/definitions")}
        # The real file has one policy (AutoSubscription) whose category it does not
        # define; our loader rightly reports it, so such policies are left out.
        self.policies = [p for p in admx.find("policies") if self.category_known(p)]
        res = adml.find("resources")
        self.strings = {s.get("id"): s.text or "" for s in res.find("stringTable")}
        self.presentations = {p.get("id"): p for p in res.find("presentationTable")}
        extra = strip_ns(ET.fromstring(EXTRA_ADMX.replace("<policies>", f'<policies xmlns="{PD_NS}">', 1)))
        extra_res = strip_ns(ET.fromstring(EXTRA_ADML.replace("<resources>", f'<resources xmlns="{PD_NS}">', 1)))
        self.policies += list(extra)
        self.strings.update({s.get("id"): s.text or "" for s in extra_res.find("stringTable")})
        self.presentations.update({p.get("id"): p for p in extra_res.find("presentationTable")})
        # Every `windows:X` supportedOn the policies use: Windows.admx must define them.
        self.windows_supported = sorted({
            el.get("ref").split(":", 1)[1] for p in self.policies for el in p.iter("supportedOn")
            if el.get("ref", "").startswith("windows:")})
        self.cost = [self.policy_cost(p) for p in self.policies]

    def category_known(self, policy):
        ref = policy.find("parentCategory").get("ref")
        return ":" in ref or ref in self.categories

    def policy_cost(self, policy):
        """Approximate bytes one copy of `policy` adds to its ADMX and ADML."""
        n = len(ET.tostring(policy, encoding="unicode"))
        for kind, ident in refs_in(policy):
            if kind == "string":
                n += len(self.strings.get(ident, "")) + len(ident) + 32
            elif ident in self.presentations:
                n += len(ET.tostring(self.presentations[ident], encoding="unicode"))
        return n


def refs_in(el):
    for node in el.iter():
        for v in node.attrib.values():
            for m in REF.finditer(v):
                yield m.group(1), m.group(2)


class FileSpec:
    def __init__(self, stem, windows=False):
        self.stem = stem
        self.prefix = stem.lower()
        self.ns = f"Microsoft.Policies.{stem}"
        self.windows = windows
        self.link = None  # (prefix, namespace) of an earlier file to hang the root category on


def file_names(count, rng):
    combos = [a + b for a in SYLLABLES for b in SYLLABLES if a != b]
    rng.shuffle(combos)
    names = combos[: count - 1]
    names += [f"Bench{i:04d}" for i in range(len(names), count - 1)]
    return ["Windows"] + names


def pair_sizes(count, total_bytes, rng):
    raw = [rng.lognormvariate(0.0, SIGMA) for _ in range(count)]
    scale = total_bytes / sum(raw)
    return [max(MIN_PAIR, int(r * scale)) for r in raw]


def rename(el, spec, index, copy_no, strings, presentations):
    """Renames one policy copy in place; records the string and presentation ids it uses."""
    suffix = f"_{copy_no}" if copy_no else ""

    def fix_ref(m):
        new = m.group(2) + suffix
        (strings if m.group(1) == "string" else presentations)[new] = m.group(2)
        return f"$({m.group(1)}.{new})"

    el.set("name", f"{el.get('name')}_{index:03d}{suffix}")
    base = f"SOFTWARE\\Policies\\Microsoft\\{spec.stem}" + (f"\\Set{copy_no}" if copy_no else "")
    for node in el.iter():
        for k, v in node.attrib.items():
            if "$(" in v:
                v = REF.sub(fix_ref, v)
            if k in ("key", "defaultKey") and v.startswith(TS_KEY):
                v = base + v[len(TS_KEY):]
            if k == "ref" and v.startswith(TS_PREFIX + ":"):
                v = spec.prefix + v[len(TS_PREFIX):]
            node.set(k, v)


def local_name_of(ref, spec):
    """`x` of a ref into the file's own namespace, else None."""
    if ":" not in ref:
        return ref
    prefix, name = ref.split(":", 1)
    return name if prefix == spec.prefix else None


def xml(el, level):
    el = copy.deepcopy(el)
    ET.indent(el, space="  ", level=level)
    return "  " * level + ET.tostring(el, encoding="unicode")


def write_pair(out_dir, spec, index, target, tpl, rng):
    """Writes one ADMX/ADML pair of about `target` bytes; returns its counts."""
    order = list(range(len(tpl.policies)))
    rng.shuffle(order)
    policies, strings, presentations = [], {}, {}
    budget = target - 4_000  # namespaces, categories, supportedOn and headers
    spent, n = 0, 0
    while n == 0 or spent < budget:
        t = order[n % len(order)]
        p = copy.deepcopy(tpl.policies[t])
        rename(p, spec, index, n // len(order), strings, presentations)
        policies.append(p)
        spent += tpl.cost[t]
        n += 1

    # Categories the policies use, with their ancestors in this file.
    cats, todo = {}, [c.get("ref") for p in policies for c in p.iter("parentCategory")]
    while todo:
        name = local_name_of(todo.pop(), spec)
        if name is None or name in cats or name not in tpl.categories:
            continue
        cat = copy.deepcopy(tpl.categories[name])
        parent = cat.find("parentCategory")
        if parent is not None:
            ref = parent.get("ref")
            if ref.startswith(TS_PREFIX + ":"):
                parent.set("ref", spec.prefix + ref[len(TS_PREFIX):])
            elif ref.startswith("windows:") and spec.link is not None:
                parent.set("ref", f"{spec.link[0]}:TS_GP_NODE")
            todo.append(parent.get("ref"))
        cats[name] = cat
    if spec.windows:
        for name in WINDOWS_ROOTS:
            cats[name] = ET.Element("category", name=name, displayName=f"$(string.{name})")
            strings[name] = None
    supported = {}
    for p in policies:
        for s in p.iter("supportedOn"):
            name = local_name_of(s.get("ref"), spec)
            if name in tpl.supported:
                supported[name] = tpl.supported[name]
    if spec.windows:
        for name in tpl.windows_supported:
            d = ET.Element("definition", name=name, displayName=f"$(string.{name})")
            ET.SubElement(d, "reference", ref="products:MicrosoftWindows")
            supported[name] = d
            strings[name] = None
    for el in list(cats.values()) + list(supported.values()):
        for kind, ident in refs_in(el):
            if kind == "string":
                strings.setdefault(ident, ident)

    usings = [] if spec.windows else [("windows", "Microsoft.Policies.Windows")]
    if spec.link is not None:
        usings.append(spec.link)
    usings.append(("products", "Microsoft.Policies.Products"))
    admx = ['<?xml version="1.0" encoding="utf-8"?>',
            "<!--  synthetic, derived from TerminalServer.admx by comredir bench/make_admx_corpus.py  -->",
            f'<policyDefinitions {XSD_XSI} revision="1.0" schemaVersion="1.0" xmlns="{PD_NS}">',
            "  <policyNamespaces>",
            f'    <target prefix="{spec.prefix}" namespace="{spec.ns}" />']
    admx += [f'    <using prefix="{p}" namespace="{ns}" />' for p, ns in usings]
    admx += ["  </policyNamespaces>", '  <resources minRequiredRevision="1.0" />']
    if supported:
        admx += ["  <supportedOn>", "    <definitions>"]
        admx += [xml(d, 3) for d in supported.values()]
        admx += ["    </definitions>", "  </supportedOn>"]
    admx += ["  <categories>"] + [xml(c, 2) for c in cats.values()] + ["  </categories>"]
    admx += ["  <policies>"] + [xml(p, 2) for p in policies] + ["  </policies>", "</policyDefinitions>", ""]

    string_els = []
    for new, orig in strings.items():
        s = ET.Element("string", id=new)
        s.text = tpl.strings.get(orig) if orig is not None else None
        if s.text is None:  # Windows.admx's own names
            s.text = WINDOWS_ROOTS.get(new) or new.replace("SUPPORTED_", "At least ").replace("_", " ")
        string_els.append(s)
    pres_els = []
    for new, orig in presentations.items():
        pr = copy.deepcopy(tpl.presentations[orig])
        pr.set("id", new)
        pres_els.append(pr)
    adml = ['<?xml version="1.0" encoding="utf-8"?>',
            f'<policyDefinitionResources {XSD_XSI} revision="1.0" schemaVersion="1.0" xmlns="{PD_NS}">',
            f"  <displayName>{spec.stem} policies</displayName>",
            "  <description>synthetic administrative template for comredir's benchmark</description>",
            "  <resources>", "    <stringTable>"]
    adml += [xml(s, 3) for s in string_els]
    adml += ["    </stringTable>", "    <presentationTable>"]
    adml += [xml(p, 3) for p in pres_els]
    adml += ["    </presentationTable>", "  </resources>", "</policyDefinitionResources>", ""]

    admx_bytes = "\n".join(admx).encode("utf-8")
    adml_bytes = "\n".join(adml).encode("utf-8")
    (out_dir / f"{spec.stem}.admx").write_bytes(admx_bytes)
    (out_dir / LANGUAGE / f"{spec.stem}.adml").write_bytes(adml_bytes)
    return {"policies": len(policies), "categories": len(cats), "supported_on": len(supported),
            "admx_bytes": len(admx_bytes), "adml_bytes": len(adml_bytes)}


def fingerprint(args, template_paths):
    h = hashlib.sha256(pathlib.Path(__file__).read_bytes())
    for p in template_paths:
        h.update(p.read_bytes())
    h.update(f"{args.count} {args.total_mb} {args.seed}".encode())
    return h.hexdigest()


def main():
    here = pathlib.Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=pathlib.Path, help="folder to write (created; an old corpus is replaced)")
    ap.add_argument("--count", type=int, default=500, help="ADMX+ADML pairs (default 500)")
    ap.add_argument("--total-mb", type=float, default=50.0, help="ADMX+ADML bytes, in MB (default 50)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=pathlib.Path, default=here.parent.parent / "shared" / "data",
                    help="the shared data folder (holds admx/TerminalServer.admx)")
    ap.add_argument("--if-stale", action="store_true",
                    help="do nothing when OUT already holds this corpus (same script, template, arguments)")
    args = ap.parse_args()
    if args.count < 2:
        ap.error("--count must be at least 2")
    admx_path = args.data / "admx" / "TerminalServer.admx"
    adml_path = args.data / "admx" / LANGUAGE / "TerminalServer.adml"
    if not admx_path.is_file() or not adml_path.is_file():
        print(f"make_admx_corpus.py: no `{admx_path}` / `{adml_path}`", file=sys.stderr)
        return 2
    fp = fingerprint(args, [admx_path, adml_path])
    manifest_path = args.out / "corpus.json"
    if manifest_path.is_file():
        old = json.loads(manifest_path.read_text())
        if args.if_stale and old.get("fingerprint") == fp:
            return 0
        for f in args.out.glob("*.admx"):
            f.unlink()
        shutil.rmtree(args.out / LANGUAGE, ignore_errors=True)
        manifest_path.unlink()
    elif args.out.exists() and any(args.out.iterdir()):
        print(f"make_admx_corpus.py: `{args.out}` is not empty and holds no corpus.json", file=sys.stderr)
        return 2
    (args.out / LANGUAGE).mkdir(parents=True, exist_ok=True)

    tpl = Template(admx_path, adml_path)
    rng = random.Random(args.seed)
    specs = [FileSpec(n, windows=(i == 0)) for i, n in enumerate(file_names(args.count, rng))]
    for i, spec in enumerate(specs):
        if i >= 7 and i % 7 == 0:
            j = rng.randrange(1, i)
            spec.link = (specs[j].prefix, specs[j].ns)
    sizes = pair_sizes(args.count, int(args.total_mb * 1e6), rng)
    totals = {"policies": 0, "categories": 0, "supported_on": 0, "admx_bytes": 0, "adml_bytes": 0}
    for i, spec in enumerate(specs):
        counts = write_pair(args.out, spec, i, sizes[i], tpl, random.Random(args.seed * 1_000_003 + i))
        for k in totals:
            totals[k] += counts[k]
    manifest = {"generator": "bench/make_admx_corpus.py", "fingerprint": fp, "seed": args.seed,
                "language": LANGUAGE, "admx_files": args.count, "adml_files": args.count, **totals}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    mb = (totals["admx_bytes"] + totals["adml_bytes"]) / 1e6
    print(f"make_admx_corpus.py: {args.count} pairs, {totals['policies']} policies, {mb:.1f} MB "
          f"in `{args.out}`", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
