// Policy states (gp_states.hpp) of every value form and element kind (enabledValue /
// disabledValue, enabledList / disabledList, boolean, decimal, longDecimal, text, multiText,
// enum, list) and class, on a synthetic ADMX, from Registry.pol files built for each row.
#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pol_builder.hpp"

namespace cp = comredir::policy;
using namespace comredir::test::pol;

namespace {

// Key `Software\Policies\T`; each element-kind policy has its own subkey and a main value
// `On` (REG_DWORD 1 / 0 by default), so a row can set one element and leave the others out.
constexpr std::string_view kTableAdmx = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions revision="1.0" schemaVersion="1.0"
    xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces><target prefix="t" namespace="Test.Table" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories><category name="Cat" displayName="$(string.P)" /></categories>
  <policies>
    <policy name="DEC" class="Machine" displayName="$(string.P)" key="Software\Policies\T" valueName="Dec">
      <parentCategory ref="Cat" />
      <enabledValue><decimal value="7" /></enabledValue>
      <disabledValue><decimal value="3" /></disabledValue>
    </policy>
    <policy name="STR" class="Machine" displayName="$(string.P)" key="Software\Policies\T" valueName="Str">
      <parentCategory ref="Cat" />
      <enabledValue><string>on</string></enabledValue>
      <disabledValue><string>off</string></disabledValue>
    </policy>
    <policy name="LONG" class="Machine" displayName="$(string.P)" key="Software\Policies\T" valueName="Long">
      <parentCategory ref="Cat" />
      <enabledValue><longDecimal value="5000000000" /></enabledValue>
      <disabledValue><longDecimal value="0" /></disabledValue>
    </policy>
    <policy name="DEL" class="Machine" displayName="$(string.P)" key="Software\Policies\T" valueName="Del">
      <parentCategory ref="Cat" />
      <enabledValue><decimal value="1" /></enabledValue>
      <disabledValue><delete /></disabledValue>
    </policy>
    <policy name="DEL_ON" class="Machine" displayName="$(string.P)" key="Software\Policies\T" valueName="DelOn">
      <parentCategory ref="Cat" />
      <enabledValue><delete /></enabledValue>
      <disabledValue><decimal value="1" /></disabledValue>
    </policy>
    <policy name="ONLY_ON" class="Machine" displayName="$(string.P)" key="Software\Policies\T" valueName="OnlyOn">
      <parentCategory ref="Cat" />
      <enabledValue><string>x</string></enabledValue>
    </policy>
    <policy name="PLAIN" class="Machine" displayName="$(string.P)" key="Software\Policies\T" valueName="Plain">
      <parentCategory ref="Cat" />
    </policy>
    <policy name="LISTS" class="Machine" displayName="$(string.P)" key="Software\Policies\T">
      <parentCategory ref="Cat" />
      <enabledList defaultKey="Software\Policies\T\L">
        <item valueName="A"><value><decimal value="1" /></value></item>
        <item key="Software\Policies\T\L2" valueName="B"><value><string>b</string></value></item>
      </enabledList>
      <disabledList defaultKey="Software\Policies\T\L">
        <item valueName="A"><value><decimal value="0" /></value></item>
        <item key="Software\Policies\T\L2" valueName="B"><value><delete /></value></item>
      </disabledList>
    </policy>
    <policy name="BOOL" class="Machine" displayName="$(string.P)" key="Software\Policies\T\B" valueName="On">
      <parentCategory ref="Cat" />
      <elements>
        <boolean id="b1" valueName="B1" />
        <boolean id="b2" valueName="B2">
          <trueValue><string>yes</string></trueValue>
          <falseValue><string>no</string></falseValue>
        </boolean>
        <boolean id="b3" valueName="B3">
          <trueValue><decimal value="1" /></trueValue>
          <trueList><item valueName="B3List"><value><decimal value="5" /></value></item></trueList>
          <falseList><item valueName="B3List"><value><delete /></value></item></falseList>
        </boolean>
      </elements>
    </policy>
    <policy name="NUM" class="Machine" displayName="$(string.P)" key="Software\Policies\T\N" valueName="On">
      <parentCategory ref="Cat" />
      <elements>
        <decimal id="d" valueName="D" />
        <decimal id="dt" valueName="DT" storeAsText="true" />
        <longDecimal id="q" valueName="Q" maxValue="18446744073709551615" />
        <longDecimal id="qt" valueName="QT" maxValue="18446744073709551615" storeAsText="true" />
      </elements>
    </policy>
    <policy name="TEXT" class="Machine" displayName="$(string.P)" key="Software\Policies\T\X" valueName="On">
      <parentCategory ref="Cat" />
      <elements>
        <text id="t" valueName="T" />
        <text id="te" valueName="TE" expandable="true" />
        <multiText id="m" valueName="M" />
      </elements>
    </policy>
    <policy name="ENUM" class="Machine" displayName="$(string.P)" key="Software\Policies\T\E" valueName="On">
      <parentCategory ref="Cat" />
      <elements>
        <enum id="e" valueName="E">
          <item displayName="$(string.One)"><value><decimal value="1" /></value></item>
          <item displayName="$(string.Two)"><value><string>two</string></value></item>
          <item displayName="$(string.Three)">
            <value><decimal value="3" /></value>
            <valueList>
              <item valueName="E3"><value><decimal value="30" /></value></item>
              <item key="Software\Policies\T\E\Sub" valueName="E3b"><value><string>z</string></value></item>
            </valueList>
          </item>
        </enum>
      </elements>
    </policy>
    <policy name="LIST" class="Machine" displayName="$(string.P)" key="Software\Policies\T\Li" valueName="On">
      <parentCategory ref="Cat" />
      <elements>
        <list id="plain" key="Software\Policies\T\Li\Plain" />
        <list id="pre" key="Software\Policies\T\Li\Pre" valuePrefix="Srv" />
        <list id="num" key="Software\Policies\T\Li\Num" valuePrefix="" />
        <list id="exp" key="Software\Policies\T\Li\Exp" explicitValue="true" />
        <list id="add" key="Software\Policies\T\Li\Add" additive="true" expandable="true" />
      </elements>
    </policy>
    <policy name="ELEMS" class="Machine" displayName="$(string.P)" key="Software\Policies\T\O">
      <parentCategory ref="Cat" />
      <elements>
        <decimal id="d" valueName="D" />
        <text id="t" valueName="T" />
      </elements>
    </policy>
    <policy name="BOTH" class="Both" displayName="$(string.P)" key="Software\Policies\T" valueName="Both">
      <parentCategory ref="Cat" />
    </policy>
    <policy name="USER" class="User" displayName="$(string.P)" key="Software\Policies\T" valueName="User">
      <parentCategory ref="Cat" />
    </policy>
  </policies>
</policyDefinitions>
)xml";

