#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/intune/intune_ingest.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::slurp;
using comredir::test::source_dir;
using comredir::test::test_data;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(const std::string& s) {
    return {s.begin(), s.end()};
}

struct Files {
    Bytes admx, adml;
    std::string name;
};

Files comredir_files() {
    return {slurp(source_dir("admx/comredir.admx")), slurp(source_dir("admx/en-US/comredir.adml")),
            "comredir.admx"};
}
Files contoso_files() {
    return {slurp(test_data("intune_ingest/Contoso.admx")),
            slurp(test_data("intune_ingest/en-US/Contoso.adml")), "Contoso.admx"};
}

AdmxIngestResult ingest(const Files& f, AdmxIngestOptions o = {}) {
    auto loaded = parse_admx(f.admx, f.adml, f.name);
    REQUIRE(loaded.ok());
    return admx_ingest_payloads(loaded.set, f.admx, f.name, o);
}

AdmxIngestOptions with(std::vector<std::string> values, std::string app = "comredir") {
    AdmxIngestOptions o;
    o.app_name = std::move(app);
    o.values = std::move(values);
    return o;
}

/// The row of `policy` (REQUIREs it to be there).
const AdmxIngestPayload& row(const AdmxIngestResult& r, const std::string& policy) {
    for (const auto& p : r.payloads) {
        if (p.policy == policy) return p;
    }
    FAIL("no row for " << policy);
    return r.payloads.front();
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

const std::string kDev = "./Device/Vendor/MSFT/Policy/Config/comredir~Policy~Cat_comredir";

}  // namespace

TEST_CASE("comredir.admx: the ADMXInstall row carries the file's bytes") {
    auto f = comredir_files();
    auto r = ingest(f);
    REQUIRE(r.ok());
    CHECK(r.notes == std::vector<std::string>{
                         "policy `AllowedPortNames`: element `AllowedPortList` is empty: add "
                         "entries with `AllowedPortNames.AllowedPortList=VALUE` (repeat it)",
                         "policy `SerialConsoleRoles`: element `AttachRoleList` is empty: add "
                         "entries with `SerialConsoleRoles.AttachRoleList=VALUE` (repeat it)"});
    REQUIRE(r.payloads.size() == 11);
    const auto& inst = r.payloads.front();
    CHECK(inst.name == "comredir ADMX ingestion (comredir.admx)");
    CHECK(inst.oma_uri ==
          "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/comredir/Policy/comredir");
    CHECK(inst.value == std::string(f.admx.begin(), f.admx.end()));
    CHECK(inst.policy.empty());
    for (const auto& p : r.payloads) CHECK(p.data_type == "String");
}

TEST_CASE("comredir.admx: every policy's URI and Enabled payload") {
    struct Case {
        const char* policy;
        std::string uri;
        const char* value;
        const char* name;
    };
    const std::string red = kDev + "~Cat_Redirection/";
    const std::string con = kDev + "~Cat_SerialConsole/";
    const Case cases[] = {
        {"AuditLogLocation", kDev + "/AuditLogLocation",
         R"(<enabled/><data id="AuditLogPath" value="/var/log/comredir/audit.jsonl"/>)",
         "Audit log location (Enabled)"},
        {"DenyComRedirection", red + "DenyComRedirection", "<enabled/>",
         "Do not allow COM port redirection to comredir hosts (Enabled)"},
        {"AllowedPortNames", red + "AllowedPortNames",
         R"(<enabled/><data id="AllowedPortList" value=""/>)",
         "Allow only these client port names (Enabled)"},
        {"AllowNonWindowsClients", red + "AllowNonWindowsClients", "<enabled/>", nullptr},
        {"OneSessionPerPort", red + "OneSessionPerPort", "<enabled/>", nullptr},
        {"LatencyWarning", red + "LatencyWarning",
         R"(<enabled/><data id="LatencyWarningMs" value="20"/>)", nullptr},
        {"SerialConsoleEnabled", con + "SerialConsoleEnabled",
         R"(<enabled/><data id="AllowTakeover" value="true"/>)", nullptr},
        {"SerialConsoleRoles", con + "SerialConsoleRoles",
         R"(<enabled/><data id="AttachRoleList" value=""/>)", nullptr},
        {"SerialConsoleIdleTimeout", con + "SerialConsoleIdleTimeout",
         R"(<enabled/><data id="IdleTimeoutMinutes" value="30"/>)", nullptr},
        {"SerialConsolePasteLimit", con + "SerialConsolePasteLimit",
         R"(<enabled/><data id="PasteLimitChars" value="2048"/>)", nullptr},
    };
    auto r = ingest(comredir_files());
    REQUIRE(r.ok());
    for (const auto& c : cases) {
        CAPTURE(c.policy);
        const auto& p = row(r, c.policy);
        CHECK(p.oma_uri == c.uri);
        CHECK(p.value == c.value);
        if (c.name != nullptr) CHECK(p.name == c.name);
    }
    CHECK(row(r, "LatencyWarning").description ==
          "LatencyWarning: Enabled; LatencyWarningMs = 20 (dialog default)");
}

