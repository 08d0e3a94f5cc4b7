// The classification of `admx validate` findings (admx_rules.cpp, admx_schema_rules.cpp):
// which problems stop the Group Policy editor (errors) and which it loads (warnings).
#include <doctest/doctest.h>

#include <comredir/policy/admx/admx_validate.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "admx/admx_schema_rules.hpp"
#include "test_util.hpp"

namespace cp = comredir::policy;
namespace dt = comredir::policy::detail;
namespace fs = std::filesystem;
using comredir::test::shared_data;

namespace {

fs::path fresh_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("comredir-admx-rules-" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string replaced(std::string text, const std::vector<std::pair<std::string, std::string>>& r) {
    for (const auto& fr : r) {  // (no structured binding: doctest's macros capture it)
        const std::string& from = fr.first;
        auto at = text.find(from);
        REQUIRE_MESSAGE(at != std::string::npos, from);
        text.replace(at, from.size(), fr.second);
    }
    return text;
}

constexpr const char* kNs = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";

// Valid against PolicyDefinitionFiles.xsd (checked below); line numbers matter: libxml2
// puts a diagnostic about an element on the line where its start tag ends (9 for P1's).
constexpr const char* kAdmx = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="t" namespace="Test.Policies" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn><definitions><definition name="SUP" displayName="$(string.SUP)" /></definitions></supportedOn>
  <categories><category name="Cat" displayName="$(string.Cat)" /></categories>
  <policies>
    <policy name="P1" class="Machine" displayName="$(string.P1)" explainText="$(string.P1_Help)"
            presentation="$(presentation.P1)" key="SOFTWARE\Policies\Test">
      <parentCategory ref="Cat" />
      <supportedOn ref="SUP" />
      <elements>
        <text id="Txt" valueName="Txt" />
      </elements>
    </policy>
  </policies>
</policyDefinitions>
)xml";

constexpr const char* kAdml = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" revision="1.0" schemaVersion="1.0">
  <displayName>t</displayName><description>t</description>
  <resources>
    <stringTable>
      <string id="SUP">test</string>
      <string id="Cat">Cat</string>
      <string id="P1">One</string>
      <string id="P1_Help">Help</string>
    </stringTable>
    <presentationTable>
      <presentation id="P1">
        <textBox refId="Txt"><label>Text</label></textBox>
      </presentation>
    </presentationTable>
  </resources>
</policyDefinitionResources>
)xml";

struct Hit {
    std::string rule;
    std::uint32_t line;
    std::string what;  // after `file: line N: `
};

}  // namespace