constexpr std::string_view kTableAdml = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources revision="1.0" schemaVersion="1.0"
    xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>t</displayName>
  <description>t</description>
  <resources>
    <stringTable>
      <string id="P">A policy</string>
      <string id="One">One</string>
      <string id="Two">Two</string>
      <string id="Three">Three</string>
    </stringTable>
  </resources>
</policyDefinitionResources>
)xml";

std::span<const std::uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

const cp::AdmxLoadResult& table_load() {
    static const cp::AdmxLoadResult r =
        cp::parse_admx(as_bytes(kTableAdmx), as_bytes(kTableAdml), "t.admx");
    return r;
}

using Elements = std::vector<std::pair<std::string, std::string>>;

/// `id=text | id=text`, for readable failures.
std::string show(const Elements& elements) {
    std::string out;
    for (const auto& [id, text] : elements) out += (out.empty() ? "" : " | ") + id + "=" + text;
    return out;
}

struct Want {
    const char* policy;
    cp::GpState state;
    Elements elements;
};

constexpr auto kOn = cp::GpState::enabled;
constexpr auto kOff = cp::GpState::disabled;

}  // namespace

TEST_CASE("the table's synthetic ADMX loads") {
    const auto& r = table_load();
    const std::string first = r.errors.empty() ? "" : r.errors.front().message;
    REQUIRE_MESSAGE(r.ok(), first);
    CHECK(r.set.policies.size() == 16);
}

