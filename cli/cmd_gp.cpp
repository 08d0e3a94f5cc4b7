// `comredir-policy gp ...`: Group Policy files. `gp dump` lives here; the other verbs
// in cmd_gp_*.cpp (see gp_commands.hpp).

#include <algorithm>
#include <comredir/policy/gp/pol.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "gp_commands.hpp"

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
  comredir-policy gp list --pol registry.pol --admx PolicyDefinitions
  comredir-policy gp list --gpo 'Policies/{GUID}' --json)";

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

}  // namespace

Command add_gp_dump(CLI::App& gp) {
    auto opt = std::make_shared<DumpOptions>();
    auto* app = gp.add_subcommand("dump", "print every entry of a Registry.pol file");
    app->footer(kDumpFooter);
    app->add_option("--pol", opt->pol, "Registry.pol file to read")->required()->type_name("FILE");
    app->add_flag("--json", opt->json, "print JSON instead of a table");
    return Command{app, [opt] { return run_dump(*opt); }};
}

std::vector<Command> add_gp(CLI::App& root) {
    auto* gp = root.add_subcommand(
        "gp", "Group Policy files: read Registry.pol (the OS policy layer as a GPO writes it)");
    gp->footer(kGpFooter);
    gp->require_subcommand(1);
    std::vector<Command> out;
    out.push_back(add_gp_dump(*gp));
    out.push_back(add_gp_list(*gp));
    out.push_back(add_gp_set(*gp));
    return out;
}

}  // namespace comredir::cli