TEST_CASE("the rule table: unique ids, a why each, and the severity of every rule") {
    const std::set<std::string> checks = {"xml",        "adml",          "schema",   "refs",
                                          "duplicates", "presentations", "policies", "unused"};
    std::set<std::string> ids;
    for (const auto& r : cp::admx_rules()) {
        INFO(r.id);
        CHECK(ids.insert(std::string(r.id)).second);
        CHECK(checks.count(std::string(r.check)) == 1);
        CHECK(r.why.size() > 20);
        CHECK(cp::find_admx_rule(r.id) == &r);
    }
    // Errors: what stops the editor loading a file or setting a policy. Everything Windows'
    // own PolicyDefinitions do is a warning.
    const std::vector<std::pair<std::string, cp::AdmxSeverity>> want = {
        {"unreadable", cp::AdmxSeverity::error},
        {"malformed", cp::AdmxSeverity::error},
        {"wrong-root", cp::AdmxSeverity::error},
        {"missing-adml", cp::AdmxSeverity::error},
        {"neutral-language-adml", cp::AdmxSeverity::warning},
        {"schema-unavailable", cp::AdmxSeverity::error},
        {"namespace", cp::AdmxSeverity::warning},
        {"multi-text", cp::AdmxSeverity::warning},
        {"xml-space", cp::AdmxSeverity::warning},
        {"unknown-attribute", cp::AdmxSeverity::warning},
        {"name-characters", cp::AdmxSeverity::warning},
        {"text-content", cp::AdmxSeverity::warning},
        {"missing-attribute", cp::AdmxSeverity::error},
        {"unexpected-element", cp::AdmxSeverity::error},
        {"missing-element", cp::AdmxSeverity::error},
        {"bad-value", cp::AdmxSeverity::error},
        {"empty-default", cp::AdmxSeverity::warning},
        {"schema", cp::AdmxSeverity::error},
        {"missing-string", cp::AdmxSeverity::error},
        {"missing-presentation", cp::AdmxSeverity::error},
        {"undeclared-prefix", cp::AdmxSeverity::error},
        {"unknown-category", cp::AdmxSeverity::warning},
        {"unknown-supported-on", cp::AdmxSeverity::warning},
        {"duplicate-namespace", cp::AdmxSeverity::error},
        {"duplicate-name", cp::AdmxSeverity::error},
        {"duplicate-id", cp::AdmxSeverity::error},
        {"unknown-refid", cp::AdmxSeverity::error},
        {"control-mismatch", cp::AdmxSeverity::error},
        {"no-presentation", cp::AdmxSeverity::error},
        {"no-control", cp::AdmxSeverity::warning},
        {"no-category", cp::AdmxSeverity::warning},
        {"no-supported-on", cp::AdmxSeverity::warning},
        {"no-explain", cp::AdmxSeverity::warning},
        {"unused-string", cp::AdmxSeverity::warning},
        {"unused-presentation", cp::AdmxSeverity::warning},
    };
    REQUIRE(want.size() == cp::admx_rules().size());
    for (const auto& rule : want) {
        const std::string& id = rule.first;
        const auto severity = rule.second;
        INFO(rule.first);
        const auto* r = cp::find_admx_rule(id);
        REQUIRE(r != nullptr);
        CHECK(r->severity == severity);
    }
    CHECK(cp::find_admx_rule("nope") == nullptr);
    CHECK_THROWS_AS(cp::make_admx_finding("nope", "f", 1, "x"), std::invalid_argument);
    auto f = cp::make_admx_finding("multi-text", "a.admx", 7, "element `multiText` is here");
    CHECK(f.severity == cp::AdmxSeverity::warning);
    CHECK(f.check == "schema");
    CHECK(f.rule == "multi-text");
    CHECK(f.why == cp::find_admx_rule("multi-text")->why);
    CHECK(f.message == "a.admx: line 7: element `multiText` is here");
    CHECK(cp::make_admx_finding("missing-adml", "a.admx", 0, "no adml").message ==
          "a.admx: no adml");
}

TEST_CASE("classify_schema_diagnostic: each libxml2 diagnostic to its rule and plain words") {
    using I = dt::SchemaIssue;
    struct Row {
        dt::SchemaDiagnostic in;
        std::string rule;
        std::string what;
    };
    const std::vector<Row> rows = {
        {{I::unexpected_element, "multiText", "", "", false, "`boolean`, `text`", "raw"},
         "multi-text",
         "element `multiText` is not in the published schema"},
        {{I::unexpected_element, "multiTextBox", "", "", false, "", "raw"},
         "multi-text",
         "element `multiTextBox` is not in the published schema"},
        {{I::unexpected_element, "colour", "", "", false, "`boolean`, `text`", "raw"},
         "unexpected-element",
         "element `colour` is not allowed here (expected: `boolean`, `text`)"},
        {{I::unexpected_element, "colour", "", "", false, "", "raw"},
         "unexpected-element",
         "element `colour` is not allowed here"},
        {{I::missing_element, "policy", "", "", false, "`supportedOn`", "raw"},
         "missing-element",
         "element `policy`: a required child element is missing (expected: `supportedOn`)"},
        {{I::attribute_not_allowed, "label", "xml:space", "", false, "", "raw"},
         "xml-space",
         "element `label`: attribute `xml:space` is not in the published schema"},
        {{I::attribute_not_allowed, "boolean", "required", "", false, "", "raw"},
         "unknown-attribute",
         "element `boolean`: attribute `required` is not in the published schema"},
        {{I::missing_attribute, "policy", "class", "", false, "", "raw"},
         "missing-attribute",
         "element `policy`: attribute `class` is required but missing"},
        {{I::pattern, "policy", "name", "A-B", true, "", "raw"},
         "name-characters",
         "element `policy`, attribute `name`: `A-B` has characters the published schema does "
         "not allow in names"},
        {{I::pattern, "displayName", "", "$(str.A)", false, "", "value `$(str.A)` is wrong"},
         "bad-value",
         "value `$(str.A)` is wrong"},
        {{I::text_content, "elements", "", "", false, "", "raw"},
         "text-content",
         "element `elements`: text between child elements"},
        {{I::bad_value, "decimalTextBox", "defaultValue", "", false, "", "raw"},
         "empty-default",
         "element `decimalTextBox`: attribute `defaultValue` is empty"},
        {{I::bad_value, "decimalTextBox", "defaultValue", "ten", false, "", "`ten` is no number"},
         "bad-value",
         "`ten` is no number"},
        {{I::other, "policy", "", "", false, "", "something else"}, "schema", "something else"},
    };
    for (const auto& r : rows) {
        INFO(r.what);
        auto v = dt::classify_schema_diagnostic(r.in);
        CHECK(v.rule == r.rule);
        CHECK(v.what == r.what);
        CHECK(cp::find_admx_rule(v.rule) != nullptr);
    }
}