TEST_CASE("policy states of every value form and element kind") {
    struct Row {
        const char* name;
        const char* hive;
        std::vector<Rec> recs;
        std::vector<Want> want;          ///< in ADMX order
        std::vector<std::string> extra;  ///< value names left to `extra`, in file order
    };
    const std::string k = "Software\\Policies\\T";
    const std::string kb = k + "\\B", kn = k + "\\N", kx = k + "\\X", ke = k + "\\E";
    const std::string kl = k + "\\Li", ko = k + "\\O";
    std::vector<Rec> eleven{dword(kl, "On", 1), delvals(kl + "\\Num")};
    std::string eleven_text;
    for (int i = 1; i <= 11; ++i) {
        eleven.push_back(sz(kl + "\\Num", std::to_string(i), "p" + std::to_string(i)));
        eleven_text += (i > 1 ? "; p" : "p") + std::to_string(i);
    }
    const std::vector<Row> rows = {
        // enabledValue / disabledValue
        {"decimal on", "HKLM", {dword(k, "Dec", 7)}, {{"DEC", kOn, {}}}, {}},
        {"decimal off", "HKLM", {dword(k, "Dec", 3)}, {{"DEC", kOff, {}}}, {}},
        {"decimal matching neither", "HKLM", {dword(k, "Dec", 5)}, {}, {"Dec"}},
        {"decimal written as REG_SZ", "HKLM", {sz(k, "Dec", "7")}, {}, {"Dec"}},
        {"string on", "HKLM", {sz(k, "Str", "on")}, {{"STR", kOn, {}}}, {}},
        {"string off", "HKLM", {sz(k, "Str", "off")}, {{"STR", kOff, {}}}, {}},
        {"longDecimal on", "HKLM", {qword(k, "Long", 5000000000)}, {{"LONG", kOn, {}}}, {}},
        {"longDecimal off", "HKLM", {qword(k, "Long", 0)}, {{"LONG", kOff, {}}}, {}},
        {"longDecimal written as REG_DWORD", "HKLM", {dword(k, "Long", 0)}, {}, {"Long"}},
        {"disabledValue delete", "HKLM", {del(k, "Del")}, {{"DEL", kOff, {}}}, {}},
        {"value then its **del.",
         "HKLM",
         {dword(k, "Del", 1), del(k, "Del")},
         {{"DEL", kOff, {}}},
         {}},
        {"enabledValue delete", "HKLM", {del(k, "DelOn")}, {{"DEL_ON", kOn, {}}}, {}},
        {"only enabledValue: set", "HKLM", {sz(k, "OnlyOn", "x")}, {{"ONLY_ON", kOn, {}}}, {}},
        {"only enabledValue: **del. is Disabled",
         "HKLM",
         {del(k, "OnlyOn")},
         {{"ONLY_ON", kOff, {}}},
         {}},
        // ... and Disabled of a policy that gives neither value (PLAIN, BOTH) is its deletion.
        {"**delvals. deletes every value of the key",
         "HKLM",
         {delvals(k)},
         {{"DEL", kOff, {}},
          {"DEL_ON", kOn, {}},
          {"ONLY_ON", kOff, {}},
          {"PLAIN", kOff, {}},
          {"BOTH", kOff, {}}},
         {}},
        {"no values: REG_DWORD 1", "HKLM", {dword(k, "Plain", 1)}, {{"PLAIN", kOn, {}}}, {}},
        {"no values: REG_DWORD 0", "HKLM", {dword(k, "Plain", 0)}, {{"PLAIN", kOff, {}}}, {}},
        // enabledList / disabledList
        {"enabledList",
         "HKLM",
         {dword(k + "\\L", "A", 1), sz(k + "\\L2", "B", "b")},
         {{"LISTS", kOn, {}}},
         {}},
        {"disabledList with a delete item",
         "HKLM",
         {dword(k + "\\L", "A", 0), del(k + "\\L2", "B")},
         {{"LISTS", kOff, {}}},
         {}},
        {"enabledList half matched", "HKLM", {dword(k + "\\L", "A", 1)}, {}, {"A"}},
        // boolean
        {"booleans true",
         "HKLM",
         {dword(kb, "On", 1), dword(kb, "B1", 1), sz(kb, "B2", "yes"), dword(kb, "B3", 1),
          dword(kb, "B3List", 5)},
         {{"BOOL", kOn, {{"b1", "true"}, {"b2", "true"}, {"b3", "true"}}}},
         {}},
        {"booleans false",
         "HKLM",
         {dword(kb, "On", 1), dword(kb, "B1", 0), sz(kb, "B2", "no"), del(kb, "B3"),
          del(kb, "B3List")},
         {{"BOOL", kOn, {{"b1", "false"}, {"b2", "false"}, {"b3", "false"}}}},
         {}},
        {"boolean matching neither",
         "HKLM",
         {dword(kb, "On", 1), dword(kb, "B1", 2)},
         {{"BOOL", kOn, {}}},
         {"B1"}},
        // decimal, longDecimal
        {"numbers",
         "HKLM",
         {dword(kn, "On", 1), dword(kn, "D", 42), sz(kn, "DT", "17"), qword(kn, "Q", 5000000000),
          sz(kn, "QT", "18446744073709551615")},
         {{"NUM",
           kOn,
           {{"d", "42"}, {"dt", "17"}, {"q", "5000000000"}, {"qt", "18446744073709551615"}}}},
         {}},
        {"decimal not storeAsText, as REG_SZ",
         "HKLM",
         {dword(kn, "On", 1), sz(kn, "D", "42")},
         {{"NUM", kOn, {}}},
         {"D"}},
        {"Disabled deletes the element values",
         "HKLM",
         {dword(kn, "On", 0), del(kn, "D"), del(kn, "DT"), del(kn, "Q"), del(kn, "QT")},
         {{"NUM", kOff, {}}},
         {}},
        // text, multiText
        {"texts",
         "HKLM",
         {dword(kx, "On", 1), sz(kx, "T", "hello world"), expand_sz(kx, "TE", "%SystemRoot%\\x"),
          multi_sz(kx, "M", {"a", "b c"})},
         {{"TEXT", kOn, {{"t", "hello world"}, {"te", "%SystemRoot%\\x"}, {"m", "a; b c"}}}},
         {}},
        // enum
        {"enum decimal item",
         "HKLM",
         {dword(ke, "On", 1), dword(ke, "E", 1)},
         {{"ENUM", kOn, {{"e", "One"}}}},
         {}},
        {"enum string item",
         "HKLM",
         {dword(ke, "On", 1), sz(ke, "E", "two")},
         {{"ENUM", kOn, {{"e", "Two"}}}},
         {}},
        {"enum item with valueList",
         "HKLM",
         {dword(ke, "On", 1), dword(ke, "E", 3), dword(ke, "E3", 30), sz(ke + "\\Sub", "E3b", "z")},
         {{"ENUM", kOn, {{"e", "Three"}}}},
         {}},
        {"enum value with no item",
         "HKLM",
         {dword(ke, "On", 1), dword(ke, "E", 9)},
         {{"ENUM", kOn, {}}},
         {"E"}},
        // list
        {"list, names = data",
         "HKLM",
         {dword(kl, "On", 1), delvals(kl + "\\Plain"), sz(kl + "\\Plain", "beta", "beta"),
          sz(kl + "\\Plain", "alpha", "alpha")},
         {{"LIST", kOn, {{"plain", "beta; alpha"}}}},
         {}},
        {"list with valuePrefix",
         "HKLM",
         {dword(kl, "On", 1), delvals(kl + "\\Pre"), sz(kl + "\\Pre", "Srv1", "s1"),
          sz(kl + "\\Pre", "Srv2", "s2")},
         {{"LIST", kOn, {{"pre", "s1; s2"}}}},
         {}},
        {"numbered list of 11, in file order",
         "HKLM",
         eleven,
         {{"LIST", kOn, {{"num", eleven_text}}}},
         {}},
        {"explicitValue list",
         "HKLM",
         {dword(kl, "On", 1), delvals(kl + "\\Exp"), sz(kl + "\\Exp", "Z:", "\\\\srv\\z"),
          sz(kl + "\\Exp", "A:", "\\\\srv\\a")},
         {{"LIST", kOn, {{"exp", "Z:=\\\\srv\\z; A:=\\\\srv\\a"}}}},
         {}},
        {"additive expandable list: no **delvals.",
         "HKLM",
         {dword(kl, "On", 1), expand_sz(kl + "\\Add", "%TEMP%\\a", "%TEMP%\\a")},
         {{"LIST", kOn, {{"add", "%TEMP%\\a"}}}},
         {}},
        {"Disabled: **delvals. of every list key",
         "HKLM",
         {dword(kl, "On", 0), delvals(kl + "\\Plain"), delvals(kl + "\\Pre"), delvals(kl + "\\Num"),
          delvals(kl + "\\Exp"), delvals(kl + "\\Add")},
         {{"LIST", kOff, {}}},
         {}},
        // elements only (no valueName, no lists)
        {"elements only, all set",
         "HKLM",
         {dword(ko, "D", 5), sz(ko, "T", "x")},
         {{"ELEMS", kOn, {{"d", "5"}, {"t", "x"}}}},
         {}},
        {"elements only, all deleted",
         "HKLM",
         {del(ko, "D"), del(ko, "T")},
         {{"ELEMS", kOff, {}}},
         {}},
        // GPMC: Enabled, the missing element "Not configured" (Office's macro settings
        // written before their checkboxes existed).
        {"elements only, one missing",
         "HKLM",
         {dword(ko, "D", 5)},
         {{"ELEMS", kOn, {{"d", "5"}}}},
         {}},
        // A value beside a deleted one (no editor writes both): the value makes it Enabled.
        {"elements only, one deleted",
         "HKLM",
         {dword(ko, "D", 5), del(ko, "T")},
         {{"ELEMS", kOn, {{"d", "5"}}}},
         {"**del.T"}},
        // classes
        {"Both from a machine pol", "HKLM", {dword(k, "Both", 1)}, {{"BOTH", kOn, {}}}, {}},
        {"Both from a user pol", "HKCU", {dword(k, "Both", 0)}, {{"BOTH", kOff, {}}}, {}},
        {"User from a user pol", "HKCU", {dword(k, "User", 1)}, {{"USER", kOn, {}}}, {}},
        {"User not from a machine pol", "HKLM", {dword(k, "User", 1)}, {}, {"User"}},
        {"Machine not from a user pol", "HKCU", {dword(k, "Dec", 7)}, {}, {"Dec"}},
    };
    for (const auto& row : rows) {
        INFO(std::string(row.name));
        const auto st = cp::policy_states(table_load().set, build(row.recs), row.hive);
        std::vector<std::string> extra;
        for (const auto& e : st.extra) extra.push_back(e.value);
        CHECK(extra == row.extra);
        REQUIRE(st.policies.size() == row.want.size());
        for (std::size_t i = 0; i < row.want.size(); ++i) {
            CHECK(st.policies[i].policy == row.want[i].policy);
            CHECK(st.policies[i].state == row.want[i].state);
            CHECK(show(st.policies[i].elements) == show(row.want[i].elements));
        }
    }
}

TEST_CASE("a Both policy maps from a machine pol and from a user pol") {
    const auto& set = table_load().set;
    const std::string k = "Software\\Policies\\T";
    const auto machine = cp::policy_states(set, build({dword(k, "Both", 1)}), "HKEY_LOCAL_MACHINE");
    const auto user = cp::policy_states(set, build({dword(k, "Both", 0)}), "HKEY_CURRENT_USER");
    REQUIRE(machine.policies.size() == 1);
    REQUIRE(user.policies.size() == 1);
    CHECK(machine.policies[0].policy == "BOTH");
    CHECK(machine.policies[0].cls == cp::AdmxClass::both);
    CHECK(machine.policies[0].state == cp::GpState::enabled);
    CHECK(machine.policies[0].category == "A policy");
    CHECK(user.policies[0].policy == "BOTH");
    CHECK(user.policies[0].state == cp::GpState::disabled);
    CHECK(machine.policies[0].definition == user.policies[0].definition);
}
