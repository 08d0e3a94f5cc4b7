// Policy states -> Registry.pol records (gp_write.hpp), in-place pol editing (pol_write.hpp),
// gpt.ini bumps (gpt_ini.hpp) and folder locks (file_lock.hpp).
#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/gp_write.hpp>
#include <comredir/policy/gp/gpt_ini.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/pol_write.hpp>
#include <comredir/policy/io/file_lock.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "admx_text.hpp"
#include "pol_builder.hpp"
#include "test_util.hpp"

namespace cp = comredir::policy;

namespace {

constexpr const char* kAdmx = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="w" namespace="Write.Test" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories><category name="C" displayName="$(string.C)" /></categories>
  <policies>
    <policy name="Plain" class="Machine" displayName="$(string.C)" key="K" valueName="V">
      <parentCategory ref="C" />
    </policy>
    <policy name="DelOff" class="Machine" displayName="$(string.C)" key="K" valueName="D">
      <parentCategory ref="C" />
      <enabledValue><string>on</string></enabledValue>
      <disabledValue><delete /></disabledValue>
    </policy>
    <policy name="OnlyEnabled" class="Both" displayName="$(string.C)" key="K" valueName="E">
      <parentCategory ref="C" />
      <enabledValue><longDecimal value="5000000000" /></enabledValue>
    </policy>
    <policy name="Lists" class="Machine" displayName="$(string.C)" key="K">
      <parentCategory ref="C" />
      <enabledList><item key="K\L" valueName="a"><value><decimal value="1" /></value></item></enabledList>
      <disabledList><item key="K\L" valueName="a"><value><decimal value="0" /></value></item></disabledList>
    </policy>
    <policy name="Kinds" class="Machine" displayName="$(string.C)" key="K\E">
      <parentCategory ref="C" />
      <elements>
        <boolean id="B" valueName="b" />
        <boolean id="BL" valueName="bl">
          <trueValue><string>yes</string></trueValue><falseValue><string>no</string></falseValue>
          <trueList><item key="K\E\T" valueName="t1"><value><decimal value="1" /></value></item></trueList>
          <falseList><item key="K\E\T" valueName="t1"><value><delete /></value></item></falseList>
        </boolean>
        <decimal id="N" valueName="n" minValue="1" maxValue="10" />
        <decimal id="NT" valueName="nt" storeAsText="true" />
        <longDecimal id="LN" valueName="ln" maxValue="9000000000" />
        <text id="S" valueName="s" maxLength="5" />
        <text id="X" valueName="x" expandable="true" />
        <multiText id="M" valueName="m" maxStrings="3" />
        <enum id="EN" valueName="en">
          <item displayName="$(string.C)"><value><decimal value="3" /></value>
            <valueList><item key="K\E\V" valueName="extra"><value><string>three</string></value></item></valueList>
          </item>
          <item displayName="$(string.Other)"><value><string>four</string></value></item>
        </enum>
        <list id="LP" key="K\E\P" valuePrefix="" />
        <list id="LN2" key="K\E\N" />
        <list id="LX" key="K\E\X" explicitValue="true" additive="true" expandable="true" />
      </elements>
    </policy>
  </policies>
</policyDefinitions>
)xml";

constexpr const char* kAdml = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" revision="1.0" schemaVersion="1.0">
  <displayName>w</displayName><description>w</description>
  <resources><stringTable><string id="C">Three</string><string id="Other">Four</string></stringTable></resources>
</policyDefinitionResources>
)xml";

const cp::AdmxSet& set() {
    static const cp::AdmxSet s = comredir::test::admx_text::load(kAdmx, kAdml, "w.admx");
    return s;
}

/// "key|value|TYPE|raw" per record, as gp dump would show them.
std::vector<std::string> render(const std::vector<cp::PolRecord>& records) {
    std::vector<std::string> out;
    for (const auto& e : comredir::test::pol::build(records).entries) {
        out.push_back(e.key + "|" + e.value + "|" + cp::reg_type_name(e.type) + "|" +
                      cp::pol_raw_text(e));
    }
    return out;
}

cp::PolFile file_of(const std::vector<cp::PolRecord>& records) {
    return comredir::test::pol::build(records);
}

}  // namespace

