// `comredir-policy gp list`: the administrative-template policies a Registry.pol (or a
// whole GPO) sets, in GPMC's terms, and the values no loaded policy explains.
#include <algorithm>
#include <comredir/policy/gp_states.hpp>
#include <comredir/policy/gpo.hpp>
#include <comredir/policy/pol.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "admx_sources.hpp"
#include "gp_commands.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

constexpr const char* kListFooter =
    R"(prints the administrative-template policies a Registry.pol sets Enabled or
Disabled, as GPMC's settings report shows them (display name, state, category
path, element values), and then the values no loaded policy explains (GPMC's
"Extra Registry Settings"). A policy is listed only when the file's values match
one of its states exactly; anything else is an extra setting.

--pol reads one file: as a Machine pol (HKLM: Machine and Both policies), or
with --user as a User pol (HKCU: User and Both policies). --gpo reads a GPO
folder (GPMC backup, SYSVOL {GUID} folder, Samba gpo cache, local GPO; a folder
holding several GPOs lists each): its Machine pol as Computer Configuration and
its User pol as User Configuration.

--json prints an array, one object per policy:
  {"policy": "TS_CLIENT_COM", "display_name": "Do not allow COM port redirection",
   "class": "Machine", "state": "enabled" | "disabled",
   "category": "Windows Components/Remote Desktop Services/...",
   "elements": {"<element id>": "<value text>"},   (empty when disabled)
   "scope": "computer" | "user", "file": "<the Registry.pol>",
   "gpo": "<display name>", "gpo_guid": "{...}"}   (gpo fields with --gpo only)
--extra prints only the extra registry settings (with --json an array of
{"scope", "file", "offset", "key", "value", "type", "data"}).

)";

constexpr const char* kListExamples = R"(

exit codes: 0 printed; 3 a pol, GPO folder, ADMX folder or config is unreadable
or malformed (the message names the file and byte offset). A broken file in the
ADMX folder is a warning: the rest still load.

examples:
  comredir-policy gp list --pol registry.pol --admx PolicyDefinitions
  comredir-policy gp list --gpo '\\contoso.com\SYSVOL\contoso.com\Policies\{GUID}' --json
  comredir-policy gp list --gpo backups/ --admx PolicyDefinitions --extra)";

struct ListOptions {
    std::string pol;
    std::string gpo;
    AdmxSourceOptions admx;
    bool user = false;
    bool extra_only = false;
    bool json = false;
};

/// One Registry.pol read as one scope.
struct ScopeStates {
    std::string scope;  ///< `computer` / `user`
    std::string file;
    const pol::Gpo* gpo = nullptr;
    pol::PolicyStates states;
};

nlohmann::json policy_json(const ScopeStates& s, const pol::PolicyState& p) {
    nlohmann::json elements = nlohmann::json::object();
    for (const auto& [id, text] : p.elements) elements[id] = text;
    nlohmann::json j = {{"policy", p.policy},
                        {"display_name", p.display_name},
                        {"class", std::string(pol::to_string(p.cls))},
                        {"state", std::string(pol::to_string(p.state))},
                        {"category", p.category},
                        {"elements", std::move(elements)},
                        {"scope", s.scope},
                        {"file", s.file}};
    if (s.gpo != nullptr) {
        j["gpo"] = s.gpo->name;
        j["gpo_guid"] = s.gpo->guid;
    }
    return j;
}

nlohmann::json extra_json(const ScopeStates& s, const pol::ExtraSetting& e) {
    nlohmann::json j = {{"scope", s.scope},   {"file", s.file},
                        {"offset", e.offset}, {"key", e.key},
                        {"value", e.value},   {"type", pol::reg_type_name(e.type)},
                        {"data", e.data}};
    if (s.gpo != nullptr) {
        j["gpo"] = s.gpo->name;
        j["gpo_guid"] = s.gpo->guid;
    }
    return j;
}

std::string pad(const std::string& s, std::size_t w) {
    return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
}

void print_policies(const pol::PolicyStates& st, const std::string& indent) {
    std::size_t wname = 6;
    for (const auto& p : st.policies) wname = std::max(wname, p.display_name.size());
    std::cout << indent << pad("policy", wname) << "  " << pad("state", 8) << "  category\n";
    for (const auto& p : st.policies) {
        std::cout << indent << pad(p.display_name, wname) << "  "
                  << pad(std::string(pol::to_string(p.state)), 8) << "  " << p.category << '\n';
        for (const auto& [id, text] : p.elements) {
            std::cout << indent << "    " << id << ": " << text << '\n';
        }
    }
    std::cout << indent << st.policies.size()
              << (st.policies.size() == 1 ? " policy\n" : " policies\n");
}

