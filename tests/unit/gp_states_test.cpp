// Policy states (gp_states.hpp) from real GPOs, compared with GPMC's gpreport.xml, and from
// Registry.pol files built on the TerminalServer ADMX. Every value form and element kind, on
// a synthetic ADMX: gp_states_table_test.cpp.
#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/gpo.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <cstddef>
#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pol_builder.hpp"
#include "test_util.hpp"

namespace cp = comredir::policy;
using namespace comredir::test::pol;

namespace {

const cp::AdmxSet& admx() {
    static const cp::AdmxLoadResult r = cp::load_admx_folder(comredir::test::shared_data("admx"));
    return r.set;
}

constexpr const char* kTs = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";

// --- gpreport.xml ----------------------------------------------------------------------

std::string_view local_name(const pugi::xml_node& n) {
    std::string_view name = n.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_local(const pugi::xml_node& n, std::string_view name) {
    for (auto c : n.children())
        if (local_name(c) == name) return c;
    return {};
}

/// Display name -> `Enabled` / `Disabled` of every `Policy` below `section`.
std::multimap<std::string, std::string> report_policies(const pugi::xml_node& section) {
    std::multimap<std::string, std::string> out;
    std::vector<pugi::xml_node> stack{section};
    while (!stack.empty()) {
        const auto n = stack.back();
        stack.pop_back();
        for (auto c : n.children()) {
            if (c.type() != pugi::node_element) continue;
            if (local_name(c) == "Policy") {
                out.emplace(child_local(c, "Name").text().get(),
                            child_local(c, "State").text().get());
                continue;
            }
            stack.push_back(c);
        }
    }
    return out;
}

/// Display names of the loaded policies that a pol of `hive` can set.
std::set<std::string> admx_names(std::string_view hive) {
    std::set<std::string> out;
    for (const auto& p : admx().policies) {
        const bool fits =
            p.cls == cp::AdmxClass::both ||
            (hive == "HKLM" ? p.cls == cp::AdmxClass::machine : p.cls == cp::AdmxClass::user);
        if (fits) out.insert(p.display_name);
    }
    return out;
}

/// Compares one section of the report with our states; returns how many policies compared.
std::size_t compare_section(const pugi::xml_node& section, const std::string& pol_path,
                            std::string_view hive, const std::string& where) {
    cp::PolFile file;
    if (!pol_path.empty()) {
        auto r = cp::read_pol(pol_path);
        REQUIRE_MESSAGE(r.ok(), r.message);
        file = std::move(r.file);
    }
    const auto ours = cp::policy_states(admx(), file, hive);
    std::map<std::string, std::string> our_state;
    for (const auto& s : ours.policies)
        our_state[s.display_name] = s.state == cp::GpState::enabled ? "Enabled" : "Disabled";

    const auto names = admx_names(hive);
    const auto report = report_policies(section);
    std::size_t compared = 0;
    std::set<std::string> reported;
    for (const auto& entry : report) {
        const std::string& name = entry.first;  // not a structured binding: INFO captures it
        const std::string& state = entry.second;
        if (names.count(name) == 0) continue;
        ++compared;
        reported.insert(name);
        INFO(where, " ", hive, ": ", name);
        const auto it = our_state.find(name);
        REQUIRE_MESSAGE(it != our_state.end(), "GPMC reports it, we do not");
        CHECK(it->second == state);
    }
    for (const auto& s : ours.policies) {
        INFO(where, " ", hive, ": ", s.display_name);
        CHECK_MESSAGE(reported.count(s.display_name) == 1, "we report it, GPMC does not");
    }
    return compared;
}

void compare_gpos(const std::string& rel) {
    const auto found = cp::find_gpos(comredir::test::shared_data(rel));
    REQUIRE_MESSAGE(found.ok(), found.message);
    REQUIRE_FALSE(found.gpos.empty());
    for (const auto& gpo : found.gpos) {
        const auto report_path = std::filesystem::path(gpo.path) / "gpreport.xml";
        REQUIRE(std::filesystem::exists(report_path));
        pugi::xml_document doc;
        const auto parsed = doc.load_file(report_path.c_str());
        REQUIRE_MESSAGE(parsed, parsed.description());
        const auto root = doc.document_element();
        const auto machine = child_local(root, "Computer");
        const auto user = child_local(root, "User");
        REQUIRE(machine);
        REQUIRE(user);
        const std::string where = rel + " " + gpo.name;
        const auto m = compare_section(machine, gpo.machine_pol, "HKLM", where);
        const auto u = compare_section(user, gpo.user_pol, "HKCU", where);
        MESSAGE(where, ": compared ", m, " machine and ", u, " user policies with gpreport.xml");
    }
}

const cp::PolicyState* find(const cp::PolicyStates& st, std::string_view name) {
    for (const auto& s : st.policies)
        if (s.policy == name) return &s;
    return nullptr;
}

}  // namespace

TEST_CASE("the shared ADMX folder loads") {
    const auto& set = admx();
    REQUIRE_FALSE(set.policies.empty());
    REQUIRE(set.find_policy("TS_SMART_CARD") != nullptr);
}

TEST_CASE("policy states match GPMC's gpreport.xml: t0x01") {
    compare_gpos("gpo/t0x01");
}

TEST_CASE("policy states match GPMC's gpreport.xml: msft-win11-24h2-baseline") {
    compare_gpos("gpo/msft-win11-24h2-baseline");
}

TEST_CASE("policy states from built files") {
    struct Case {
        const char* name;
        std::vector<Rec> recs;
        const char* policy;  ///< expected policy, or null: none of the TS policies
        cp::GpState state;
        std::vector<std::pair<std::string, std::string>> elements;
        std::size_t extra;
    };
    const std::string ts = kTs;
    const std::string lower_ts = "software\\policies\\microsoft\\windows nt\\terminal services";
    const std::vector<Case> cases = {
        {"enabled decimal",
         {dword(ts, "fDisableCcm", 1)},
         "TS_CLIENT_COM",
         cp::GpState::enabled,
         {},
         0},
        {"disabled decimal",
         {dword(ts, "fDisableCcm", 0)},
         "TS_CLIENT_COM",
         cp::GpState::disabled,
         {},
         0},
        {"case-insensitive names",
         {dword(lower_ts, "FDISABLECCM", 1)},
         "TS_CLIENT_COM",
         cp::GpState::enabled,
         {},
         0},
        {"inverted: fEnableSmartCard=0 is Enabled",
         {dword(ts, "fEnableSmartCard", 0)},
         "TS_SMART_CARD",
         cp::GpState::enabled,
         {},
         0},
        {"inverted: fEnableSmartCard=1 is Disabled",
         {dword(ts, "fEnableSmartCard", 1)},
         "TS_SMART_CARD",
         cp::GpState::disabled,
         {},
         0},
        {"inverted: fDisableCam=0 is Enabled (allow audio playback)",
         {dword(ts, "fDisableCam", 0)},
         "TS_CLIENT_AUDIO",
         cp::GpState::enabled,
         {},
         0},
        {"inverted: fDisableCam=1 is Disabled",
         {dword(ts, "fDisableCam", 1)},
         "TS_CLIENT_AUDIO",
         cp::GpState::disabled,
         {},
         0},
        {"enabledList: fDenyTSConnections=0 is Enabled (allow connections)",
         {dword(ts, "fDenyTSConnections", 0)},
         "TS_DISABLE_CONNECTIONS",
         cp::GpState::enabled,
         {},
         0},
        {"disabledList: fDenyTSConnections=1 is Disabled",
         {dword(ts, "fDenyTSConnections", 1)},
         "TS_DISABLE_CONNECTIONS",
         cp::GpState::disabled,
         {},
         0},
        {"**del. of a 1/0 value is no state: extra",
         {del(ts, "fDisableCcm")},
         nullptr,
         cp::GpState::enabled,
         {},
         1},
        {"**del. of the only element is Disabled",
         {sz(ts, "**del.SecurityLayer", " ")},
         "TS_SECURITY_LAYER_POLICY",
         cp::GpState::disabled,
         {},
         0},
        {"enum element",
         {dword(ts, "SecurityLayer", 2)},
         "TS_SECURITY_LAYER_POLICY",
         cp::GpState::enabled,
         {{"TS_SECURITY_LAYER", "SSL"}},
         0},
        {"enum value with no item: no state, extra",
         {dword(ts, "SecurityLayer", 7)},
         nullptr,
         cp::GpState::enabled,
         {},
         1},
        {"value matching neither state: extra",
         {dword(ts, "fDisableCcm", 5)},
         nullptr,
         cp::GpState::enabled,
         {},
         1},
        {"unknown value: extra",
         {dword(ts, "NoSuchValue", 1)},
         nullptr,
         cp::GpState::enabled,
         {},
         1},
        {"later entry wins",
         {dword(ts, "fDisableCcm", 0), dword(ts, "fDisableCcm", 1)},
         "TS_CLIENT_COM",
         cp::GpState::enabled,
         {},
         0},
    };
    for (const auto& c : cases) {
        INFO(std::string(c.name));
        const auto st = cp::policy_states(admx(), build(c.recs), "HKLM");
        CHECK(st.extra.size() == c.extra);
        if (c.policy == nullptr) {
            CHECK(st.policies.empty());
            continue;
        }
        REQUIRE(st.policies.size() == 1);
        const auto* p = find(st, c.policy);
        REQUIRE(p != nullptr);
        CHECK(p->state == c.state);
        CHECK(p->elements == c.elements);
        CHECK(p->cls == cp::AdmxClass::machine);
        CHECK_FALSE(p->category.empty());
    }
}

TEST_CASE("a machine policy is not read from a user pol") {
    const auto st = cp::policy_states(admx(), build({dword(kTs, "fDisableCcm", 1)}), "HKCU");
    CHECK(st.policies.empty());
    REQUIRE(st.extra.size() == 1);
    CHECK(st.extra[0].value == "fDisableCcm");
    CHECK(st.extra[0].data == "1");
}
