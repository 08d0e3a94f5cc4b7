// AdmxSet::lookup_policy: a policy by the name a user gives it, on Microsoft's full
// PolicyDefinitions set, where several files define the same policy names.
#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;

namespace {

/// Microsoft's full set (240 ADMX files, Office and Edge included), loaded once.
const AdmxSet& full() {
    static const AdmxLoadResult r = load_admx_folder(shared_data("admx-full/PolicyDefinitions"));
    return r.set;
}

/// `file:line` of each candidate (set_aside when `aside`).
std::vector<std::string> where(const AdmxPolicyLookup& r, bool aside = false) {
    std::vector<std::string> out;
    for (const auto* p : aside ? r.set_aside : r.candidates) {
        out.push_back(p->source.file + ":" + std::to_string(p->source.line));
    }
    return out;
}

}  // namespace

TEST_CASE("a name seven Office files define is ambiguous; the message lists them qualified") {
    const auto& set = full();
    CHECK(set.policies_named("L_VBAWarningsPolicy") == 7);
    auto r = set.lookup_policy("L_VBAWarningsPolicy");
    CHECK(r.status == AdmxLookupStatus::ambiguous);
    CHECK(r.policy() == nullptr);
    std::vector<std::string> files;
    for (const auto* p : r.candidates) files.push_back(p->source.file);
    CHECK(files == std::vector<std::string>{"access16.admx", "excel16.admx", "ppt16.admx",
                                            "proj16.admx", "pub16.admx", "visio16.admx",
                                            "word16.admx"});
    CHECK(r.message ==
          "policy `L_VBAWarningsPolicy` is defined in 7 files: `access16:L_VBAWarningsPolicy`, "
          "`excel16:L_VBAWarningsPolicy`, `ppt16:L_VBAWarningsPolicy`, "
          "`proj16:L_VBAWarningsPolicy`, `pub16:L_VBAWarningsPolicy`, "
          "`visio16:L_VBAWarningsPolicy`, `word16:L_VBAWarningsPolicy`; qualify it");
    CHECK(set.find_policy("L_VBAWarningsPolicy") == nullptr);
    // Every candidate's qualified name finds exactly it.
    for (const auto* p : r.candidates) {
        CAPTURE(p->source.file);
        CHECK(set.lookup_policy(set.qualified_name(*p)).policy() == p);
    }
}

TEST_CASE("qualified by file name, target prefix or namespace (any case)") {
    const auto& set = full();
    struct Row {
        const char* name;
        const char* file;  // the policy found, `file:line`
    };
    const Row rows[] = {
        {"excel16:L_VBAWarningsPolicy", "excel16.admx:739"},
        {"EXCEL16:L_VBAWarningsPolicy", "excel16.admx:739"},
        {"excel16.Office.Microsoft.Policies.Windows:L_VBAWarningsPolicy", "excel16.admx:739"},
        // msedge.admx declares prefix `microsoft_edge`, WindowsDefender.admx `windef`.
        {"msedge:ProxyPacUrl", "msedge.admx:2464"},
        {"microsoft_edge:ProxyPacUrl", "msedge.admx:2464"},
        {"Microsoft.Policies.Edge:ProxyPacUrl", "msedge.admx:2464"},
        {"windef:ProxyPacUrl", "WindowsDefender.admx:229"},
        {"microsoft.policies.windowsdefender:ProxyPacUrl", "WindowsDefender.admx:229"},
        {"TerminalServer-Server:TS_CLIENT_CLIPBOARD", "TerminalServer-Server.admx:30"},
        {"terminalserver:TS_CLIENT_CLIPBOARD", "TerminalServer.admx:918"},
        // `startmenu` is StartMenu.admx's name and the target prefix of StartMenu.admx and
        // WPN.admx; only WPN.admx defines the policy.
        {"startmenu:NoToastNotification", "WPN.admx:34"},
        // A unique name, qualified or not.
        {"TS_CLIENT_COM", "TerminalServer.admx:994"},
        {"TerminalServer:TS_CLIENT_COM", "TerminalServer.admx:994"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.name);
        auto r = set.lookup_policy(row.name);
        CHECK(to_string(r.status) == "found");
        CHECK(where(r) == std::vector<std::string>{row.file});
        CHECK(r.message.empty());
    }
    CHECK(set.find_policy("excel16:L_VBAWarningsPolicy") ==
          set.lookup_policy("excel16:L_VBAWarningsPolicy").policy());
}

TEST_CASE("qualified_name: the file name without .admx, as loaded") {
    const auto& set = full();
    const auto* p = set.find_policy("excel16:L_VBAWarningsPolicy");
    REQUIRE(p != nullptr);
    CHECK(set.qualified_name(*p) == "excel16:L_VBAWarningsPolicy");
    CHECK(set.qualified_name(*set.find_policy("windef:ProxyPacUrl")) ==
          "WindowsDefender:ProxyPacUrl");
    CHECK(set.file_of(*p) != nullptr);
    CHECK(set.file_of(*p)->prefix == "excel16");
    CHECK(set.policies_named("TS_CLIENT_COM") == 1);
    CHECK(set.policies_named("NoSuchPolicy") == 0);
}

