// `comredir-policy admx list`: every policy of the loaded ADMX set, grouped by category
// path the way the Group Policy editor's tree shows them.
#include <algorithm>
#include <comredir/policy/admx/admx.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "admx_commands.hpp"
#include "admx_sources.hpp"
#include "options.hpp"
#include "policy_name.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

struct ListOptions {
    AdmxSourceOptions admx;
    std::string category;
    std::string search;
    bool json = false;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return s;
}

bool contains_ci(const std::string& hay, const std::string& needle) {
    return needle.empty() || lower(hay).find(lower(needle)) != std::string::npos;
}

/// The ADMX file a policy came from, with its folder when known.
std::string file_of(const pol::AdmxSet& set, const pol::AdmxPolicy& p) {
    for (const auto& f : set.files) {
        if (f.admx == p.source.file && f.ns == p.ns) {
            return f.folder.empty() ? f.admx : f.folder + "/" + f.admx;
        }
    }
    return p.source.file;
}

int run_list(const ListOptions& opt) {
    auto loaded = load_admx_sources(opt.admx);
    if (!loaded) return exit_input;
    const auto& set = loaded->result.set;
    std::vector<const pol::AdmxPolicy*> shown;
    for (const auto& p : set.policies) {
        if (!contains_ci(p.category_path, opt.category)) continue;
        if (!contains_ci(p.name, opt.search) && !contains_ci(p.display_name, opt.search)) continue;
        shown.push_back(&p);
    }
    if (opt.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto* p : shown) {
            out.push_back({{"policy", p->name},
                           {"namespace", p->ns},
                           {"display_name", p->display_name},
                           {"class", std::string(pol::to_string(p->cls))},
                           {"category", p->category_path},
                           {"key", p->key},
                           {"value_name", p->value_name},
                           {"supported_on", p->supported_on_text},
                           {"admx", p->source.file},
                           {"file", file_of(set, *p)},
                           {"line", p->source.line}});
        }
        std::cout << out.dump(2) << '\n';
        return exit_ok;
    }
    // Group by category path, categories sorted, policies in file order within each.
    std::map<std::string, std::vector<const pol::AdmxPolicy*>> by_category;
    for (const auto* p : shown) by_category[p->category_path].push_back(p);
    Table t({"policy", "class", "display name"});
    t.hide_header();
    // On a terminal, long display names (and then ADMX names) are cut to its width.
    t.fit(terminal_columns(), {2, 0});
    for (const auto& [category, policies] : by_category) {
        t.add_line((category.empty() ? "(no category)" : category));
        for (const auto* p : policies) {
            t.add({shown_name(set, *p), std::string(pol::to_string(p->cls)), p->display_name});
        }
    }
    t.print(std::cout, "  ");
    std::cout << shown.size() << (shown.size() == 1 ? " policy" : " policies") << " in "
              << by_category.size() << (by_category.size() == 1 ? " category" : " categories")
              << " (" << set.files.size() << (set.files.size() == 1 ? " ADMX file" : " ADMX files")
              << " from " << join(loaded->folders, ", ") << ")\n";
    return exit_ok;
}

}  // namespace

Command add_admx_list(CLI::App& admx) {
    auto opt = std::make_shared<ListOptions>();
    auto* app = admx.add_subcommand("list", "list the policies an ADMX set defines");
    app->footer(std::string(
                    R"(prints each policy's ADMX name, class and display name, grouped by the
category path the Group Policy editor shows. A name that several loaded files
define shows qualified by its file (`excel16:L_VBAWarningsPolicy`), as `gp set`
and `admx show` take it. --json prints an array of {"policy", "namespace",
"display_name", "class", "category", "key", "value_name", "supported_on",
"admx" (the ADMX file's name), "file" (with its folder), "line"}.

)") + kAdmxSourcesHelp +
                R"(

exit codes: 0 printed; 3 the ADMX folder or config cannot be read.

examples:
  comredir-policy admx list
  comredir-policy admx list --admx PolicyDefinitions --category "Device and Resource Redirection"
  comredir-policy admx list --admx PolicyDefinitions --search clipboard --json)");
    add_admx_source_options(*app, opt->admx);
    app->add_option("--category", opt->category,
                    "only policies whose category path contains TEXT (case-insensitive)")
        ->type_name("TEXT");
    app->add_option("--search", opt->search,
                    "only policies whose name or display name contains TEXT (case-insensitive)")
        ->type_name("TEXT");
    app->add_flag("--json", opt->json, "print JSON instead of a table");
    return Command{app, [opt] { return run_list(*opt); }};
}

}  // namespace comredir::cli
