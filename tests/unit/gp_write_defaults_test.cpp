// gp set's elements left out: the ADML presentation's defaults (gp_write.hpp), exactly as
// the Group Policy editor's dialog starts with them.
#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_write.hpp>
#include <comredir/policy/gp/pol_write.hpp>
#include <string>
#include <vector>

#include "admx_text.hpp"
#include "pol_builder.hpp"

namespace cp = comredir::policy;

namespace {

constexpr const char* kAdmx = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="d" namespace="Defaults.Test" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories><category name="C" displayName="$(string.C)" /></categories>
  <policies>
    <policy name="P" class="Machine" displayName="$(string.C)" key="K" presentation="$(presentation.P)">
      <parentCategory ref="C" />
      <elements>
        <decimal id="N" valueName="n" required="true" maxValue="100" />
        <decimal id="N1" valueName="n1" />
        <boolean id="B" valueName="b" />
        <enum id="EN" valueName="en">
          <item displayName="$(string.C)"><value><decimal value="3" /></value></item>
          <item displayName="$(string.Other)"><value><string>four</string></value></item>
        </enum>
        <text id="S" valueName="s" />
      </elements>
    </policy>
    <policy name="R" class="Machine" displayName="$(string.C)" key="K" presentation="$(presentation.R)">
      <parentCategory ref="C" />
      <elements><text id="T" valueName="t" required="true" /></elements>
    </policy>
  </policies>
</policyDefinitions>
)xml";

constexpr const char* kAdml = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" revision="1.0" schemaVersion="1.0">
  <displayName>d</displayName><description>d</description>
  <resources>
    <stringTable><string id="C">Three</string><string id="Other">Four</string></stringTable>
    <presentationTable>
      <presentation id="P">
        <decimalTextBox refId="N" defaultValue="7">N</decimalTextBox>
        <decimalTextBox refId="N1">N1</decimalTextBox>
        <checkBox refId="B" defaultChecked="true">B</checkBox>
        <dropdownList refId="EN" defaultItem="1">E</dropdownList>
        <textBox refId="S"><label>S</label><defaultValue>abc</defaultValue></textBox>
      </presentation>
      <presentation id="R"><textBox refId="T"><label>T</label></textBox></presentation>
    </presentationTable>
  </resources>
</policyDefinitionResources>
)xml";

const cp::AdmxSet& set() {
    static const cp::AdmxSet s = comredir::test::admx_text::load(kAdmx, kAdml, "d.admx");
    return s;
}

std::vector<std::string> render(const std::vector<cp::PolRecord>& records) {
    std::vector<std::string> out;
    for (const auto& e : comredir::test::pol::build(records).entries)
        out.push_back(e.value + "|" + cp::reg_type_name(e.type) + "|" + cp::pol_raw_text(e));
    return out;
}

}  // namespace

TEST_CASE("every element left out takes its presentation default") {
    const auto* p = set().find_policy("P");
    REQUIRE(p != nullptr);
    const auto r = cp::policy_records(*p, cp::GpTarget::enabled, {});
    REQUIRE_MESSAGE(r.ok, r.message);
    CHECK(render(r.records) == std::vector<std::string>{"n|REG_DWORD|7", "n1|REG_DWORD|1",
                                                        "b|REG_DWORD|1", "en|REG_SZ|four",
                                                        "s|REG_SZ|abc"});
    CHECK(r.defaults ==
          cp::ElementValues{{"N", "7"}, {"N1", "1"}, {"B", "true"}, {"EN", "Four"}, {"S", "abc"}});
}

TEST_CASE("given values win over defaults, and are not reported as defaults") {
    const auto* p = set().find_policy("P");
    const auto r = cp::policy_records(*p, cp::GpTarget::enabled,
                                      {{"n", "9"}, {"B", "false"}, {"EN", "Three"}});
    REQUIRE_MESSAGE(r.ok, r.message);
    // An unchecked box without a falseValue deletes its value.
    CHECK(render(r.records) == std::vector<std::string>{"n|REG_DWORD|9", "n1|REG_DWORD|1",
                                                        "**del.b|REG_SZ| ", "en|REG_DWORD|3",
                                                        "s|REG_SZ|abc"});
    CHECK(r.defaults == cp::ElementValues{{"N1", "1"}, {"S", "abc"}});
    const auto off = cp::policy_records(*p, cp::GpTarget::disabled, {});
    CHECK(off.defaults.empty());
}

TEST_CASE("a required element without a default must still be given") {
    const auto* p = set().find_policy("R");
    REQUIRE(p != nullptr);
    const auto r = cp::policy_records(*p, cp::GpTarget::enabled, {});
    CHECK_FALSE(r.ok);
    CHECK(r.message == "policy `R`: element `T`: is required (--element T=VALUE)");
}