TEST_CASE("the hive keeps the candidates whose class fits it") {
    const auto& set = full();
    // TerminalServer.admx: Machine; TerminalServer-Server.admx: User.
    auto none = set.lookup_policy("TS_CLIENT_CLIPBOARD");
    CHECK(none.status == AdmxLookupStatus::ambiguous);
    CHECK(none.message ==
          "policy `TS_CLIENT_CLIPBOARD` is defined in 2 files: "
          "`TerminalServer-Server:TS_CLIENT_CLIPBOARD`, `TerminalServer:TS_CLIENT_CLIPBOARD`; "
          "qualify it");
    auto hklm = set.lookup_policy("TS_CLIENT_CLIPBOARD", {false, "HKLM"});
    CHECK(hklm.found());
    CHECK(where(hklm) == std::vector<std::string>{"TerminalServer.admx:918"});
    CHECK(where(hklm, true) == std::vector<std::string>{"TerminalServer-Server.admx:30"});
    auto hkcu = set.lookup_policy("TS_CLIENT_CLIPBOARD", {false, "HKEY_CURRENT_USER"});
    CHECK(where(hkcu) == std::vector<std::string>{"TerminalServer-Server.admx:30"});
    // msedge's ProxyPacUrl is Both, WindowsDefender's Machine: HKCU leaves one, HKLM two.
    auto user = set.lookup_policy("ProxyPacUrl", {false, "HKCU"});
    CHECK(where(user) == std::vector<std::string>{"msedge.admx:2464"});
    auto machine = set.lookup_policy("ProxyPacUrl", {false, "HKLM"});
    CHECK(machine.status == AdmxLookupStatus::ambiguous);
    CHECK(machine.set_aside.empty());
    CHECK(machine.message ==
          "policy `ProxyPacUrl` is defined in 2 files: `WindowsDefender:ProxyPacUrl`, "
          "`msedge:ProxyPacUrl`; qualify it");
    // Seven User policies: HKLM sets none aside (none would fit), the name stays ambiguous.
    auto vba = set.lookup_policy("L_VBAWarningsPolicy", {false, "HKLM"});
    CHECK(vba.status == AdmxLookupStatus::ambiguous);
    CHECK(vba.candidates.size() == 7);
    CHECK(vba.set_aside.empty());
    // A qualified name is taken as given, whatever its class.
    CHECK(where(set.lookup_policy("TerminalServer-Server:TS_CLIENT_CLIPBOARD", {false, "HKLM"})) ==
          std::vector<std::string>{"TerminalServer-Server.admx:30"});
}

TEST_CASE("display names: tried after ADMX names, ambiguous the same way, qualified too") {
    const auto& set = full();
    auto bare = set.lookup_policy("VBA Macro Notification Settings", {true, {}});
    CHECK(bare.status == AdmxLookupStatus::ambiguous);
    // Excel's is called "Macro Notification Settings".
    CHECK(bare.message ==
          "display name `VBA Macro Notification Settings` names 6 policies: "
          "`access16:L_VBAWarningsPolicy`, `ppt16:L_VBAWarningsPolicy`, "
          "`proj16:L_VBAWarningsPolicy`, `pub16:L_VBAWarningsPolicy`, "
          "`visio16:L_VBAWarningsPolicy`, `word16:L_VBAWarningsPolicy`; qualify it");
    auto word = set.lookup_policy("word16:VBA Macro Notification Settings", {true, {}});
    CHECK(where(word) == std::vector<std::string>{"word16.admx:2939"});
    CHECK(set.lookup_policy("VBA Macro Notification Settings").status ==
          AdmxLookupStatus::not_found);
    auto excel = set.lookup_policy("Macro Notification Settings", {true, {}});
    CHECK(where(excel) == std::vector<std::string>{"excel16.admx:739"});
}

TEST_CASE("not found: one line naming the name, and the files a qualifier chose") {
    const auto& set = full();
    struct Row {
        const char* name;
        const char* message;
    };
    const Row rows[] = {
        {"NoSuchPolicy", "no policy `NoSuchPolicy` in the loaded ADMX set"},
        {"excel16:NoSuchPolicy", "no policy `NoSuchPolicy` in `excel16.admx`"},
        {"startmenu:NoSuchPolicy", "no policy `NoSuchPolicy` in `StartMenu.admx`, `WPN.admx`"},
        // A qualifier that names no loaded file: the whole text is the name.
        {"nofile:TS_CLIENT_COM", "no policy `nofile:TS_CLIENT_COM` in the loaded ADMX set"},
        {":TS_CLIENT_COM", "no policy `:TS_CLIENT_COM` in the loaded ADMX set"},
        {"ts_client_com", "no policy `ts_client_com` in the loaded ADMX set"},  // case-sensitive
        {"excel16:", "no policy `` in `excel16.admx`"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.name);
        auto r = set.lookup_policy(row.name, {true, {}});
        CHECK(to_string(r.status) == "not_found");
        CHECK(r.candidates.empty());
        CHECK(r.message == row.message);
    }
}