TEST_CASE("comredir.admx: Disabled rows, and a policy selection") {
    AdmxIngestOptions o;
    o.state = AdmxIngestState::disabled;
    o.policies = {"SerialConsoleRoles", "DenyComRedirection"};
    auto r = ingest(comredir_files(), o);
    REQUIRE(r.ok());
    REQUIRE(r.payloads.size() == 3);  // ADMXInstall, then file order
    CHECK(r.payloads[1].policy == "DenyComRedirection");
    CHECK(r.payloads[1].value == "<disabled/>");
    CHECK(r.payloads[1].name == "Do not allow COM port redirection to comredir hosts (Disabled)");
    CHECK(r.payloads[2].oma_uri == kDev + "~Cat_SerialConsole/SerialConsoleRoles");
    CHECK(r.payloads[2].value == "<disabled/>");
}

TEST_CASE("comredir.admx: given values, list separator and XML escaping") {
    auto r = ingest(
        comredir_files(),
        with({"AllowedPortNames.AllowedPortList=COM1", "AllowedPortNames.AllowedPortList=COM*",
              "LatencyWarning.LatencyWarningMs=5", "SerialConsoleEnabled.AllowTakeover=0",
              "AuditLogLocation.AuditLogPath=C:\\a&b \"x\" <y>\n"}));
    REQUIRE(r.ok());
    REQUIRE(r.payloads.size() == 5);  // the named policies only
    CHECK(row(r, "AllowedPortNames").value ==
          R"(<enabled/><data id="AllowedPortList" value="1&#xF000;COM1&#xF000;2&#xF000;COM*"/>)");
    CHECK(row(r, "AllowedPortNames").description ==
          "AllowedPortNames: Enabled; AllowedPortList = 1=COM1, 2=COM*");
    CHECK(row(r, "LatencyWarning").value == R"(<enabled/><data id="LatencyWarningMs" value="5"/>)");
    CHECK(row(r, "SerialConsoleEnabled").value ==
          R"(<enabled/><data id="AllowTakeover" value="false"/>)");
    CHECK(row(r, "AuditLogLocation").value ==
          R"(<enabled/><data id="AuditLogPath" value="C:\a&amp;b &quot;x&quot; &lt;y&gt;&#xA;"/>)");
}

TEST_CASE("Contoso fixture: classes, category chain and every element kind") {
    auto f = contoso_files();
    auto r = ingest(f, with({}, "Contoso"));
    REQUIRE(r.ok());
    CHECK(r.payloads.front().oma_uri ==
          "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/Contoso/Policy/Contoso");
    const std::string cfg = "/Vendor/MSFT/Policy/Config/Contoso~Policy~";
    CHECK(row(r, "UserText").oma_uri == "./User" + cfg + "Cat_Root~Cat_Mid~Cat_Leaf/UserText");
    CHECK(row(r, "UserText").value == R"(<enabled/><data id="Url" value="https://a.example"/>)");
    CHECK(row(r, "BothEnum").oma_uri == "./Device" + cfg + "Cat_Root~Cat_Mid/BothEnum");
    CHECK(row(r, "BothEnum").value == R"(<enabled/><data id="Mode" value="7"/>)");  // defaultItem 1
    CHECK(row(r, "BothEnum").description ==
          "BothEnum: Enabled; Mode = Slow (7) (dialog default) (class Both: also settable as "
          "./User)");
    CHECK(row(r, "Numbers").value ==
          R"(<enabled/><data id="Count" value="5"/><data id="Big" value="5000000000"/>)"
          R"(<data id="Opt" value="false"/>)");
    CHECK(row(r, "Plain").oma_uri == "./Device" + cfg + "Cat_UnderWindows/Plain");
    CHECK(joined(r.notes) ==
          "policy `MachineMulti`: element `Hosts` is empty: add entries with "
          "`MachineMulti.Hosts=VALUE` (repeat it)\n"
          "policy `ExplicitList`: element `MapList` is empty: add entries with "
          "`ExplicitList.MapList=VALUE` (repeat it)\n"
          "policy `PlainList`: element `PlainItems` is empty: add entries with "
          "`PlainList.PlainItems=VALUE` (repeat it)\n"
          "policy `PrefixList`: element `PrefixItems` is empty: add entries with "
          "`PrefixList.PrefixItems=VALUE` (repeat it)\n"
          "policy `Numbers`: element `Count`: dialog default ignored: `1` is out of range 5..50\n"
          "category `Cat_UnderWindows`: parent `windows:WindowsComponents` is in another file; "
          "the Intune area starts below it (assumed)\n");

    AdmxIngestOptions user = with({}, "Contoso");
    user.both_scope = AdmxIngestScope::user;
    user.file_uid = "Contoso_v2";
    auto u = ingest(f, user);
    REQUIRE(u.ok());
    CHECK(u.payloads.front().oma_uri ==
          "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/Contoso/Policy/Contoso_v2");
    CHECK(row(u, "BothEnum").oma_uri == "./User" + cfg + "Cat_Root~Cat_Mid/BothEnum");
    CHECK(row(u, "MachineMulti").oma_uri == "./Device" + cfg + "Cat_Root/MachineMulti");
}

TEST_CASE("Contoso fixture: element encodings") {
    struct Case {
        std::vector<std::string> values;
        const char* policy;
        const char* value;
    };
    const Case cases[] = {
        {{"BothEnum.Mode=fast"}, "BothEnum", R"(<enabled/><data id="Mode" value="3"/>)"},
        {{"BothEnum.Mode=auto"}, "BothEnum", R"(<enabled/><data id="Mode" value="auto"/>)"},
        {{"BothEnum.Mode=7"}, "BothEnum", R"(<enabled/><data id="Mode" value="7"/>)"},
        {{"MachineMulti.Hosts=a", "MachineMulti.Hosts=b c"},
         "MachineMulti",
         R"(<enabled/><data id="Hosts" value="a&#xF000;b c"/>)"},
        {{"ExplicitList.MapList=k1=v1", "ExplicitList.MapList=k2=v=2"},
         "ExplicitList",
         R"(<enabled/><data id="MapList" value="k1&#xF000;v1&#xF000;k2&#xF000;v=2"/>)"},
        {{"PlainList.PlainItems=x", "PlainList.PlainItems=y"},
         "PlainList",
         R"(<enabled/><data id="PlainItems" value="x&#xF000;x&#xF000;y&#xF000;y"/>)"},
        {{"PrefixList.PrefixItems=x", "PrefixList.PrefixItems=y"},
         "PrefixList",
         R"(<enabled/><data id="PrefixItems" value="Item1&#xF000;x&#xF000;Item2&#xF000;y"/>)"},
        {{"Numbers.Count=50", "Numbers.Big=9999999999", "Numbers.Opt=TRUE"},
         "Numbers",
         R"(<enabled/><data id="Count" value="50"/><data id="Big" value="9999999999"/>)"
         R"(<data id="Opt" value="true"/>)"},
        {{"UserText.Url=\xC3\xA9" + std::string(19, 'x')},
         "UserText",  // 20 characters
         "<enabled/><data id=\"Url\" value=\"\xC3\xA9xxxxxxxxxxxxxxxxxxx\"/>"},
    };
    auto f = contoso_files();
    for (const auto& c : cases) {
        CAPTURE(c.values.front());
        auto r = ingest(f, with(c.values, "Contoso"));
        REQUIRE(r.ok());
        REQUIRE(r.payloads.size() == 2);
        CHECK(row(r, c.policy).value == c.value);
    }
}

TEST_CASE("element values the ADMX does not accept: exact messages") {
    struct Case {
        std::vector<std::string> values;
        AdmxIngestStatus status;
        const char* message;
    };
    const Case cases[] = {
        {{"Numbers.Count=4"},
         AdmxIngestStatus::bad_value,
         "policy `Numbers`: element `Count`: `4` is out of range 5..50"},
        {{"Numbers.Count=-5"},
         AdmxIngestStatus::bad_value,
         "policy `Numbers`: element `Count`: `-5` is not a whole number"},
        {{"Numbers.Count=6", "Numbers.Count=7"},
         AdmxIngestStatus::bad_value,
         "policy `Numbers`: element `Count`: given 2 times"},
        {{"Numbers.Opt=maybe"},
         AdmxIngestStatus::bad_value,
         "policy `Numbers`: element `Opt`: `maybe` is not true, false, 1 or 0"},
        {{"BothEnum.Mode=Medium"},
         AdmxIngestStatus::bad_value,
         "policy `BothEnum`: element `Mode`: `Medium` is not an item (`Fast`, `Slow`, "
         "`Automatic`)"},
        {{"UserText.Url=" + std::string(21, 'x')},
         AdmxIngestStatus::bad_value,
         "policy `UserText`: element `Url`: `xxxxxxxxxxxxxxxxxxxxx` is 21 characters, more than "
         "maxLength 20"},
        {{"UserText.Url=a\x01"},
         AdmxIngestStatus::bad_value,
         "policy `UserText`: element `Url`: `a\x01` contains control character 0x1"},
        {{"MachineMulti.Hosts=a", "MachineMulti.Hosts=b", "MachineMulti.Hosts=c"},
         AdmxIngestStatus::bad_value,
         "policy `MachineMulti`: element `Hosts`: 3 strings, more than maxStrings 2"},
        {{"MachineMulti.Hosts=abcdefghijk"},
         AdmxIngestStatus::bad_value,
         "policy `MachineMulti`: element `Hosts`: `abcdefghijk` is 11 characters, more than "
         "maxLength 10"},
        {{"MachineMulti.Hosts="},
         AdmxIngestStatus::bad_value,
         "policy `MachineMulti`: element `Hosts`: empty entry"},
        {{"PlainList.PlainItems=a\xEF\x80\x80"
          "b"},
         AdmxIngestStatus::bad_value,
         "policy `PlainList`: element `PlainItems`: `a\xEF\x80\x80"
         "b` contains U+F000, the "
         "entry separator"},
        {{"PlainList.PlainItems=a", "PlainList.PlainItems=A"},
         AdmxIngestStatus::bad_value,
         "policy `PlainList`: element `PlainItems`: value name `A` given twice"},
        {{"ExplicitList.MapList=novalue"},
         AdmxIngestStatus::bad_value,
         "policy `ExplicitList`: element `MapList`: entry `novalue` is not NAME=DATA (the list "
         "has explicitValue)"},
        {{"ExplicitList.MapList=k="},
         AdmxIngestStatus::bad_value,
         "policy `ExplicitList`: element `MapList`: entry `k=` has no DATA"},
        {{"Nope.X=1"}, AdmxIngestStatus::unknown_policy, "no policy `Nope` in `Contoso.admx`"},
        {{"Numbers.Nope=1"},
         AdmxIngestStatus::unknown_element,
         "policy `Numbers` has no element `Nope` (elements: `Count`, `Big`, `Opt`)"},
        {{"Plain.X=1"},
         AdmxIngestStatus::unknown_element,
         "policy `Plain` has no element `X` (it has none)"},
        {{"Numbers=1"}, AdmxIngestStatus::bad_value, "`Numbers=1` is not POLICY.ELEMENT=VALUE"},
        {{"Numbers.Count"},
         AdmxIngestStatus::bad_value,
         "`Numbers.Count` is not POLICY.ELEMENT=VALUE"},
    };
    auto f = contoso_files();
    for (const auto& c : cases) {
        CAPTURE(c.values.back());
        auto r = ingest(f, with(c.values, "Contoso"));
        CHECK(r.status == c.status);
        CHECK(r.message == c.message);
        CHECK(r.payloads.empty());
    }
}

TEST_CASE("options the URIs cannot carry, unknown --policy, values for Disabled") {
    auto f = comredir_files();
    AdmxIngestOptions o;
    o.app_name = "my app";
    auto r = ingest(f, o);
    CHECK(r.status == AdmxIngestStatus::bad_option);
    CHECK(r.message ==
          "app name `my app` cannot be an OMA-URI segment (use letters, digits, `_`, `-`, `.`)");
    o = {};
    o.file_uid = "a~b";
    CHECK(ingest(f, o).message ==
          "file uid `a~b` cannot be an OMA-URI segment (use letters, digits, `_`, `-`, `.`)");
    o = {};
    o.policies = {"TS_CLIENT_COM"};
    r = ingest(f, o);
    CHECK(r.status == AdmxIngestStatus::unknown_policy);
    CHECK(r.message == "no policy `TS_CLIENT_COM` in `comredir.admx`");
    o = with({"LatencyWarning.LatencyWarningMs=5"});
    o.state = AdmxIngestState::disabled;
    r = ingest(f, o);
    CHECK(r.status == AdmxIngestStatus::bad_value);
    CHECK(r.message ==
          "`LatencyWarning.LatencyWarningMs=5`: element values apply to enabled policies only");
}

TEST_CASE("keys ingestion refuses: the whole file is reported") {
    auto planted = [](const std::string& policy_key, const std::string& element_key) {
        return bytes_of(
            R"(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="p" namespace="Planted.Policies" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories><category name="Cat" displayName="Cat" /></categories>
  <policies>
    <policy name="Fine" class="Machine" displayName="Fine" key="Software\Policies\Planted" valueName="V">
      <parentCategory ref="Cat" />
    </policy>
    <policy name="P1" class="Machine" displayName="P1" key=")" +
            policy_key + R"(" valueName="V">
      <parentCategory ref="Cat" />
      <elements><decimal id="E" key=")" +
            element_key + R"(" valueName="E" /></elements>
    </policy>
  </policies>
</policyDefinitions>
)");
    };
    struct Case {
        std::string policy_key, element_key;
        const char* message;  ///< nullptr: accepted
    };
    const std::string ok = "Software\\Policies\\Planted";
    const Case cases[] = {
        {"Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", ok,
         "`Planted.admx`: policy `P1`: key `Software\\Policies\\Microsoft\\Windows NT\\Terminal "
         "Services` is under `Software\\Policies\\Microsoft`, where ADMX ingestion refuses to "
         "write"},
        {ok, "SYSTEM\\CurrentControlSet\\Services\\Serial",
         "`Planted.admx`: policy `P1`: key `SYSTEM\\CurrentControlSet\\Services\\Serial` is under "
         "`System`, where ADMX ingestion refuses to write"},
        {"software\\microsoft\\windows", ok,
         "`Planted.admx`: policy `P1`: key `software\\microsoft\\windows` is under "
         "`Software\\Microsoft`, where ADMX ingestion refuses to write"},
        {"SOFTWARE\\Policies\\Microsoft", ok,
         "`Planted.admx`: policy `P1`: key `SOFTWARE\\Policies\\Microsoft` is under "
         "`Software\\Policies\\Microsoft`, where ADMX ingestion refuses to write"},
        {"Software\\Policies\\Microsoft\\Office\\16.0\\Common", ok, nullptr},
        {"Software\\Microsoft\\EdgeUpdate\\ClientState", ok, nullptr},
        {"Software\\Microsoft\\OneDrive", ok, nullptr},
        {"Software\\MicrosoftSoft\\App", "Systems\\App", nullptr},  // not below the roots
    };
    for (const auto& c : cases) {
        CAPTURE(c.policy_key);
        CAPTURE(c.element_key);
        auto admx = planted(c.policy_key, c.element_key);
        auto loaded = parse_admx(admx, bytes_of(""), "Planted.admx");
        auto r = admx_ingest_payloads(loaded.set, admx, "Planted.admx", {});
        if (c.message == nullptr) {
            CHECK(r.ok());
            CHECK(r.payloads.size() == 3);
            CHECK(row(r, "P1").name == "P1 (Enabled)");
        } else {
            CHECK(r.status == AdmxIngestStatus::not_ingestible);
            CHECK(r.message == c.message);
            CHECK(r.payloads.empty());
        }
    }
}

TEST_CASE("text encodings of the ADMX, and no ADML") {
    auto f = contoso_files();
    auto loaded = parse_admx(f.admx, f.adml, f.name);
    REQUIRE(loaded.ok());
    const std::string text(f.admx.begin(), f.admx.end());

    Bytes bom = {0xEF, 0xBB, 0xBF};
    bom.insert(bom.end(), f.admx.begin(), f.admx.end());
    auto r = admx_ingest_payloads(loaded.set, bom, "dir/Contoso.admx", with({}, "C"));
    REQUIRE(r.ok());
    CHECK(r.payloads.front().value == text);
    CHECK(r.payloads.front().oma_uri ==
          "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/C/Policy/Contoso");
    CHECK(r.notes.front() == "`Contoso.admx` starts with a UTF-8 BOM: dropped from the value");

    Bytes utf16 = {0xFF, 0xFE};
    for (char c : text) utf16.insert(utf16.end(), {static_cast<std::uint8_t>(c), 0});
    r = admx_ingest_payloads(loaded.set, utf16, "Contoso.admx", with({}, "C"));
    REQUIRE(r.ok());
    CHECK(r.payloads.front().value == text);
    CHECK(r.notes.front() == "`Contoso.admx` is UTF-16: the ADMXInstall value is its UTF-8 text");

    Bytes latin1 = bytes_of("<policyDefinitions>\xE9</policyDefinitions>");
    r = admx_ingest_payloads(loaded.set, latin1, "Contoso.admx", with({}, "C"));
    CHECK(r.status == AdmxIngestStatus::bad_admx);
    CHECK(r.message == "`Contoso.admx`: offset 0x13: not UTF-8");

    auto bare = parse_admx(f.admx, {}, f.name);  // missing_adml: policies still load
    r = admx_ingest_payloads(bare.set, f.admx, f.name, with({}, "C"));
    REQUIRE(r.ok());
    CHECK(row(r, "UserText").name == "UserText (Enabled)");
    CHECK(row(r, "UserText").value == R"(<enabled/><data id="Url" value=""/>)");
    CHECK(row(r, "BothEnum").value == R"(<enabled/><data id="Mode" value="3"/>)");  // first item
    CHECK(row(r, "Numbers").description ==
          "Numbers: Enabled; Count = 5 (minValue); Big = 0 (minValue); Opt = false (unchecked)");
    CHECK(r.notes.front() ==
          "policy `UserText`: element `Url` is required and has no dialog default: set it with "
          "`UserText.Url=VALUE`");
}
