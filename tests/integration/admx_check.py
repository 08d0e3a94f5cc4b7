#!/usr/bin/env python3
"""Validate comredir's own Group Policy templates (admx/comredir.admx, admx/en-US/comredir.adml).

usage: admx_check.py REPO_ROOT SCHEMA_DIR [MS_ADMX_DIR]

  REPO_ROOT    the project's root (holds admx/)
  SCHEMA_DIR   ../shared/schemas/admx (holds PolicyDefinitionFiles.xsd); the shared root is accepted too
  MS_ADMX_DIR  Microsoft's TerminalServer.admx and en-US/TerminalServer.adml, used as a control
               (default: ../../data/admx relative to SCHEMA_DIR)

1. xmllint validates both files against the ADMX schema; Microsoft's TerminalServer.admx/.adml
   must validate too (a control: if they fail, the schema or xmllint is broken, not our files).
2. Semantic checks the schema cannot express (references, duplicates, registry keys, defaults).
3. Each semantic check is shown to fail: mutated copies of the templates are written to a
   temporary directory and every mutation must be reported by the check it targets.

Prints one line per check and `N passed, M failed`; exits 1 on any failure, 77 if xmllint is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable

NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
REF_RE = re.compile(r"\$\((string|presentation)\.([A-Za-z0-9_]+)\)")
OWN_KEY_RE = re.compile(r"^SOFTWARE\\Policies\\comredir(\\|$)", re.IGNORECASE)
MICROSOFT_KEY_RE = re.compile(r"^Software\\Policies\\Microsoft(\\|$)", re.IGNORECASE)
PASTE_LIMIT = ("SerialConsolePasteLimit", "PasteLimitChars", 2048)  # policy, element id, default
# presentation control -> policy element kinds it may drive
CONTROL_KINDS = {
    "decimalTextBox": {"decimal", "text"},
    "textBox": {"text"},
    "comboBox": {"text"},
    "checkBox": {"boolean"},
    "dropdownList": {"enum"},
    "listBox": {"list"},
}


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass
class Templates:
    admx_path: str
    adml_path: str
    admx: ET.Element
    adml: ET.Element
    strings: list[tuple[str, str]] = field(default_factory=list)  # (id, text), file order
    presentations: list[ET.Element] = field(default_factory=list)

    @classmethod
    def load(cls, admx_path: str, adml_path: str) -> "Templates":
        t = cls(admx_path, adml_path, ET.parse(admx_path).getroot(), ET.parse(adml_path).getroot())
        t.strings = [(s.get("id", ""), s.text or "") for s in t.adml.iter(q("string"))]
        t.presentations = list(t.adml.iter(q("presentation")))
        return t

    def policies(self) -> list[ET.Element]:
        return list(self.admx.iter(q("policy")))

    def string_text(self, ref: str | None) -> str:
        m = REF_RE.fullmatch(ref or "")
        return dict(self.strings).get(m.group(2), "") if m else ""

    def presentation_of(self, policy: ET.Element) -> ET.Element | None:
        m = REF_RE.fullmatch(policy.get("presentation", ""))
        if not m:
            return None
        return next((p for p in self.presentations if p.get("id") == m.group(2)), None)


def elements_of(policy: ET.Element) -> list[ET.Element]:
    elems = policy.find(q("elements"))
    return list(elems) if elems is not None else []


def admx_refs(t: Templates) -> list[tuple[str, str, str]]:
    """(kind, id, where) for every $(string.X) / $(presentation.X) in the ADMX."""
    out = []
    for el in t.admx.iter():
        for attr, value in el.attrib.items():
            for m in REF_RE.finditer(value):
                where = f"<{local(el.tag)} {attr}>" + (f" of `{el.get('name')}`" if el.get("name") else "")
                out.append((m.group(1), m.group(2), where))
    return out


def duplicates(values: list[str]) -> list[str]:
    seen, dups = set(), []
    for v in values:
        if v in seen and v not in dups:
            dups.append(v)
        seen.add(v)
    return dups


# --- checks: each returns a list of problems (empty = pass) -------------------------------------


def check_schema(t: Templates, xmllint: str, schema: str) -> list[str]:
    problems = []
    for path in (t.admx_path, t.adml_path):
        r = subprocess.run([xmllint, "--noout", "--schema", schema, path], capture_output=True, text=True)
        if r.returncode != 0:
            first = next((ln for ln in r.stderr.splitlines() if ln.strip()), f"exit {r.returncode}")
            problems.append(f"{os.path.basename(path)}: {first}")
    return problems


def check_refs(t: Templates) -> list[str]:
    have = {"string": {sid for sid, _ in t.strings}, "presentation": {p.get("id") for p in t.presentations}}
    return [f"{where}: `$({kind}.{rid})` is not in the adml" for kind, rid, where in admx_refs(t)
            if rid not in have[kind]]


def check_unused(t: Templates) -> list[str]:
    used = {(kind, rid) for kind, rid, _ in admx_refs(t)}
    problems = [f"string `{sid}` is never referenced" for sid, _ in t.strings if ("string", sid) not in used]
    problems += [f"presentation `{p.get('id')}` is never referenced" for p in t.presentations
                 if ("presentation", p.get("id")) not in used]
    return problems


def check_duplicates(t: Templates) -> list[str]:
    tables = {
        "policy name": [p.get("name", "") for p in t.policies()],
        "category name": [c.get("name", "") for c in t.admx.iter(q("category"))],
        "supportedOn definition": [d.get("name", "") for d in t.admx.iter(q("definition"))],
        "string id": [sid for sid, _ in t.strings],
        "presentation id": [p.get("id", "") for p in t.presentations],
    }
    problems = [f"{what} `{v}` is defined twice" for what, vals in tables.items() for v in duplicates(vals)]
    for p in t.policies():
        for v in duplicates([e.get("id", "") for e in elements_of(p)]):
            problems.append(f"policy `{p.get('name')}`: element id `{v}` is defined twice")
    for pres in t.presentations:
        for v in duplicates([c.get("refId", "") for c in pres if c.get("refId")]):
            problems.append(f"presentation `{pres.get('id')}`: refId `{v}` is used twice")
    return problems


def check_presentations(t: Templates) -> list[str]:
    problems = []
    for p in t.policies():
        name, elems = p.get("name"), {e.get("id"): local(e.tag) for e in elements_of(p)}
        pres = t.presentation_of(p)
        if pres is None:
            if elems:
                problems.append(f"policy `{name}` has elements but no presentation")
            continue
        controls = {c.get("refId"): local(c.tag) for c in pres if c.get("refId") is not None}
        for ref, ctl in controls.items():
            if ref not in elems:
                problems.append(f"presentation `{pres.get('id')}`: {ctl} refId `{ref}` "
                                f"is not an element of policy `{name}`")
            elif elems[ref] not in CONTROL_KINDS.get(ctl, set()):
                problems.append(f"presentation `{pres.get('id')}`: {ctl} cannot drive {elems[ref]} element `{ref}`")
        problems += [f"policy `{name}`: element `{e}` has no control in presentation `{pres.get('id')}`"
                     for e in elems if e not in controls]
    return problems


def check_keys(t: Templates) -> list[str]:
    problems = []
    for el in t.admx.iter():
        for attr in ("key", "defaultKey"):
            key = el.get(attr)
            if key is None:
                continue
            owner = el.get("name") or el.get("id") or el.get("valueName") or local(el.tag)
            if MICROSOFT_KEY_RE.match(key):
                problems.append(f"<{local(el.tag)}> `{owner}`: key `{key}` is under Software\\Policies\\Microsoft "
                                "(Intune's custom ADMX ingestion refuses it)")
            elif not OWN_KEY_RE.match(key):
                problems.append(f"<{local(el.tag)}> `{owner}`: key `{key}` is not under SOFTWARE\\Policies\\comredir")
    return problems


def check_policies(t: Templates) -> list[str]:
    ns = t.admx.find(q("policyNamespaces"))
    prefixes = {u.get("prefix") for u in ns.iter(q("using"))} if ns is not None else set()
    categories = {c.get("name") for c in t.admx.iter(q("category"))}
    supported = {d.get("name") for d in t.admx.iter(q("definition"))}

    def resolves(ref: str | None, local_names: set) -> bool:
        if not ref:
            return False
        if ":" in ref:  # another namespace: its prefix must at least be declared
            return ref.split(":", 1)[0] in prefixes
        return ref in local_names

    problems = []
    for c in t.admx.iter(q("category")):
        parent = c.find(q("parentCategory"))
        if parent is not None and not resolves(parent.get("ref"), categories):
            problems.append(f"category `{c.get('name')}`: parentCategory `{parent.get('ref')}` does not exist")
    for p in t.policies():
        name = p.get("name")
        if p.get("class") != "Machine":
            problems.append(f"policy `{name}`: class `{p.get('class')}`, expected `Machine`")
        if not p.get("explainText"):
            problems.append(f"policy `{name}` has no explainText")
        so = p.find(q("supportedOn"))
        if so is None:
            problems.append(f"policy `{name}` has no supportedOn")
        elif not resolves(so.get("ref"), supported):
            problems.append(f"policy `{name}`: supportedOn `{so.get('ref')}` is not defined")
        parent = p.find(q("parentCategory"))
        if parent is None:
            problems.append(f"policy `{name}` has no parentCategory")
        elif not resolves(parent.get("ref"), categories):
            problems.append(f"policy `{name}`: parentCategory `{parent.get('ref')}` does not exist")
    return problems


def check_defaults(t: Templates) -> list[str]:
    """Presentation defaults lie within the element's range and are the ones the explain text states."""
    problems = []
    for p in t.policies():
        pres = t.presentation_of(p)
        if pres is None:
            continue
        name, explain = p.get("name"), t.string_text(p.get("explainText"))
        elems = {e.get("id"): e for e in elements_of(p)}
        for ctl in pres:
            el = elems.get(ctl.get("refId"))
            if el is None:
                continue  # reported by check_presentations
            if local(ctl.tag) == "decimalTextBox" and local(el.tag) == "decimal":
                lo, hi = int(el.get("minValue", "0")), int(el.get("maxValue", "9999"))
                default = int(ctl.get("defaultValue", "1"))
                if not lo <= default <= hi:
                    problems.append(f"policy `{name}`: default {default} of `{el.get('id')}` is outside {lo}..{hi}")
                if not re.search(rf"(?<![0-9]){default}(?![0-9])", explain):
                    problems.append(f"policy `{name}`: explain text does not state the default {default}")
            elif local(ctl.tag) == "textBox":
                dv = ctl.find(q("defaultValue"))
                if dv is not None and dv.text and dv.text not in explain:
                    problems.append(f"policy `{name}`: explain text does not state the default `{dv.text}`")
    return problems