// Sets built by hand: cases Microsoft's set does not have.
namespace {

AdmxPolicy policy(const std::string& name, AdmxClass cls, const std::string& file,
                  const std::string& ns, std::uint32_t line) {
    AdmxPolicy p;
    p.name = name;
    p.cls = cls;
    p.ns = ns;
    p.display_name = name + " display";
    p.key = "SOFTWARE\\Policies\\Test";
    p.value_name = name;
    p.source = AdmxSource{file, line};
    return p;
}

AdmxFile file(const std::string& admx, const std::string& folder, const std::string& prefix,
              const std::string& ns) {
    AdmxFile f;
    f.admx = admx;
    f.folder = folder;
    f.prefix = prefix;
    f.ns = ns;
    return f;
}

}  // namespace

TEST_CASE("one file defining a name for Machine and for User: the hive tells them apart") {
    AdmxSet set;
    set.files = {file("dup.admx", "", "dup", "Test.Dup")};
    set.policies = {policy("P", AdmxClass::machine, "dup.admx", "Test.Dup", 10),
                    policy("P", AdmxClass::user, "dup.admx", "Test.Dup", 20)};
    set.reindex();
    auto r = set.lookup_policy("dup:P");
    CHECK(r.status == AdmxLookupStatus::ambiguous);
    CHECK(r.message ==
          "policy `dup:P` is defined 2 times in 1 file: `dup:P` (Machine, line 10), `dup:P` "
          "(User, line 20); qualify it");
    CHECK(where(set.lookup_policy("P", {false, "HKCU"})) ==
          std::vector<std::string>{"dup.admx:20"});
    auto m = set.lookup_policy("dup:P", {false, "HKLM"});
    CHECK(where(m) == std::vector<std::string>{"dup.admx:10"});
    CHECK(where(m, true) == std::vector<std::string>{"dup.admx:20"});
}

TEST_CASE("three files, two of the hive's class: the message says how many fit") {
    AdmxSet set;
    set.files = {file("a.admx", "", "a", "Test.A"), file("b.admx", "", "b", "Test.B"),
                 file("c.admx", "", "c", "Test.C")};
    set.policies = {policy("P", AdmxClass::user, "a.admx", "Test.A", 1),
                    policy("P", AdmxClass::machine, "b.admx", "Test.B", 2),
                    policy("P", AdmxClass::both, "c.admx", "Test.C", 3)};
    set.reindex();
    auto r = set.lookup_policy("P", {false, "HKLM"});
    CHECK(r.status == AdmxLookupStatus::ambiguous);
    CHECK(r.message ==
          "policy `P` is defined in 3 files, 2 of them for the Machine class: `b:P`, `c:P`; "
          "qualify it");
    CHECK(where(set.lookup_policy("P", {false, "HKCU"})) ==
          std::vector<std::string>{"a.admx:1", "c.admx:3"});
}

TEST_CASE("two folders with a file of the same name: qualified by namespace") {
    AdmxSet set;
    set.files = {file("vendor.admx", "/one", "vendor", "Vendor.One"),
                 file("Vendor.admx", "/two", "vendor", "Vendor.Two")};
    set.policies = {policy("P", AdmxClass::machine, "vendor.admx", "Vendor.One", 5),
                    policy("P", AdmxClass::machine, "Vendor.admx", "Vendor.Two", 6)};
    set.reindex();
    auto r = set.lookup_policy("P");
    CHECK(r.message ==
          "policy `P` is defined in 2 files: `Vendor.One:P`, `Vendor.Two:P`; "
          "qualify it");
    CHECK(where(set.lookup_policy("vendor.two:P")) == std::vector<std::string>{"Vendor.admx:6"});
    // The file name names both: still ambiguous.
    CHECK(set.lookup_policy("vendor:P").status == AdmxLookupStatus::ambiguous);
}

TEST_CASE("a loaded name holding a colon is found as written") {
    AdmxSet set;
    set.files = {file("x.admx", "", "x", "Test.X")};
    set.policies = {policy("x:P", AdmxClass::machine, "x.admx", "Test.X", 1),
                    policy("P", AdmxClass::machine, "x.admx", "Test.X", 2)};
    set.reindex();
    CHECK(where(set.lookup_policy("x:P")) == std::vector<std::string>{"x.admx:1"});
    CHECK(where(set.lookup_policy("x:x:P")) == std::vector<std::string>{"x.admx:1"});
    CHECK(where(set.lookup_policy("Test.X:P")) == std::vector<std::string>{"x.admx:2"});
}
