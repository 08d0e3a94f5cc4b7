// ADMX/ADML validation (admx_validate.hpp) and loading several folders as one set.
#include <doctest/doctest.h>

#include <algorithm>
#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/admx/admx_validate.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace cp = comredir::policy;
namespace fs = std::filesystem;
using comredir::test::shared_data;
using comredir::test::source_dir;

namespace {

fs::path fresh_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("comredir-admx-validate-" + name);
    fs::remove_all(d);
    fs::create_directories(d / "en-US");
    return d;
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string read_text(const std::string& p) {
    auto b = comredir::test::slurp(p);
    return {b.begin(), b.end()};
}

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
        <decimal id="Num" valueName="Num" />
        <text id="Txt" valueName="Txt" />
        <boolean id="Flag" valueName="Flag" />
      </elements>
    </policy>
    <policy name="P2" class="Machine" displayName="$(string.P2)" key="SOFTWARE\Policies\Test" valueName="V">
      <parentCategory ref="Cat" />
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
      <string id="P2">Two</string>
      <string id="Spare">never used</string>
    </stringTable>
    <presentationTable>
      <presentation id="P1">
        <decimalTextBox refId="Num">Number</decimalTextBox>
        <checkBox refId="Txt">Text as a box</checkBox>
        <textBox refId="Gone"><label>Gone</label></textBox>
      </presentation>
    </presentationTable>
  </resources>
</policyDefinitionResources>
)xml";

struct Want {
    cp::AdmxSeverity severity;
    std::string check;
    std::string rule;
    std::string file;  // `admx` / `adml`
    std::uint32_t line;
    std::string what;  // the message after `file: line N: `
};

}  // namespace

TEST_CASE("semantic checks: each finding with its check, file and line") {
    auto d = fresh_dir("semantics");
    write(d / "t.admx", kAdmx);
    write(d / "en-US" / "t.adml", kAdml);
    const std::string admx = (d / "t.admx").string();
    const std::string adml = (d / "en-US" / "t.adml").string();
    auto found = cp::check_admx_semantics(admx, adml);
    using S = cp::AdmxSeverity;
    const std::vector<Want> want = {
        {S::warning, "policies", "no-supported-on", "admx", 18, "policy `P2` has no supportedOn"},
        {S::warning, "policies", "no-explain", "admx", 18, "policy `P2` has no explainText"},
        {S::error, "presentations", "control-mismatch", "adml", 16,
         "presentation `P1`: checkBox cannot drive text element `Txt`"},
        {S::error, "presentations", "unknown-refid", "adml", 17,
         "presentation `P1`: textBox refId `Gone` is not an element of policy `P1`"},
        {S::warning, "presentations", "no-control", "admx", 15,
         "policy `P1`: element `Flag` has no control in presentation `P1`"},
        {S::warning, "unused", "unused-string", "adml", 11, "string `Spare` is never referenced"},
    };
    REQUIRE(found.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO(i, ": ", found[i].message);
        const std::string file = want[i].file == "admx" ? admx : adml;
        CHECK(found[i].severity == want[i].severity);
        CHECK(found[i].check == want[i].check);
        CHECK(found[i].rule == want[i].rule);
        CHECK(found[i].why == cp::find_admx_rule(want[i].rule)->why);
        CHECK(found[i].file == file);
        CHECK(found[i].line == want[i].line);
        CHECK(found[i].message ==
              file + ": line " + std::to_string(want[i].line) + ": " + want[i].what);
    }
}

TEST_CASE("semantic checks: comredir's own templates are clean") {
    auto found = cp::check_admx_semantics(source_dir("admx/comredir.admx"),
                                          source_dir("admx/en-US/comredir.adml"));
    for (const auto& f : found) INFO(f.message);
    CHECK(found.empty());
}

TEST_CASE("semantic checks: a missing ADML and malformed XML are findings, not crashes") {
    auto d = fresh_dir("broken");
    write(d / "t.admx", kAdmx);
    auto found = cp::check_admx_semantics((d / "t.admx").string(), "");
    REQUIRE_FALSE(found.empty());
    CHECK(found[0].check == "adml");
    CHECK(found[0].rule == "missing-adml");
    CHECK(found[0].severity == cp::AdmxSeverity::error);
    CHECK(found[0].message == (d / "t.admx").string() + ": no adml given or found");

    std::string cut(kAdmx);
    cut.resize(cut.find("<policies>") + 12);
    write(d / "cut.admx", cut);
    found = cp::check_admx_semantics((d / "cut.admx").string(), "");
    REQUIRE(found.size() == 1);
    CHECK(found[0].check == "xml");
    CHECK(found[0].rule == "malformed");
    CHECK(found[0].line == 8);
}

