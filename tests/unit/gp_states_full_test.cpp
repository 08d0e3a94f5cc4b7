// Policy states on Microsoft's full template set (../shared/data/admx-full): the rules GPMC's
// reports show, from the real definitions, and gp_write -> gp_states round trips for every
// policy of the set.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/gp_write.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/pol_write.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "pol_builder.hpp"
#include "test_util.hpp"

namespace cp = comredir::policy;
using comredir::test::pol::build;

namespace {

const cp::AdmxSet& full() {
    static const cp::AdmxLoadResult r =
        cp::load_admx_folder(comredir::test::shared_data("admx-full/PolicyDefinitions"));
    return r.set;
}

/// The one policy of that name in `file` (the full set repeats some names across files).
const cp::AdmxPolicy& policy(const std::string& file, const std::string& name) {
    for (const auto& p : full().policies)
        if (p.name == name && p.source.file == file) return p;
    FAIL("no policy " << file << ":" << name);
    throw;
}

std::string hive_of(const cp::AdmxPolicy& p) {
    return p.cls == cp::AdmxClass::user ? "HKCU" : "HKLM";
}

/// `state` or `state: id=value, ...` for `p` in `file`, or `-` when it has no state.
std::string state_of(const cp::AdmxPolicy& p, const cp::PolFile& file) {
    const auto states = cp::policy_states(full(), file, hive_of(p));
    for (const auto& s : states.policies) {
        if (s.definition != &p) continue;
        std::string out(cp::to_string(s.state));
        std::string sep = ": ";
        for (const auto& [id, v] : s.elements) {
            out += sep + id + "=" + v;
            sep = ", ";
        }
        return out;
    }
    return "-";
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool iequals(const std::string& a, const std::string& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

cp::PolRecord dword(const std::string& key, const std::string& name, std::uint32_t v) {
    return cp::PolRecord{key, name, 4, cp::pol_dword(v)};
}

}  // namespace

TEST_CASE("the full set loads its 240 files") {
    CHECK(full().files.size() == 240);
}

// GPMC reports (gpreport.xml of the corpus GPOs {5DF36860-...}, {05631C5A-...}, {2199EA28-...},
// {DCA57428-...}) for policies whose own value is also an element's value, and for policies
// that give neither enabledValue nor disabledValue.
TEST_CASE("a policy whose own value is also an element's value") {
    struct Row {
        const char* file;
        const char* name;
        std::optional<std::uint32_t> value;  ///< nullopt: `**del.` of the value
        const char* expected;
    };
    const Row rows[] = {
        // GPMC: Enabled, Choose one of the following actions: Disabled.
        {"WindowsInkWorkspace.admx", "AllowWindowsInkWorkspace", 0,
         "enabled: AllowWindowsInkWorkspaceDropdown=Disabled"},
        // GPMC: Enabled (REG_DWORD 1 is also what Enabled writes first).
        {"WindowsInkWorkspace.admx", "AllowWindowsInkWorkspace", 1,
         "enabled: AllowWindowsInkWorkspaceDropdown=On, but disallow access above lock"},
        {"WindowsInkWorkspace.admx", "AllowWindowsInkWorkspace", 2,
         "enabled: AllowWindowsInkWorkspaceDropdown=On"},
        // No item takes 7, and 7 is neither state of the policy's own value.
        {"WindowsInkWorkspace.admx", "AllowWindowsInkWorkspace", 7, "-"},
        {"WindowsInkWorkspace.admx", "AllowWindowsInkWorkspace", std::nullopt, "disabled"},
        // GPMC: Enabled, Always.
        {"WirelessDisplay.admx", "RequirePinForPairing", 2,
         "enabled: RequirePinForPairingDropdown=Always"},
        // GPMC: Enabled, Disabled (Join Microsoft MAPS); **del. is Disabled.
        {"WindowsDefender.admx", "SpynetReporting", 0, "enabled: SpynetReporting=Disabled"},
        {"WindowsDefender.admx", "SpynetReporting", std::nullopt, "disabled"},
        // GPMC: Enabled, Good, unknown and bad but critical.
        {"EarlyLaunchAM.admx", "POL_DriverLoadPolicy_Name", 3,
         "enabled: SelectDriverLoadPolicy=Good, unknown and bad but critical"},
        // No item takes 0: REG_DWORD 0 of a policy without values reads as Disabled.
        {"EarlyLaunchAM.admx", "POL_DriverLoadPolicy_Name", 0, "disabled"},
        // A decimal element takes any number: GPMC reports 7 days as Enabled.
        {"WindowsDefender.admx", "SignatureUpdate_ASSignatureDue", 7,
         "enabled: SignatureUpdate_ASSignatureDue=7"},
        {"WindowsDefender.admx", "SignatureUpdate_ASSignatureDue", 0,
         "enabled: SignatureUpdate_ASSignatureDue=0"},
        // Day 0 is the item `Every Day` (GPMC, {05631C5A-...}: Enabled).
        {"WindowsDefender.admx", "Scan_ScheduleDay", 0, "enabled: Scan_ScheduleDay=Every Day"},
        // Neither value given, no elements: 1 Enabled, **del. Disabled (GPMC: Turn off
        // background refresh of Group Policy, Disabled), 0 Disabled (unverified).
        {"GroupPolicy.admx", "DisableBackgroundPolicy", 1, "enabled"},
        {"GroupPolicy.admx", "DisableBackgroundPolicy", std::nullopt, "disabled"},
        {"GroupPolicy.admx", "DisableBackgroundPolicy", 0, "disabled"},
    };
    for (const auto& row : rows) {
        const auto& p = policy(row.file, row.name);
        CAPTURE(row.name);
        CAPTURE(row.value.value_or(9999));
        const cp::PolRecord r = row.value ? dword(p.key, p.value_name, *row.value)
                                          : cp::pol_delete_value(p.key, p.value_name);
        CHECK(state_of(p, build({r})) == row.expected);
    }
}

TEST_CASE("gp_write: one record for a value the policy and its element both write") {
    const auto& p = policy("EarlyLaunchAM.admx", "POL_DriverLoadPolicy_Name");
    const auto on = cp::policy_records(p, cp::GpTarget::enabled, {{"SelectDriverLoadPolicy", "3"}});
    REQUIRE(on.ok);
    REQUIRE(on.records.size() == 1);
    CHECK(on.records[0] == dword(p.key, "DriverLoadPolicy", 3));
    const auto off = cp::policy_records(p, cp::GpTarget::disabled, {});
    REQUIRE(off.ok);
    REQUIRE(off.records.size() == 1);
    CHECK(off.records[0] == cp::pol_delete_value(p.key, "DriverLoadPolicy"));
    CHECK(state_of(p, build(off.records)) == "disabled");
}

TEST_CASE("gp_write: optional multiText elements left out are empty, 2 bytes") {
    const auto& p = policy("AppPrivacy.admx", "LetAppsAccessTasks");
    const auto on =
        cp::policy_records(p, cp::GpTarget::enabled, {{"LetAppsAccessTasks_Enum", "Force Deny"}});
    REQUIRE_MESSAGE(on.ok, on.message);
    REQUIRE(on.records.size() == 4);
    CHECK(on.records[0] == dword(p.key, "LetAppsAccessTasks", 2));
    for (std::size_t i = 1; i < 4; ++i) {
        CHECK(on.records[i].type == 7);
        CHECK(on.records[i].data == std::vector<std::uint8_t>{0, 0});
    }
    CHECK(state_of(p, build(on.records)) ==
          "enabled: LetAppsAccessTasks_Enum=Force Deny, "
          "LetAppsAccessTasks_UserInControlOfTheseApps_List=, "
          "LetAppsAccessTasks_ForceAllowTheseApps_List=, "
          "LetAppsAccessTasks_ForceDenyTheseApps_List=");
    // One empty line given is the same empty box.
    const auto empty = cp::policy_records(p, cp::GpTarget::enabled,
                                          {{"LetAppsAccessTasks_Enum", "Force Deny"},
                                           {"LetAppsAccessTasks_ForceDenyTheseApps_List", ""}});
    REQUIRE(empty.ok);
    CHECK(empty.records == on.records);
}

namespace {

/// A value each element takes, as `gp set --element` would give it; nullopt when the test
/// cannot make one up (the policy is then only disabled).
std::optional<cp::ElementValues> sample_values(const cp::AdmxPolicy& p) {
    cp::ElementValues v;
    for (const auto& e : p.elements) {
        switch (e.kind) {
            case cp::AdmxElementKind::boolean:
                v.emplace_back(e.id, "true");
                break;
            case cp::AdmxElementKind::decimal:
            case cp::AdmxElementKind::long_decimal:
                v.emplace_back(e.id, std::to_string(e.max_value));
                break;
            case cp::AdmxElementKind::text:
                v.emplace_back(e.id, "t");
                break;
            case cp::AdmxElementKind::multi_text:
                v.emplace_back(e.id, "m1");
                v.emplace_back(e.id, "m2");
                break;
            case cp::AdmxElementKind::enumeration:
                if (e.items.empty()) return std::nullopt;
                v.emplace_back(e.id, e.items.back().display_name);
                break;
            case cp::AdmxElementKind::list:
                v.emplace_back(e.id, e.explicit_value ? "n1=d1" : "d1");
                break;
        }
    }
    return v;
}

}  // namespace

// Every policy of Microsoft's set, alone in a file: Enabled (with a value for each element)
// and Disabled read back as the state written, as the policy itself or as the twin GPMC
// shows in its place (another policy that writes exactly the same entries). The exceptions
// are definitions where Enabled with the sampled item writes what Disabled writes (an enum
// item with the disabledValue's value): GPMC shows such a file Disabled, and so does gp list;
// and policies with only an enabledList, whose Disabled writes nothing at all.
TEST_CASE("every policy of the full set: gp_write then gp_states gives the state back") {
    std::vector<std::string> failures;
    std::set<std::string> same_as_disabled;
    std::set<std::string> disabled_writes_nothing;
    std::size_t twins = 0;
    std::size_t enabled = 0;
    std::size_t disabled = 0;
    for (const auto& p : full().policies) {
        const std::string where = p.source.file + ":" + p.name;
        for (const auto target : {cp::GpTarget::enabled, cp::GpTarget::disabled}) {
            cp::ElementValues values;
            if (target == cp::GpTarget::enabled) {
                auto s = sample_values(p);
                if (!s) continue;
                values = std::move(*s);
            }
            const auto rec = cp::policy_records(p, target, values);
            if (!rec.ok) {
                failures.push_back(where + ": " + rec.message);
                continue;
            }
            const auto own = cp::policy_state(full(), p, build(rec.records), hive_of(p));
            const auto want =
                target == cp::GpTarget::enabled ? cp::GpState::enabled : cp::GpState::disabled;
            if (own.state && own.state->state == want) {
                twins += own.shown_as != nullptr ? 1 : 0;
                (target == cp::GpTarget::enabled ? enabled : disabled)++;
                continue;
            }
            const auto off = cp::policy_records(p, cp::GpTarget::disabled, {});
            if (target == cp::GpTarget::enabled && off.records == rec.records && own.state &&
                own.state->state == cp::GpState::disabled) {
                same_as_disabled.insert(where);
                continue;
            }
            if (target == cp::GpTarget::disabled && rec.records.empty() && !own.state) {
                disabled_writes_nothing.insert(where);
                continue;
            }
            failures.push_back(where + ": " + std::string(cp::to_string(target)) +
                               " reads back as " +
                               (own.state ? std::string(cp::to_string(own.state->state)) : "-"));
        }
    }
    std::string all;
    for (const auto& f : failures) all += "\n  " + f;
    CHECK_MESSAGE(failures.empty(), failures.size() << " policies:" << all);
    const auto joined = [](const std::set<std::string>& names) {
        std::string out;
        for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
        return out;
    };
    // An enum item with the disabledValue's value: Enabled with it is Disabled's file.
    CHECK(joined(same_as_disabled) ==
          "DataCollection.admx:ConfigureTelemetryOptInChangeNotification "
          "DataCollection.admx:ConfigureTelemetryOptInSettingsUx "
          "DataCollection.admx:LimitEnhancedDiagnosticDataWindowsAnalytics");
    // Only an enabledList: Disabled writes no value, so it is Not configured's file.
    CHECK(joined(disabled_writes_nothing) == "inetres.admx:RestrictConnectionSettings_2");
    CHECK(twins > 0);
    CHECK(enabled > 3000);
    CHECK(disabled > 3000);
}

namespace {

/// The --element values that give back what gp_states shows for an Enabled policy.
cp::ElementValues values_of(const cp::PolicyState& s) {
    cp::ElementValues out;
    for (const auto& [id, text] : s.elements) {
        const cp::AdmxElement* el = nullptr;
        for (const auto& e : s.definition->elements)
            if (e.id == id) el = &e;
        const bool many = el != nullptr && (el->kind == cp::AdmxElementKind::list ||
                                            el->kind == cp::AdmxElementKind::multi_text);
        if (!many || text.empty()) {
            out.emplace_back(id, text);
            continue;
        }
        for (std::size_t at = 0;;) {
            const auto next = text.find("; ", at);
            out.emplace_back(id, text.substr(at, next - at));
            if (next == std::string::npos) break;
            at = next + 2;
        }
    }
    return out;
}

/// The same entries, but for the letter case of their keys (and, with `any_order`, their
/// order).
bool same_but_key_case(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b,
                       bool any_order) {
    const auto pa = cp::parse_pol(a);
    const auto pb = cp::parse_pol(b);
    if (!pa.ok() || !pb.ok() || pa.file.entries.size() != pb.file.entries.size()) return false;
    using Row = std::tuple<std::string, std::string, std::uint32_t, std::vector<std::uint8_t>>;
    const auto rows = [](const cp::PolFile& f) {
        std::vector<Row> out;
        for (const auto& e : f.entries) {
            out.emplace_back(lower(e.key), e.value, e.type, e.data);
        }
        return out;
    };
    auto ra = rows(pa.file);
    auto rb = rows(pb.file);
    if (any_order) {
        std::sort(ra.begin(), ra.end());
        std::sort(rb.begin(), rb.end());
    }
    return ra == rb;
}

/// `after` holds every entry of `before` (keys' letter case aside) and more.
bool only_adds(const std::vector<std::uint8_t>& after, const std::vector<std::uint8_t>& before) {
    const auto pa = cp::parse_pol(after);
    const auto pb = cp::parse_pol(before);
    if (!pa.ok() || !pb.ok()) return false;
    std::multiset<std::tuple<std::string, std::string, std::vector<std::uint8_t>>> rows;
    for (const auto& e : pa.file.entries) rows.emplace(lower(e.key), e.value, e.data);
    for (const auto& e : pb.file.entries) {
        const auto it = rows.find({lower(e.key), e.value, e.data});
        if (it == rows.end()) return false;
        rows.erase(it);
    }
    return !rows.empty();
}

std::vector<std::uint8_t> set_state(const std::vector<std::uint8_t>& bytes, const cp::AdmxPolicy& p,
                                    cp::GpTarget target, const cp::ElementValues& values,
                                    std::string& error) {
    const auto rec = cp::policy_records(p, target, values);
    if (!rec.ok) {
        error = rec.message;
        return bytes;
    }
    const auto parsed = cp::parse_pol(bytes);
    return cp::edit_pol(bytes, parsed.file, rec.slots, rec.records).bytes;
}

}  // namespace

// The corpus of GPMC backups: every policy gp_states reports is set to the other state and
// back (Enabled with the element values shown); the file must come back byte for byte, as
// the Group Policy editor's own files would.
TEST_CASE("corpus: every set-and-reset restores the Registry.pol byte for byte") {
    namespace fs = std::filesystem;
    const fs::path corpus = comredir::test::shared_data("gpo/corpus-simeononsecurity");
    std::vector<std::string> failures;
    std::size_t files = 0;
    std::size_t round_trips = 0;
    std::size_t key_case = 0;
    // Enabled as an older template wrote it, without values this template's Enabled writes
    // (elements GPMC shows "Not configured", checkboxes' newer lists): setting it Enabled
    // again adds them, as the editor's dialog would, and changes nothing else.
    std::set<std::string> partial;
    // Every entry of the policy removed by the other state comes back in the ADMX's order;
    // these backups hold them sorted by key (as LGPO-made files do), not as the editor writes.
    std::set<std::string> order_only;
    for (const auto& gpo : fs::directory_iterator(corpus)) {
        for (const char* cls : {"Machine", "User"}) {
            const fs::path dir = gpo.path() / "DomainSysvol" / "GPO" / cls;
            if (!fs::is_directory(dir)) continue;
            for (const auto& f : fs::directory_iterator(dir)) {
                if (!iequals(f.path().filename().string(), "registry.pol")) continue;
                ++files;
                const auto original = comredir::test::slurp(f.path().string());
                const auto parsed = cp::parse_pol(original);
                REQUIRE(parsed.ok());
                const std::string hive = std::string(cls) == "User" ? "HKCU" : "HKLM";
                const auto states = cp::policy_states(full(), parsed.file, hive);
                for (const auto& s : states.policies) {
                    const auto& p = *s.definition;
                    const std::string where =
                        f.path().string() + ": " + p.source.file + ":" + p.name;
                    const bool on = s.state == cp::GpState::enabled;
                    std::string error;
                    // Via the opposite state, so the entries are replaced in place.
                    const auto sample = sample_values(p);
                    auto other =
                        on       ? set_state(original, p, cp::GpTarget::disabled, {}, error)
                        : sample ? set_state(original, p, cp::GpTarget::enabled, *sample, error)
                                 : set_state(original, p, cp::GpTarget::not_configured, {}, error);
                    auto back =
                        set_state(other, p, on ? cp::GpTarget::enabled : cp::GpTarget::disabled,
                                  on ? values_of(s) : cp::ElementValues{}, error);
                    if (!error.empty()) {
                        failures.push_back(where + ": " + error);
                    } else if (back != original) {
                        // Entries the other state removed come back with the ADMX's spelling
                        // of their key (keys are case-insensitive), as the editor writes them.
                        if (same_but_key_case(back, original, false))
                            ++key_case;
                        else if (same_but_key_case(back, original, true))
                            order_only.insert(p.source.file + ":" + p.name);
                        else if (on && only_adds(back, original))
                            partial.insert(p.source.file + ":" + p.name);
                        else
                            failures.push_back(where + ": the file changed");
                    }
                    ++round_trips;
                }
            }
        }
    }
    std::string all;
    for (const auto& f : failures) all += "\n  " + f;
    CHECK_MESSAGE(failures.empty(), failures.size() << " round trips:" << all);
    std::string partial_names;
    for (const auto& n : partial) partial_names += (partial_names.empty() ? "" : " ") + n;
    CHECK(partial_names ==
          "DeviceGuard.admx:VirtualizationBasedSecurity WindowsFirewall.admx:WF_Logging_Name_1 "
          "access16.admx:L_VBAWarningsPolicy excel16.admx:L_VBAWarningsPolicy "
          "office16.admx:L_Bindtoobject ppt16.admx:L_VBAWarningsPolicy "
          "pub16.admx:L_VBAWarningsPolicy "
          "visio16.admx:L_VBAWarningsPolicy word16.admx:L_VBAWarningsPolicy");
    CHECK(key_case == 3);
    std::string order_names;
    for (const auto& n : order_only) order_names += (order_names.empty() ? "" : " ") + n;
    CHECK(order_names ==
          "SecGuide.admx:Pol_SecGuide_A001_Block_Flash office16.admx:L_Bindtoobject");
    CHECK(files == 64);
    CHECK(round_trips > 900);
}
