// The classification table of `admx validate`: which findings stop the Group Policy editor
// (errors) and which it loads anyway (warnings), and why, in plain words.
//
// The evidence for a warning is Windows' own PolicyDefinitions: every file Windows ships is
// loaded by the editor, so whatever those files do cannot be an error. Where the editor's
// reaction is inferred rather than known, the why says "not confirmed".
#include <algorithm>
#include <array>
#include <comredir/policy/admx/admx_validate.hpp>
#include <stdexcept>
#include <string>

namespace comredir::policy {

namespace {

constexpr auto E = AdmxSeverity::error;
constexpr auto W = AdmxSeverity::warning;

constexpr std::array kRules = {
    // xml
    AdmxRule{"unreadable", "xml", E, "the file cannot be read, so nothing in it can be loaded"},
    AdmxRule{"malformed", "xml", E,
             "not well-formed XML: the Group Policy editor reports a parse error and loads "
             "nothing from the file"},
    AdmxRule{"wrong-root", "xml", E,
             "the root element is not `policyDefinitions` (ADMX) or `policyDefinitionResources` "
             "(ADML): the editor does not read the file as a template"},
    // adml
    AdmxRule{"missing-adml", "adml", E,
             "display names and explain texts come from the ADML: without one the editor cannot "
             "resolve the file's `$(string.X)` references and reports the file instead of "
             "loading it"},
    AdmxRule{"neutral-language-adml", "adml", W,
             "the ADML is only in the neutral language's folder (`EN` for `en-US`): Windows falls "
             "back from a regional language to its neutral one when it looks up resources, and "
             "Microsoft's own SCOM HealthService template ships its ADML this way; not confirmed "
             "for the editor"},
    // schema
    AdmxRule{"schema-unavailable", "schema", E,
             "the XSD could not be loaded, so nothing was checked against the schema"},
    AdmxRule{"namespace", "schema", W,
             "the root element is not in the published schema's namespace; Windows' own "
             "templates ship without `xmlns` (Camera.admx) or with another one (DmaGuard.admx) "
             "and the editor loads them, so the rest of the file is checked as if it were in the "
             "schema's namespace"},
    AdmxRule{"multi-text", "schema", W,
             "`multiText` (a REG_MULTI_SZ value) and its `multiTextBox` control are in Microsoft's "
             "ADMX reference and in Windows' own templates (e.g. LanmanServer.admx), but "
             "not in the published PolicyDefinitionFiles.xsd"},
    AdmxRule{
        "xml-space", "schema", W,
        "`xml:space` is XML's own whitespace attribute: the published schema does not "
        "declare it, Windows' own ADML files (e.g. appv.adml) use it on presentation controls"},
    AdmxRule{"unknown-attribute", "schema", W,
             "an attribute the published schema does not have; Windows' own templates carry "
             "several (`required` on `boolean`, `noSort` on `checkBox`, the misspelling "
             "`maxvalue`) and the editor loads them; a misspelled attribute most likely has no "
             "effect"},
    AdmxRule{"name-characters", "schema", W,
             "a name with characters the published schema does not allow (letters, digits and "
             "`_` only); Windows' own templates use `-` (TerminalServer-Server.admx, "
             "GroupPolicy.admx) and the editor loads them"},
    AdmxRule{"text-content", "schema", W,
             "text between elements where the schema allows only elements; Windows' own "
             "WindowsRemoteShell.admx has such stray text and the editor loads it"},
    AdmxRule{"missing-attribute", "schema", E,
             "an attribute the schema requires is missing, which no Windows template does: the "
             "editor cannot name, place or write the item (not confirmed that it refuses the "
             "whole file)"},
    AdmxRule{"unexpected-element", "schema", E,
             "an element the schema does not allow at this place, which no Windows template has: "
             "Microsoft documents that the editor shows an error for a misplaced element (a "
             "`textBox` whose first child is not `label`); not confirmed for every element"},
    AdmxRule{"missing-element", "schema", E,
             "a child element the schema requires is missing, which no Windows template does: "
             "the editor may refuse the file (not confirmed)"},
    AdmxRule{"bad-value", "schema", E,
             "a value of the wrong form (not a number, not `true`/`false`, not one of the allowed "
             "words), which no Windows template has: the editor cannot use it (not confirmed "
             "that it refuses the whole file)"},
    AdmxRule{"empty-default", "schema", W,
             "an empty `defaultValue` where the schema wants a number; Microsoft's Office "
             "templates (word16.adml) have them and the editor loads them"},
    AdmxRule{"schema", "schema", E,
             "not allowed by the published schema, and no Windows template does it: the editor "
             "may refuse the file (not confirmed)"},
    // refs
    AdmxRule{"missing-string", "refs", E,
             "the editor reports a string it cannot find (\"Resource '$(string.X)' referenced in "
             "attribute displayName could not be found\") and does not load the file"},
    AdmxRule{"missing-presentation", "refs", E,
             "the editor reports a presentation it cannot find in the ADML and does not load the "
             "file"},
    AdmxRule{"undeclared-prefix", "refs", E,
             "a prefix must be the file's own `<target>` prefix or be declared by a `<using>`: "
             "otherwise the reference cannot be resolved"},
    AdmxRule{"unknown-category", "refs", W,
             "the category does not exist in the namespace the reference names; Windows' own "
             "templates ship such references (inetres.admx, TerminalServer.admx) and the editor "
             "loads them"},
    AdmxRule{"unknown-supported-on", "refs", W,
             "the supportedOn definition does not exist in the namespace the reference names, so "
             "there is no \"Supported on\" text; Windows' own templates ship such references "
             "(sam.admx, OneDrive.admx) and the editor loads them"},
    // duplicates
    AdmxRule{"duplicate-namespace", "duplicates", E,
             "each ADMX file needs a target namespace of its own: the editor refuses the second "
             "file (\"Namespace '...' is already defined as the target namespace for another "
             "file in the store\")"},
    AdmxRule{"duplicate-name", "duplicates", E,
             "two policies, categories or supportedOn definitions with one name in one namespace: "
             "references to the name are ambiguous (not confirmed that the editor refuses the "
             "file)"},
    AdmxRule{"duplicate-id", "duplicates", E,
             "two strings, presentations, elements or controls share an id: which one the editor "
             "uses is undefined (not confirmed that it refuses the file)"},
    // presentations
    AdmxRule{"unknown-refid", "presentations", E,
             "the control's refId names no element of the policy: the control has no value to "
             "set"},
    AdmxRule{"control-mismatch", "presentations", E,
             "this kind of control cannot edit this kind of element (e.g. a `checkBox` for a "
             "`text` element)"},
    AdmxRule{"no-presentation", "presentations", E,
             "the policy has elements but no presentation: the editor shows no controls, so the "
             "values can never be set"},
    AdmxRule{"no-control", "presentations", W,
             "the element has no control in the presentation: the editor cannot set it, so it "
             "never gets a value"},
    // policies
    AdmxRule{"no-category", "policies", W,
             "without a parentCategory the policy has no place in the editor's tree (the schema "
             "requires one)"},
    AdmxRule{"no-supported-on", "policies", W,
             "without supportedOn the editor shows no \"Supported on\" text (the schema requires "
             "one)"},
    AdmxRule{"no-explain", "policies", W, "without explainText the editor shows no help text"},
    // unused
    AdmxRule{"unused-string", "unused", W,
             "no ADMX attribute references it: the editor never shows it"},
    AdmxRule{"unused-presentation", "unused", W,
             "no policy references it: the editor never shows it"},
};

}  // namespace

std::string_view to_string(AdmxSeverity s) {
    return s == AdmxSeverity::error ? "error" : "warning";
}

std::span<const AdmxRule> admx_rules() {
    return kRules;
}

const AdmxRule* find_admx_rule(std::string_view id) {
    auto it =
        std::find_if(kRules.begin(), kRules.end(), [&](const AdmxRule& r) { return r.id == id; });
    return it == kRules.end() ? nullptr : &*it;
}

AdmxFinding make_admx_finding(std::string_view id, const std::string& file, std::uint32_t line,
                              const std::string& what) {
    const AdmxRule* r = find_admx_rule(id);
    if (r == nullptr) throw std::invalid_argument("no admx rule `" + std::string(id) + "`");
    return AdmxFinding{r->severity,
                       std::string(r->check),
                       std::string(r->id),
                       std::string(r->why),
                       file,
                       line,
                       file + (line > 0 ? ": line " + std::to_string(line) : "") + ": " + what};
}

}  // namespace comredir::policy