TEST_CASE(
    "schema: Windows' and comredir's files validate; a missing class is reported with its line") {
    const std::string xsd = shared_data("../schemas/admx/PolicyDefinitionFiles.xsd");
    CHECK(cp::check_admx_schema(shared_data("admx/TerminalServer.admx"), xsd).empty());
    CHECK(cp::check_admx_schema(shared_data("admx/en-US/TerminalServer.adml"), xsd).empty());
    CHECK(cp::check_admx_schema(source_dir("admx/comredir.admx"), xsd).empty());
    CHECK(cp::check_admx_schema(source_dir("admx/en-US/comredir.adml"), xsd).empty());

    auto d = fresh_dir("schema");
    std::string text(kAdmx);
    const std::string from = R"(name="P2" class="Machine")";
    text.replace(text.find(from), from.size(), R"(name="P2")");
    write(d / "t.admx", text);
    auto found = cp::check_admx_schema((d / "t.admx").string(), xsd);
    // No class; and P2 also lacks supportedOn, which the schema requires.
    REQUIRE(found.size() == 2);
    const std::string at = (d / "t.admx").string() + ": line 18: ";
    CHECK(found[0].rule == "missing-attribute");
    CHECK(found[0].severity == cp::AdmxSeverity::error);
    CHECK(found[0].message == at + "element `policy`: attribute `class` is required but missing");
    CHECK(found[1].rule == "missing-element");
    CHECK(found[1].message ==
          at + "element `policy`: a required child element is missing (expected: `seeAlso`, "
               "`keywords`, `supportedOn`)");
    for (const auto& f : found) {
        CHECK(f.check == "schema");
        CHECK(f.line == 18);
    }

    auto bad = cp::check_admx_schema((d / "t.admx").string(), (d / "none.xsd").string());
    REQUIRE_FALSE(bad.empty());
    for (const auto& f : bad) {
        INFO(f.message);
        CHECK(f.rule == "schema-unavailable");
        CHECK(f.severity == cp::AdmxSeverity::error);
    }
    CHECK(bad.back().message.rfind((d / "none.xsd").string() +
                                       ": cannot load the schema: failed to locate the main "
                                       "schema resource",
                                   0) == 0);
}

TEST_CASE(
    "load_admx_folders: the first folder to define a namespace wins; errors name the folder") {
    auto store = fresh_dir("store");
    // The central store holds a copy of comredir.admx with another display name, and a broken file.
    fs::copy_file(source_dir("admx/comredir.admx"), store / "comredir.admx");
    std::string adml = read_text(source_dir("admx/en-US/comredir.adml"));
    const std::string from = ">Do not allow COM port redirection to comredir hosts<";
    REQUIRE(adml.find(from) != std::string::npos);
    adml.replace(adml.find(from), from.size(), ">Store copy<");
    write(store / "en-US" / "comredir.adml", adml);
    fs::copy_file(shared_data("admx/TerminalServer.admx"), store / "TerminalServer.admx");
    fs::copy_file(shared_data("admx/en-US/TerminalServer.adml"),
                  store / "en-US" / "TerminalServer.adml");
    write(store / "broken.admx", "<policyDefinitions");

    auto r = cp::load_admx_folders({store.string(), source_dir("admx")});
    const auto* deny = r.set.find_policy("DenyComRedirection");
    REQUIRE(deny != nullptr);
    CHECK(deny->display_name == "Store copy");
    CHECK(r.set.find_policy("TS_CLIENT_COM") != nullptr);
    CHECK(std::count_if(r.set.policies.begin(), r.set.policies.end(),
                        [](const auto& p) { return p.name == "DenyComRedirection"; }) == 1);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] == source_dir("admx") +
                            "/comredir.admx: skipped: namespace "
                            "`Comredir.Policies` already loaded from `" +
                            store.string() + "/comredir.admx`");
    std::vector<std::string> messages;
    for (const auto& e : r.errors) messages.push_back(e.message);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0] == store.string() + "/broken.admx: no adml `en-US/broken.adml`");
    CHECK(messages[1] ==
          store.string() + "/broken.admx: line 1: column 18: xml: error parsing start element tag");
    CHECK(messages[2] == store.string() +
                             "/TerminalServer.admx: line 219: policy `AutoSubscription`: category "
                             "`AutoSubscription` not found");
    for (const auto& f : r.set.files) CHECK_FALSE(f.folder.empty());
}

TEST_CASE("load_admx_folders: an unreadable folder is an io_error naming it; the others load") {
    auto r = cp::load_admx_folders({"/nonexistent-comredir-admx", source_dir("admx")});
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].kind == cp::AdmxErrorKind::io_error);
    CHECK(r.errors[0].file == "/nonexistent-comredir-admx");
    CHECK(r.set.find_policy("DenyComRedirection") != nullptr);
}