TEST_CASE("main value forms: each state writes what the ADMX says, and reads back as that state") {
    struct Case {
        const char* policy;
        cp::GpTarget target;
        std::vector<std::string> want;
    };
    using T = cp::GpTarget;
    const Case cases[] = {
        {"Plain", T::enabled, {"K|V|REG_DWORD|1"}},
        // Neither enabledValue nor disabledValue: Disabled deletes the value, as the editor
        // does (GPMC backups: `**del.DisableBkGndGroupPolicy` reported Disabled).
        {"Plain", T::disabled, {"K|**del.V|REG_SZ| "}},
        {"DelOff", T::enabled, {"K|D|REG_SZ|on"}},
        {"DelOff", T::disabled, {"K|**del.D|REG_SZ| "}},
        {"OnlyEnabled", T::enabled, {"K|E|REG_QWORD|5000000000"}},
        {"OnlyEnabled", T::disabled, {"K|**del.E|REG_SZ| "}},
        {"Lists", T::enabled, {"K\\L|a|REG_DWORD|1"}},
        {"Lists", T::disabled, {"K\\L|a|REG_DWORD|0"}},
        {"Plain", T::not_configured, {}},
    };
    for (const auto& c : cases) {
        INFO(c.policy, " ", cp::to_string(c.target));
        const auto* p = set().find_policy(c.policy);
        REQUIRE(p != nullptr);
        auto r = cp::policy_records(*p, c.target, {});
        REQUIRE_MESSAGE(r.ok, r.message);
        CHECK(render(r.records) == c.want);
        auto states = cp::policy_states(set(), file_of(r.records), "HKLM");
        if (c.target == T::not_configured) {
            CHECK(states.policies.empty());
        } else {
            REQUIRE(states.policies.size() == 1);
            CHECK(states.policies[0].state ==
                  (c.target == T::enabled ? cp::GpState::enabled : cp::GpState::disabled));
            CHECK(states.extra.empty());
        }
    }
}

TEST_CASE("every element kind: exact records, and gp_states reads the same values back") {
    const auto* p = set().find_policy("Kinds");
    REQUIRE(p != nullptr);
    const cp::ElementValues values = {
        {"B", "yes"},   {"BL", "false"}, {"N", "10"},    {"NT", "42"},    {"LN", "8000000000"},
        {"S", "abcde"}, {"X", "%TEMP%"}, {"M", "one"},   {"M", "two"},    {"EN", "three"},
        {"LP", "COM1"}, {"LP", "COM2"},  {"LN2", "a b"}, {"LX", "k1=v1"}, {"lx", "k2=v2"},
    };
    auto r = cp::policy_records(*p, cp::GpTarget::enabled, values);
    REQUIRE_MESSAGE(r.ok, r.message);
    const std::vector<std::string> want = {
        "K\\E|b|REG_DWORD|1",
        "K\\E|bl|REG_SZ|no",
        "K\\E\\T|**del.t1|REG_SZ| ",
        "K\\E|n|REG_DWORD|10",
        "K\\E|nt|REG_SZ|42",
        "K\\E|ln|REG_QWORD|8000000000",
        "K\\E|s|REG_SZ|abcde",
        "K\\E|x|REG_EXPAND_SZ|%TEMP%",
        "K\\E|m|REG_MULTI_SZ|6f006e0065000000740077006f0000000000",  // raw text: hex
        "K\\E|en|REG_DWORD|3",
        "K\\E\\V|extra|REG_SZ|three",
        "K\\E\\P|**delvals.|REG_SZ| ",
        "K\\E\\P|1|REG_SZ|COM1",
        "K\\E\\P|2|REG_SZ|COM2",
        "K\\E\\N|**delvals.|REG_SZ| ",
        "K\\E\\N|a b|REG_SZ|a b",
        "K\\E\\X|k1|REG_EXPAND_SZ|v1",
        "K\\E\\X|k2|REG_EXPAND_SZ|v2",
    };
    const auto got_records = render(r.records);
    for (std::size_t i = 0; i < std::max(got_records.size(), want.size()); ++i) {
        INFO(i);
        CHECK((i < got_records.size() ? got_records[i] : "-") == (i < want.size() ? want[i] : "-"));
    }
    auto states = cp::policy_states(set(), file_of(r.records), "HKLM");
    REQUIRE(states.policies.size() == 1);
    CHECK(states.policies[0].state == cp::GpState::enabled);
    CHECK(states.extra.empty());
    std::map<std::string, std::string> got(states.policies[0].elements.begin(),
                                           states.policies[0].elements.end());
    CHECK(got["N"] == "10");
    CHECK(got["EN"] == "Three");
    CHECK(got["LP"] == "COM1; COM2");
    CHECK(got["LX"] == "k1=v1; k2=v2");

    auto off = cp::policy_records(*p, cp::GpTarget::disabled, {});
    REQUIRE(off.ok);
    auto dis = cp::policy_states(set(), file_of(off.records), "HKLM");
    REQUIRE(dis.policies.size() == 1);
    CHECK(dis.policies[0].state == cp::GpState::disabled);
    CHECK(dis.extra.empty());
}