TEST_CASE("clean_schema_message and expected_elements: libxml2's text in the project's style") {
    const std::vector<std::pair<std::string, std::string>> clean = {
        {"Element '{http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions}policy', "
         "attribute 'class': [facet 'enumeration'] The value 'Computer' is not an element of the "
         "set {'User', 'Machine', 'Both'}.\n",
         "element `policy`, attribute `class`: the value `Computer` is not an element of the set "
         "{`User`, `Machine`, `Both`}"},
        {"Element 'decimal', attribute 'maxValue': 'x' is not a valid value of the atomic type "
         "'xs:unsignedInt'.\n",
         "element `decimal`, attribute `maxValue`: `x` is not a valid value of the atomic type "
         "`xs:unsignedInt`"},
        {"Failed to locate the main schema resource at 'none.xsd'.\n",
         "failed to locate the main schema resource at `none.xsd`"},
    };
    for (const auto& [raw, want] : clean) CHECK(dt::clean_schema_message(raw) == want);
    CHECK(dt::expected_elements("Element '{urn:x}a': This element is not expected. Expected is one "
                                "of ( {urn:x}boolean, {urn:x}decimal ).") ==
          "`boolean`, `decimal`");
    CHECK(dt::expected_elements("Missing child element(s). Expected is ( {urn:x}supportedOn ).") ==
          "`supportedOn`");
    CHECK(dt::expected_elements("This element is not expected.").empty());
}