void print_extra(const pol::PolicyStates& st, const std::string& indent) {
    if (st.extra.empty()) return;
    std::cout << indent << "extra registry settings:\n";
    for (const auto& e : st.extra) {
        std::cout << indent << "  " << e.key << '\\' << e.value << "  "
                  << pol::reg_type_name(e.type) << "  " << e.data << '\n';
    }
}

void print_text(const std::vector<ScopeStates>& all, const ListOptions& opt) {
    const pol::Gpo* current = nullptr;
    bool first = true;
    for (const auto& s : all) {
        if (!first) std::cout << '\n';
        first = false;
        std::string indent;
        if (s.gpo != nullptr) {
            if (s.gpo != current) {
                current = s.gpo;
                std::cout << "GPO `" << s.gpo->name << "`"
                          << (s.gpo->guid.empty() ? "" : " " + s.gpo->guid) << "  (" << s.gpo->path
                          << ")\n";
            }
            indent = "  ";
        }
        std::cout << indent
                  << (s.scope == "computer" ? "Computer Configuration" : "User Configuration")
                  << " (" << s.file << ")\n";
        if (!opt.extra_only) print_policies(s.states, indent);
        if (!opt.extra_only && !s.states.extra.empty()) std::cout << '\n';
        print_extra(s.states, indent);
        if (opt.extra_only && s.states.extra.empty()) {
            std::cout << indent << "no extra registry settings\n";
        }
    }
}

/// Reads `file` and maps it; false (error printed) when unreadable.
bool read_scope(const pol::AdmxSet& set, ScopeStates& s) {
    auto r = pol::read_pol(s.file);
    if (!r.ok()) {
        print_error(r.message);
        return false;
    }
    for (const auto& w : r.file.warnings) print_error("warning: " + w);
    s.states = pol::policy_states(set, r.file, s.scope == "user" ? "HKCU" : "HKLM");
    return true;
}

int run_list(const ListOptions& opt) {
    auto loaded = load_admx_sources(opt.admx);
    if (!loaded) return exit_input;
    const auto& set = loaded->result.set;
    std::vector<ScopeStates> all;
    pol::GpoResult gpos;
    if (!opt.pol.empty()) {
        all.push_back(ScopeStates{opt.user ? "user" : "computer", opt.pol, nullptr, {}});
    } else {
        gpos = pol::find_gpos(opt.gpo);
        if (!gpos.ok()) {
            print_error(gpos.message);
            return exit_input;
        }
        for (const auto& g : gpos.gpos) {
            for (const auto& w : g.warnings) print_error("warning: " + w);
            if (!g.machine_pol.empty())
                all.push_back(ScopeStates{"computer", g.machine_pol, &g, {}});
            if (!g.user_pol.empty()) all.push_back(ScopeStates{"user", g.user_pol, &g, {}});
        }
    }
    for (auto& s : all) {
        if (!read_scope(set, s)) return exit_input;
    }
    if (opt.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& s : all) {
            if (opt.extra_only) {
                for (const auto& e : s.states.extra) out.push_back(extra_json(s, e));
            } else {
                for (const auto& p : s.states.policies) out.push_back(policy_json(s, p));
            }
        }
        std::cout << out.dump(2) << '\n';
    } else if (all.empty()) {
        std::cout << "no Registry.pol in `" << opt.gpo << "`\n";
    } else {
        print_text(all, opt);
    }
    return exit_ok;
}

}  // namespace

Command add_gp_list(CLI::App& gp) {
    auto opt = std::make_shared<ListOptions>();
    auto* app = gp.add_subcommand(
        "list", "list the policies a Registry.pol or GPO sets Enabled / Disabled (GPMC's view)");
    app->footer(std::string(kListFooter) + kAdmxSourcesHelp + kListExamples);
    auto* pol_opt =
        app->add_option("--pol", opt->pol, "Registry.pol file to read")->type_name("FILE");
    auto* gpo_opt = app->add_option("--gpo", opt->gpo,
                                    "GPO folder (or a folder of GPOs): reads its Machine and "
                                    "User Registry.pol")
                        ->type_name("DIR");
    pol_opt->excludes(gpo_opt);
    add_admx_source_options(*app, opt->admx);
    app->add_flag("--user", opt->user,
                  "with --pol: read a User pol (HKCU) instead of a Machine pol")
        ->needs(pol_opt);
    app->add_flag("--extra", opt->extra_only,
                  "print only the extra registry settings (values no loaded policy explains)");
    app->add_flag("--json", opt->json, "print JSON instead of a table");
    app->callback([pol_opt, gpo_opt] {
        if (pol_opt->count() == 0 && gpo_opt->count() == 0) {
            throw CLI::RequiredError("one of --pol FILE or --gpo DIR");
        }
    });
    return Command{app, [opt] { return run_list(*opt); }};
}

}  // namespace comredir::cli