def check_paste_limit(t: Templates) -> list[str]:
    policy_name, elem_id, want = PASTE_LIMIT
    p = next((p for p in t.policies() if p.get("name") == policy_name), None)
    if p is None:
        return [f"policy `{policy_name}` is missing"]
    pres = t.presentation_of(p)
    ctl = None if pres is None else next((c for c in pres if c.get("refId") == elem_id), None)
    if ctl is None or local(ctl.tag) != "decimalTextBox":
        return [f"policy `{policy_name}`: no decimalTextBox for `{elem_id}`"]
    got = ctl.get("defaultValue")
    return [] if got == str(want) else [f"policy `{policy_name}`: paste limit default `{got}`, expected `{want}`"]


SEMANTIC_CHECKS: list[tuple[str, Callable[[Templates], list[str]]]] = [
    ("refs", check_refs),
    ("unused", check_unused),
    ("duplicates", check_duplicates),
    ("presentations", check_presentations),
    ("keys", check_keys),
    ("policies", check_policies),
    ("defaults", check_defaults),
    ("paste_limit", check_paste_limit),
]


# --- mutations: (name, check that must report it, file, old, new) -------------------------------

MUTATIONS = [
    ("dangling-string-ref", "refs", "admx",
     'explainText="$(string.OneSessionPerPort_Help)"', 'explainText="$(string.nope)"'),
    ("dangling-presentation-ref", "refs", "admx",
     'presentation="$(presentation.LatencyWarning)"', 'presentation="$(presentation.nope)"'),
    ("unused-string", "unused", "adml",
     "<stringTable>", '<stringTable><string id="NeverUsed">never used</string>'),
    ("duplicate-policy-name", "duplicates", "admx",
     'name="OneSessionPerPort"', 'name="AllowNonWindowsClients"'),
    ("duplicate-string-id", "duplicates", "adml",
     '<string id="Cat_SerialConsole">', '<string id="Cat_Redirection">'),
    ("presentation-refid-mismatch", "presentations", "adml",
     'refId="PasteLimitChars"', 'refId="PasteLimit"'),
    ("key-under-microsoft", "keys", "admx",
     'key="SOFTWARE\\Policies\\comredir\\Redirection"',
     'key="Software\\Policies\\Microsoft\\Windows NT\\Terminal Services"'),
    ("key-outside-own", "keys", "admx",
     'key="SOFTWARE\\Policies\\comredir\\SerialConsole\\AttachRoles"',
     'key="SOFTWARE\\Policies\\comredir-other\\AttachRoles"'),
    ("missing-explain", "policies", "admx",
     ' explainText="$(string.LatencyWarning_Help)"', ""),
    ("missing-supportedOn", "policies", "admx",
     '<supportedOn ref="SUPPORTED_comredir_0_1" />', ""),
    ("dangling-parent-category", "policies", "admx",
     '<parentCategory ref="Cat_SerialConsole" />', '<parentCategory ref="Cat_Nope" />'),
    ("default-not-in-explain", "defaults", "adml",
     'defaultValue="20"', 'defaultValue="25"'),
    ("default-out-of-range", "defaults", "adml",
     'defaultValue="30"', 'defaultValue="5000"'),
    ("paste-limit-not-2048", "paste_limit", "adml",
     'defaultValue="2048"', 'defaultValue="4096"'),
    ("schema-invalid", "schema", "admx",
     '<policy name="OneSessionPerPort" class="Machine"', '<policy name="OneSessionPerPort"'),
]


