// `comredir-policy gp ...`: Group Policy files. Each verb registers itself
// below (`dump` now; `list` and `set` join the same group).

#include <algorithm>
#include <comredir/policy/admx.hpp>
#include <comredir/policy/gp_states.hpp>
#include <comredir/policy/pol.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

constexpr const char* kGpFooter =
    R"(a Registry.pol ([MS-GPREG] 2.2.1) is what a GPO writes to the registry: in a
GPMC backup at DomainSysvol/GPO/Machine/registry.pol, on SYSVOL at
Policies/{GUID}/Machine/Registry.pol, for the local GPO at
C:\Windows\System32\GroupPolicy\Machine\Registry.pol.

examples:
  comredir-policy gp dump --pol registry.pol
  comredir-policy gp dump --pol registry.pol --json
  comredir-policy gp list --pol registry.pol --admx PolicyDefinitions)";

constexpr const char* kDumpFooter =
    R"(prints every entry in file order, with GP's special value names as written
(`**del.X` deletes value X, `**delvals.` deletes all values of the key).
REG_DWORD prints as a number, REG_SZ as text, REG_MULTI_SZ as a list, other
types as lowercase hex. Oddities (e.g. a REG_DWORD whose size is not 4) are
reported as warnings on stderr.

--json prints an array of {"key", "value", "type", "data"} objects.

exit codes: 0 printed; 3 the file is unreadable or malformed (the message
gives the byte offset of the bad construct).

examples:
  comredir-policy gp dump --pol registry.pol
  comredir-policy gp dump --pol registry.pol --json | jq '.[] | select(.value == "fDisableCcm")')";

constexpr const char* kListFooter =
    R"(prints the administrative-template policies the file sets Enabled or Disabled,
as GPMC's settings report shows them, and the values no loaded policy explains
(GPMC's "Extra Registry Settings"). A policy is listed only when the file's
values match one of its states exactly; anything else is an extra setting.
--admx is required for now (there is no default folder): pass a
PolicyDefinitions folder (`*.admx` with `en-US/*.adml`). Without --user the
file is read as a Machine pol (HKLM: Machine and Both policies); with --user
as a User pol (HKCU: User and Both policies).

--json prints one object:
  {"policies": [{"policy": "TS_CLIENT_COM", "display_name": "...",
                 "class": "Machine", "state": "enabled" | "disabled",
                 "category": "Windows Components/...",
                 "elements": {"<element id>": "<value text>", ...}}, ...],
   "extra": [{"key": "...", "value": "...", "type": "REG_DWORD",
              "data": "<decoded text>"}, ...]}
"elements" is empty for disabled policies.

exit codes: 0 printed; 3 the pol or the ADMX folder is unreadable or malformed.

examples:
  comredir-policy gp list --pol registry.pol --admx PolicyDefinitions
  comredir-policy gp list --pol registry.pol --admx PolicyDefinitions --user --json)";

/// `data` of pol_to_json as one line of text.
std::string data_text(const nlohmann::json& data) {
    if (data.is_string()) return data.get<std::string>();
    if (data.is_array()) {
        std::string out;
        for (const auto& s : data) {
            if (!out.empty()) out += "; ";
            out += s.get<std::string>();
        }
        return "[" + out + "]";
    }
    return data.dump();
}

std::string offset_text(std::uint64_t offset) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%06llx", static_cast<unsigned long long>(offset));
    return buf;
}

void print_table(const pol::PolFile& file) {
    const auto json = pol::pol_to_json(file);
    std::size_t wkey = 3;
    std::size_t wvalue = 5;
    std::size_t wtype = 4;
    for (const auto& e : json) {
        wkey = std::max(wkey, e["key"].get_ref<const std::string&>().size());
        wvalue = std::max(wvalue, e["value"].get_ref<const std::string&>().size());
        wtype = std::max(wtype, e["type"].get_ref<const std::string&>().size());
    }
    auto pad = [](const std::string& s, std::size_t w) {
        return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
    };
    std::cout << pad("offset", 8) << "  " << pad("key", wkey) << "  " << pad("value", wvalue)
              << "  " << pad("type", wtype) << "  data\n";
    for (std::size_t i = 0; i < json.size(); ++i) {
        const auto& e = json[i];
        std::cout << pad(offset_text(file.entries[i].offset), 8) << "  "
                  << pad(e["key"].get<std::string>(), wkey) << "  "
                  << pad(e["value"].get<std::string>(), wvalue) << "  "
                  << pad(e["type"].get<std::string>(), wtype) << "  " << data_text(e["data"])
                  << '\n';
    }
    std::cout << json.size() << (json.size() == 1 ? " entry\n" : " entries\n");
}

struct DumpOptions {
    std::string pol;
    bool json = false;
};

int run_dump(const DumpOptions& opt) {
    auto r = pol::read_pol(opt.pol);
    if (!r.ok()) {
        print_error(r.message);
        return exit_input;
    }
    for (const auto& w : r.file.warnings) print_error("warning: " + w);
    if (opt.json) {
        std::cout << pol::pol_to_json(r.file).dump(2) << '\n';
    } else {
        print_table(r.file);
    }
    return exit_ok;
}

