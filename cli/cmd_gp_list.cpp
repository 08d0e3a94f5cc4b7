// `comredir-policy gp list`: the administrative-template policies a Registry.pol (or a
// whole GPO) sets, in GPMC's terms, and the values no loaded policy explains.
#include <algorithm>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/gpo.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "admx_sources.hpp"
#include "gp_commands.hpp"
#include "pol_scope.hpp"
#include "policy_name.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

constexpr const char* kListFooter =
    R"(prints the administrative-template policies a Registry.pol sets Enabled or
Disabled, as GPMC's settings report shows them (display name, state, category
path, element values), and then the values no loaded policy explains (GPMC's
"Extra Registry Settings"). A policy is listed only when the file's values match
one of its states exactly; anything else is an extra setting.

--pol reads one file as Computer Configuration (a Machine pol, HKLM: Machine
and Both policies) or as User Configuration (a User pol, HKCU: User and Both
policies): --machine or --user says which; without them the name of the folder
holding the file decides (`Machine` or `User`, any case, as in a GPO, a GPMC
backup or Samba's gpo cache), else Computer Configuration. A note on stderr says
which was used and why. A warning says when the file's entries fit the other
half far better: when read as the other half, more than twice as many of its
entries (and at least one) match a policy. --gpo reads a GPO folder (GPMC
backup, SYSVOL {GUID} folder, Samba gpo cache, local GPO; a folder holding
several GPOs lists each): its Machine pol as Computer Configuration and its
User pol as User Configuration.

A policy name that several loaded ADMX files define (Office's
L_VBAWarningsPolicy) shows qualified by its file, `excel16:L_VBAWarningsPolicy`,
the form `gp set` and `admx show` take.

--json prints an array, one object per policy:
  {"policy": "TS_CLIENT_COM", "display_name": "Do not allow COM port redirection",
   "class": "Machine", "state": "enabled" | "disabled",
   "category": "Windows Components/Remote Desktop Services/...",
   "elements": {"<element id>": "<value text>"},   (empty when disabled)
   "namespace": "Microsoft.Policies.TerminalServer", "admx": "TerminalServer.admx",
   "scope": "computer" | "user", "scope_from": "option" | "path" | "default" | "gpo",
   "file": "<the Registry.pol>",
   "gpo": "<display name>", "gpo_guid": "{...}"}   (gpo fields with --gpo only)
--extra prints only the extra registry settings (with --json an array of
{"scope", "scope_from", "file", "offset", "key", "value", "type", "data"}).

)";

constexpr const char* kListExamples = R"(

exit codes: 0 printed; 3 a pol, GPO folder, ADMX folder or config is unreadable
or malformed (the message names the file and byte offset). A broken file in the
ADMX folder is a warning: the rest still load.

examples:
  comredir-policy gp list --pol registry.pol --admx PolicyDefinitions
  comredir-policy gp list --pol 'Policies/{GUID}/User/Registry.pol' --admx PolicyDefinitions
  comredir-policy gp list --gpo '\\contoso.com\SYSVOL\contoso.com\Policies\{GUID}' --json
  comredir-policy gp list --gpo backups/ --admx PolicyDefinitions --extra)";

struct ListOptions {
    std::string pol;
    std::string gpo;
    AdmxSourceOptions admx;
    bool user = false;
    bool machine = false;
    bool extra_only = false;
    bool json = false;
};

/// One Registry.pol read as one scope.
struct ScopeStates {
    std::string scope;       ///< `computer` / `user`
    std::string scope_from;  ///< `option` / `path` / `default` (--pol), `gpo`
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
                        {"namespace", p.definition != nullptr ? p.definition->ns : ""},
                        {"admx", p.definition != nullptr ? p.definition->source.file : ""},
                        {"scope", s.scope},
                        {"scope_from", s.scope_from},
                        {"file", s.file}};
    if (s.gpo != nullptr) {
        j["gpo"] = s.gpo->name;
        j["gpo_guid"] = s.gpo->guid;
    }
    return j;
}