def run_all(t: Templates, xmllint: str, schema: str) -> dict[str, list[str]]:
    results = {"schema": check_schema(t, xmllint, schema)}
    for name, fn in SEMANTIC_CHECKS:
        results[name] = fn(t)
    return results


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    repo = os.path.abspath(argv[1])
    schema_dir = os.path.abspath(argv[2])
    if not os.path.isfile(os.path.join(schema_dir, "PolicyDefinitionFiles.xsd")):
        schema_dir = os.path.join(schema_dir, "schemas", "admx")  # the shared root was given
    schema = os.path.join(schema_dir, "PolicyDefinitionFiles.xsd")
    ms_dir = os.path.abspath(argv[3]) if len(argv) == 4 else os.path.normpath(
        os.path.join(schema_dir, "..", "..", "data", "admx"))

    xmllint = shutil.which("xmllint") or ("/usr/bin/xmllint" if os.access("/usr/bin/xmllint", os.X_OK) else None)
    if xmllint is None:
        print("SKIP: xmllint not found (Debian: apt-get install libxml2-utils)")
        return 77
    if not os.path.isfile(schema):
        print(f"FAIL: schema `{schema}` not found")
        return 1

    admx = os.path.join(repo, "admx", "comredir.admx")
    adml = os.path.join(repo, "admx", "en-US", "comredir.adml")
    passed = failed = 0

    def report(ok: bool, line: str) -> None:
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("PASS " if ok else "FAIL ") + line)

    # Control: Microsoft's own files must validate, or the schema/xmllint setup is what is broken.
    for path in (os.path.join(ms_dir, "TerminalServer.admx"), os.path.join(ms_dir, "en-US", "TerminalServer.adml")):
        r = subprocess.run([xmllint, "--noout", "--schema", schema, path], capture_output=True, text=True)
        report(r.returncode == 0, f"schema control {os.path.basename(path)}"
               + ("" if r.returncode == 0 else f": {(r.stderr.strip().splitlines() or ['?'])[0]}"))

    try:
        ours = Templates.load(admx, adml)
    except (OSError, ET.ParseError) as e:
        report(False, f"parse comredir templates: {e}")
        print(f"{passed} passed, {failed} failed")
        return 1

    for name, problems in run_all(ours, xmllint, schema).items():
        report(not problems, name + ("" if not problems else ": " + "; ".join(problems)))

    # Prove each check can fail: mutate a copy and expect the targeted check to report it.
    with open(admx, encoding="utf-8") as f:
        admx_text = f.read()
    with open(adml, encoding="utf-8") as f:
        adml_text = f.read()
    with tempfile.TemporaryDirectory(prefix="comredir-admx-") as tmp:
        for mname, expect, which, old, new in MUTATIONS:
            texts = {"admx": admx_text, "adml": adml_text}
            if old not in texts[which]:
                report(False, f"mutation {mname}: `{old}` not found in comredir.{which} (update the mutation)")
                continue
            texts[which] = texts[which].replace(old, new, 1)
            mdir = os.path.join(tmp, mname)
            os.makedirs(os.path.join(mdir, "en-US"))
            m_admx, m_adml = os.path.join(mdir, "comredir.admx"), os.path.join(mdir, "en-US", "comredir.adml")
            for path, text in ((m_admx, texts["admx"]), (m_adml, texts["adml"])):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            try:
                results = run_all(Templates.load(m_admx, m_adml), xmllint, schema)
            except ET.ParseError as e:
                report(False, f"mutation {mname}: copy does not parse: {e}")
                continue
            caught = results.get(expect, [])
            report(bool(caught), f"mutation {mname}: "
                   + (f"reported by {expect}: {caught[0]}" if caught else f"NOT reported by {expect}"))

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