Command add_dump(CLI::App& gp) {
    auto opt = std::make_shared<DumpOptions>();
    auto* app = gp.add_subcommand("dump", "print every entry of a Registry.pol file");
    app->footer(kDumpFooter);
    app->add_option("--pol", opt->pol, "Registry.pol file to read")->required()->type_name("FILE");
    app->add_flag("--json", opt->json, "print JSON instead of a table");
    return Command{app, [opt] { return run_dump(*opt); }};
}

struct ListOptions {
    std::string pol;
    std::string admx;
    bool user = false;
    bool json = false;
};

nlohmann::json states_json(const pol::PolicyStates& st) {
    nlohmann::json out = {{"policies", nlohmann::json::array()},
                          {"extra", nlohmann::json::array()}};
    for (const auto& p : st.policies) {
        nlohmann::json elements = nlohmann::json::object();
        for (const auto& [id, text] : p.elements) elements[id] = text;
        out["policies"].push_back({{"policy", p.policy},
                                   {"display_name", p.display_name},
                                   {"class", std::string(pol::to_string(p.cls))},
                                   {"state", std::string(pol::to_string(p.state))},
                                   {"category", p.category},
                                   {"elements", std::move(elements)}});
    }
    for (const auto& e : st.extra)
        out["extra"].push_back({{"key", e.key},
                                {"value", e.value},
                                {"type", pol::reg_type_name(e.type)},
                                {"data", e.data}});
    return out;
}

void print_states(const pol::PolicyStates& st) {
    auto pad = [](const std::string& s, std::size_t w) {
        return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
    };
    std::size_t wname = 6;
    for (const auto& p : st.policies) wname = std::max(wname, p.display_name.size());
    std::cout << pad("policy", wname) << "  " << pad("state", 8) << "  category\n";
    for (const auto& p : st.policies) {
        std::cout << pad(p.display_name, wname) << "  "
                  << pad(std::string(pol::to_string(p.state)), 8) << "  " << p.category << '\n';
        for (const auto& [id, text] : p.elements) std::cout << "    " << id << ": " << text << '\n';
    }
    std::cout << st.policies.size() << (st.policies.size() == 1 ? " policy\n" : " policies\n");
    if (st.extra.empty()) return;
    std::cout << "\nextra registry settings:\n";
    for (const auto& e : st.extra)
        std::cout << "  " << e.key << '\\' << e.value << "  " << pol::reg_type_name(e.type) << "  "
                  << e.data << '\n';
}

int run_list(const ListOptions& opt) {
    auto loaded = pol::load_admx_folder(opt.admx);
    for (const auto& e : loaded.errors) {
        if (e.kind == pol::AdmxErrorKind::io_error || e.kind == pol::AdmxErrorKind::xml) {
            print_error(e.message.starts_with(opt.admx) ? e.message : opt.admx + ": " + e.message);
            return exit_input;
        }
    }
    if (loaded.set.policies.empty()) {
        print_error(opt.admx + ": no ADMX policies loaded");
        return exit_input;
    }
    for (const auto& e : loaded.errors) print_error("warning: " + opt.admx + ": " + e.message);
    auto r = pol::read_pol(opt.pol);
    if (!r.ok()) {
        print_error(r.message);
        return exit_input;
    }
    for (const auto& w : r.file.warnings) print_error("warning: " + w);
    const auto st = pol::policy_states(loaded.set, r.file, opt.user ? "HKCU" : "HKLM");
    if (opt.json) {
        std::cout << states_json(st).dump(2) << '\n';
    } else {
        print_states(st);
    }
    return exit_ok;
}

Command add_list(CLI::App& gp) {
    auto opt = std::make_shared<ListOptions>();
    auto* app = gp.add_subcommand(
        "list", "list the policies a Registry.pol sets Enabled / Disabled (GPMC's report view)");
    app->footer(kListFooter);
    app->add_option("--pol", opt->pol, "Registry.pol file to read")->required()->type_name("FILE");
    app->add_option("--admx", opt->admx,
                    "PolicyDefinitions folder with the ADMX/ADML files (required for now)")
        ->required()
        ->type_name("DIR");
    app->add_flag("--user", opt->user, "read a User pol (HKCU) instead of a Machine pol (HKLM)");
    app->add_flag("--json", opt->json, "print JSON instead of a table");
    return Command{app, [opt] { return run_list(*opt); }};
}

}  // namespace

std::vector<Command> add_gp(CLI::App& root) {
    auto* gp = root.add_subcommand(
        "gp", "Group Policy files: read Registry.pol (the OS policy layer as a GPO writes it)");
    gp->footer(kGpFooter);
    gp->require_subcommand(1);
    std::vector<Command> out;
    out.push_back(add_dump(*gp));
    out.push_back(add_list(*gp));
    return out;
}

}  // namespace comredir::cli