nlohmann::json extra_json(const ScopeStates& s, const pol::ExtraSetting& e) {
    nlohmann::json j = {{"scope", s.scope},
                        {"scope_from", s.scope_from},
                        {"file", s.file},
                        {"offset", e.offset},
                        {"key", e.key},
                        {"value", e.value},
                        {"type", pol::reg_type_name(e.type)},
                        {"data", e.data}};
    if (s.gpo != nullptr) {
        j["gpo"] = s.gpo->name;
        j["gpo_guid"] = s.gpo->guid;
    }
    return j;
}

/// The display name, and the qualified ADMX name when other loaded files define the name.
std::string policy_text(const pol::AdmxSet& set, const pol::PolicyState& p) {
    if (p.definition == nullptr || set.policies_named(p.policy) < 2) return p.display_name;
    return p.display_name + " (" + shown_name(set, *p.definition) + ")";
}

void print_policies(const pol::AdmxSet& set, const pol::PolicyStates& st,
                    const std::string& indent) {
    Table t({"policy", "state", "category"});
    // On a terminal, long display names (and then category paths) are cut to its width.
    t.fit(terminal_columns(), {0, 2});
    for (const auto& p : st.policies) {
        t.add({policy_text(set, p), std::string(pol::to_string(p.state)), p.category});
        for (const auto& [id, text] : p.elements) t.add_line(indent + "    " + id + ": " + text);
    }
    t.print(std::cout, indent);
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

void print_text(const pol::AdmxSet& set, const std::vector<ScopeStates>& all,
                const ListOptions& opt) {
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
        if (!opt.extra_only) print_policies(set, s.states, indent);
        if (!opt.extra_only && !s.states.extra.empty()) std::cout << '\n';
        print_extra(s.states, indent);
        if (opt.extra_only && s.states.extra.empty()) {
            std::cout << indent << "no extra registry settings\n";
        }
    }
}

/// Reads `file` and maps it; false (error printed) when unreadable. With `fit` (--pol), says
/// how its half was chosen (text output) and warns when the entries fit the other far better.
bool read_scope(const pol::AdmxSet& set, ScopeStates& s, const PolScope* fit, bool note) {
    auto r = pol::read_pol(s.file);
    if (!r.ok()) {
        print_error(r.message);
        return false;
    }
    for (const auto& w : r.file.warnings) print_error("warning: " + w);
    s.states = pol::policy_states(set, r.file, s.scope == "user" ? "HKCU" : "HKLM");
    if (fit != nullptr) {
        std::string how = scope_note(s.file, *fit);
        if (note && !how.empty()) print_error("note: " + how);
        auto f = scope_fit(set, r.file, *fit, s.states);
        if (f.other_fits_better()) print_error("warning: " + fit_warning(s.file, *fit, f));
    }
    return true;
}

int run_list(const ListOptions& opt) {
    auto loaded = load_admx_sources(opt.admx);
    if (!loaded) return exit_input;
    const auto& set = loaded->result.set;
    std::vector<ScopeStates> all;
    pol::GpoResult gpos;
    PolScope pol_class;
    if (!opt.pol.empty()) {
        pol_class = pol_scope(opt.pol, opt.user, opt.machine);
        all.push_back(ScopeStates{pol_class.scope(), pol_class.from, opt.pol, nullptr, {}});
    } else {
        gpos = pol::find_gpos(opt.gpo);
        if (!gpos.ok()) {
            print_error(gpos.message);
            return exit_input;
        }
        for (const auto& g : gpos.gpos) {
            for (const auto& w : g.warnings) print_error("warning: " + w);
            if (!g.machine_pol.empty())
                all.push_back(ScopeStates{"computer", "gpo", g.machine_pol, &g, {}});
            if (!g.user_pol.empty()) all.push_back(ScopeStates{"user", "gpo", g.user_pol, &g, {}});
        }
    }
    for (auto& s : all) {
        if (!read_scope(set, s, opt.pol.empty() ? nullptr : &pol_class, !opt.json))
            return exit_input;
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
        print_text(set, all, opt);
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
    auto* user_opt = app->add_flag("--user", opt->user,
                                   "with --pol: read it as a User pol (HKCU), whatever its folder")
                         ->needs(pol_opt);
    app->add_flag("--machine", opt->machine,
                  "with --pol: read it as a Machine pol (HKLM), whatever its folder")
        ->needs(pol_opt)
        ->excludes(user_opt);
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