TEST_CASE("bad element values: one line naming policy, element and value") {
    const auto* p = set().find_policy("Kinds");
    REQUIRE(p != nullptr);
    struct Case {
        cp::ElementValues values;
        const char* message;
    };
    const Case cases[] = {
        {{{"N", "11"}}, "policy `Kinds`: element `N`: `11` is not a number in 1..10"},
        {{{"N", "x"}}, "policy `Kinds`: element `N`: `x` is not a number in 1..10"},
        {{{"N", "1"}, {"N", "2"}},
         "policy `Kinds`: element `N`: given 2 times; a decimal takes one value"},
        {{{"S", "abcdef"}},
         "policy `Kinds`: element `S`: is 6 characters, longer than maxLength 5"},
        {{{"M", "1"}, {"M", "2"}, {"M", "3"}, {"M", "4"}},
         "policy `Kinds`: element `M`: 4 strings, more than maxStrings 3"},
        {{{"B", "maybe"}}, "policy `Kinds`: element `B`: `maybe` is not true or false"},
        {{{"EN", "five"}}, "policy `Kinds`: element `EN`: `five` is not one of `Three`, `Four`"},
        {{{"LX", "novalue"}},
         "policy `Kinds`: element `LX`: item `novalue` is not NAME=DATA (explicitValue)"},
        {{{"Z", "1"}},
         "policy `Kinds` has no element `Z` (elements: `B`, `BL`, `N`, `NT`, `LN`, `S`, `X`, `M`, "
         "`EN`, `LP`, `LN2`, `LX`)"},
    };
    for (const auto& c : cases) {
        auto r = cp::policy_records(*p, cp::GpTarget::enabled, c.values);
        CHECK_FALSE(r.ok);
        CHECK(r.message == c.message);
        CHECK(r.records.empty());
    }
    auto dis = cp::policy_records(*p, cp::GpTarget::disabled, {{"N", "3"}});
    CHECK(dis.message == "policy `Kinds`: element values need state `enabled`");
}

TEST_CASE("edit_pol: untouched entries byte for byte, owned ones replaced in place") {
    cp::PolRecord a{"Keep", "one", 4, cp::pol_dword(1)};
    cp::PolRecord mine{"Software\\Mine", "Value", 4, cp::pol_dword(1)};
    cp::PolRecord b{"Keep", "two", 1, cp::pol_sz("x")};
    const std::vector<std::uint8_t> original = comredir::test::pol::pol_bytes({a, mine, b});
    auto parsed = cp::parse_pol(original);
    REQUIRE(parsed.ok());
    cp::PolSlots slots{{{"SOFTWARE\\MINE", "value"}}, {}};

    // Replaced in place, keeping the file's spelling of key and value name.
    auto del = cp::edit_pol(original, parsed.file, slots,
                            {cp::pol_delete_value("SOFTWARE\\MINE", "VALUE")});
    CHECK(del.replaced == 1);
    CHECK(render({a, cp::pol_delete_value("Software\\Mine", "Value"), b}) ==
          render({a, {"Software\\Mine", "**del.Value", 1, cp::pol_sz(" ")}, b}));
    auto back = cp::edit_pol(del.bytes, cp::parse_pol(del.bytes).file, slots, {mine});
    CHECK(back.bytes == original);

    // Removed, then added back: at the end (as the editor appends).
    auto none = cp::edit_pol(original, parsed.file, slots, {});
    CHECK(none.removed == 1);
    auto again = cp::edit_pol(none.bytes, cp::parse_pol(none.bytes).file, slots, {mine});
    CHECK(again.added == 1);
    auto reparsed = cp::parse_pol(again.bytes);
    REQUIRE(reparsed.ok());
    REQUIRE(reparsed.file.entries.size() == 3);
    CHECK(reparsed.file.entries[2].key == "Software\\Mine");

    // Same state again: identical bytes.
    auto same = cp::edit_pol(original, parsed.file, slots, {mine});
    CHECK(same.bytes == original);
    CHECK(same.unchanged == 1);

    // An empty original is a header-only file.
    auto fresh = cp::edit_pol({}, {}, slots, {mine});
    CHECK(render({mine}) == std::vector<std::string>{"Software\\Mine|Value|REG_DWORD|1"});
    CHECK(fresh.bytes.size() == 8 + cp::encode_pol_record(mine).size());
}