TEST_CASE("schema rules on files: each diagnostic with its rule, line and plain words") {
    const std::string xsd = shared_data("../schemas/admx/PolicyDefinitionFiles.xsd");
    auto d = fresh_dir("schema");
    write(d / "t.admx", kAdmx);
    write(d / "t.adml", kAdml);
    REQUIRE(cp::check_admx_schema((d / "t.admx").string(), xsd).empty());
    REQUIRE(cp::check_admx_schema((d / "t.adml").string(), xsd).empty());
    const std::string ns_attr = std::string(" xmlns=\"") + kNs + "\"";
    struct Case {
        std::string name;
        bool adml;
        std::vector<std::pair<std::string, std::string>> edits;
        std::vector<Hit> want;
    };
    const std::vector<Case> cases = {
        {"no xmlns: one warning, and the rest is still checked",
         false,
         {{ns_attr, ""},
          {R"(<text id="Txt" valueName="Txt" />)",
           R"(<text id="Txt" valueName="Txt" colour="red" />)"}},
         {{"namespace", 2, "root element `policyDefinitions` has no namespace (no `xmlns`)"},
          {"unknown-attribute", 13,
           "element `text`: attribute `colour` is not in the published schema"}}},
        {"another namespace",
         false,
         {{kNs, "http://www.microsoft.com/GroupPolicy/PolicyDefinitions"}},
         {{"namespace", 2,
           "root element `policyDefinitions` is in namespace "
           "`http://www.microsoft.com/GroupPolicy/PolicyDefinitions`, not `" +
               std::string(kNs) + "`"}}},
        {"multiText",
         false,
         {{"<text id=", "<multiText id="}},
         {{"multi-text", 13, "element `multiText` is not in the published schema"}}},
        {"a `-` in a name",
         false,
         {{R"(name="P1")", R"(name="P-1")"}},
         {{"name-characters", 9,
           "element `policy`, attribute `name`: `P-1` has characters the published schema does "
           "not allow in names"}}},
        {"stray text",
         false,
         {{R"(<parentCategory ref="Cat" />)", R"(stray <parentCategory ref="Cat" />)"}},
         {{"text-content", 9, "element `policy`: text between child elements"}}},
        {"an element the schema does not know",
         false,
         {{"</elements>", "</elements><colour />"}},
         {{"unexpected-element", 14, "element `colour` is not allowed here"}}},
        {"a class that does not exist",
         false,
         {{R"(class="Machine")", R"(class="Computer")"}},
         {{"bad-value", 9,
           "element `policy`, attribute `class`: the value `Computer` is not an element of the "
           "set {`User`, `Machine`, `Both`}"}}},
        {"xml:space",
         true,
         {{"<label>", R"(<label xml:space="preserve">)"}},
         {{"xml-space", 13,
           "element `label`: attribute `xml:space` is not in the published schema"}}},
        {"an empty default of a number box",
         true,
         {{R"(<textBox refId="Txt"><label>Text</label></textBox>)",
           R"(<decimalTextBox refId="Txt" defaultValue="">Text</decimalTextBox>)"}},
         {{"empty-default", 13, "element `decimalTextBox`: attribute `defaultValue` is empty"}}},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const fs::path file = d / (c.adml ? "m.adml" : "m.admx");
        write(file, replaced(c.adml ? kAdml : kAdmx, c.edits));
        auto found = cp::check_admx_schema(file.string(), xsd);
        for (const auto& f : found) INFO(f.message);
        REQUIRE(found.size() == c.want.size());
        for (std::size_t i = 0; i < found.size(); ++i) {
            CHECK(found[i].check == "schema");
            CHECK(found[i].rule == c.want[i].rule);
            CHECK(found[i].severity == cp::find_admx_rule(c.want[i].rule)->severity);
            CHECK(found[i].why == cp::find_admx_rule(c.want[i].rule)->why);
            CHECK(found[i].line == c.want[i].line);
            CHECK(found[i].message == file.string() + ": line " + std::to_string(c.want[i].line) +
                                          ": " + c.want[i].what);
        }
    }
}

TEST_CASE("check_admx_set: a namespace defined twice; prefix:name references into another file") {
    auto d = fresh_dir("set");
    const std::string a = replaced(kAdmx, {});
    // b uses a's namespace: one category that exists there, one supportedOn that does not,
    // and one reference into a namespace none of the files defines (not checkable).
    const std::string b = replaced(
        kAdmx,
        {{R"(<target prefix="t" namespace="Test.Policies" />)",
          R"(<target prefix="b" namespace="Test.B" /><using prefix="t" namespace="Test.Policies" /><using prefix="w" namespace="Microsoft.Policies.Windows" />)"},
         {R"(<parentCategory ref="Cat" />)", R"(<parentCategory ref="t:Cat" />)"},
         {R"(<supportedOn ref="SUP" />)", R"(<supportedOn ref="t:SUP_GONE" />)"},
         {R"x(<category name="Cat" displayName="$(string.Cat)" />)x",
          R"x(<category name="Cat" displayName="$(string.Cat)"><parentCategory ref="w:Anything" /></category>)x"}});
    write(d / "a.admx", a);
    write(d / "b.admx", b);
    write(d / "c.admx", a);  // a's namespace again
    auto found = cp::check_admx_set(
        {(d / "a.admx").string(), (d / "b.admx").string(), (d / "c.admx").string()});
    for (const auto& f : found) INFO(f.message);
    REQUIRE(found.size() == 2);
    CHECK(found[0].rule == "duplicate-namespace");
    CHECK(found[0].severity == cp::AdmxSeverity::error);
    CHECK(found[0].message == (d / "c.admx").string() +
                                  ": line 3: target namespace `Test.Policies` is already the "
                                  "target of `" +
                                  (d / "a.admx").string() + "`");
    CHECK(found[1].rule == "unknown-supported-on");
    CHECK(found[1].severity == cp::AdmxSeverity::warning);
    CHECK(found[1].message == (d / "b.admx").string() +
                                  ": line 11: policy `P1`: supportedOn `t:SUP_GONE` does not "
                                  "exist in `" +
                                  (d / "a.admx").string() + "`");
    // Alone, b's references into a cannot be checked: nothing is reported.
    CHECK(cp::check_admx_set({(d / "b.admx").string()}).empty());
}