TEST_CASE("gpt.ini: version halves, extension names, everything else kept") {
    auto bump = [](const std::string& text, bool user) {
        std::vector<std::uint8_t> b(text.begin(), text.end());
        auto r = cp::bump_gpt_ini(b, user);
        return std::make_pair(r, std::string(r.bytes.begin(), r.bytes.end()));
    };
    const std::string reg_m =
        "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";
    {
        auto [r, t] = bump("[General]\r\nVersion=65538\r\ndisplayName=X\r\n", false);
        CHECK(r.ok);
        CHECK(r.old_version == 65538);
        CHECK(r.new_version == 65539);
        CHECK(t == "[General]\r\nVersion=65539\r\ndisplayName=X\r\ngPCMachineExtensionNames=" +
                       reg_m + "\r\n");
    }
    {
        auto [r, t] = bump("[General]\nVersion=3\n", true);
        CHECK(r.new_version == 65539);
        CHECK(t ==
              "[General]\nVersion=65539\ngPCUserExtensionNames=[{35378EAC-683F-11D2-A89A-"
              "00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]\n");
    }
    {
        // Another CSE before ours alphabetically and one after; ours goes between, sorted.
        auto [r, t] = bump(
            "[General]\r\ngPCMachineExtensionNames=[{00000000-0000-0000-0000-000000000001}{A}]"
            "[{F0000000-0000-0000-0000-000000000000}{B}]\r\nVersion=1",
            false);
        CHECK(r.extensions_changed);
        CHECK(t ==
              "[General]\r\ngPCMachineExtensionNames=[{00000000-0000-0000-0000-000000000001}{A}]" +
                  reg_m + "[{F0000000-0000-0000-0000-000000000000}{B}]\r\nVersion=2");
    }
    {
        // Already there: only the version changes, no final newline added.
        auto [r, t] =
            bump("[General]\r\ngPCMachineExtensionNames=" + reg_m + "\r\nVersion=7", false);
        CHECK_FALSE(r.extensions_changed);
        CHECK(t == "[General]\r\ngPCMachineExtensionNames=" + reg_m + "\r\nVersion=8");
    }
    {
        auto [r, t] = bump("", false);
        CHECK(t == "[General]\r\nVersion=1\r\ngPCMachineExtensionNames=" + reg_m + "\r\n");
    }
    {
        auto [r, t] = bump("[General]\r\nVersion=abc\r\n", false);
        CHECK_FALSE(r.ok);
        CHECK(r.message == "gpt.ini: line 2: version `abc` is not a number");
    }
    {
        auto [r, t] = bump("[General]\r\nVersion=65535\r\n", false);
        CHECK_FALSE(r.ok);
        CHECK(r.message == "gpt.ini: line 2: the computer version is already 65535");
    }
}

TEST_CASE("folder lock: a second writer waits, then times out with a one-line message") {
    auto dir = std::filesystem::temp_directory_path() / "comredir-lock-test";
    std::filesystem::create_directories(dir);
    const std::string file = (dir / "Registry.pol").string();
    auto first = cp::lock_folder_of(file, std::chrono::milliseconds(100));
    REQUIRE(first.ok());
    auto second = cp::lock_folder_of(file, std::chrono::milliseconds(50));
    CHECK_FALSE(second.ok());
    CHECK(second.message == dir.string() + ": another writer holds the lock (waited 50 ms)");
    first.lock = cp::FolderLock();
    CHECK(cp::lock_folder_of(file, std::chrono::milliseconds(50)).ok());
}
