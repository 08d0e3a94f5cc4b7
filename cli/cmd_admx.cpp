// `comredir-policy admx install` (and the `admx` group): puts comredir's ADMX/ADML templates into a
// Group Policy central store (or any PolicyDefinitions folder), with safe writes.
#include <comredir/policy/io/safe_write.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "admx_commands.hpp"
#include "admx_sources.hpp"
#include "options.hpp"

namespace comredir::cli {

namespace {

namespace fs = std::filesystem;

struct InstallOptions {
    std::string central_store;
    std::string from;
    std::string language = "en-US";
    bool dry_run = false;
};

int install(const InstallOptions& o) {
    fs::path src = own_template_dir(o.from);
    fs::path store(o.central_store);
    std::error_code ec;
    if (!fs::is_directory(store, ec)) {
        print_error("central store `" + o.central_store +
                    "` is not a folder (create it first: on a domain, "
                    "\\\\<domain>\\SYSVOL\\<domain>\\Policies\\PolicyDefinitions)");
        return exit_input;
    }
    const std::pair<fs::path, fs::path> files[] = {
        {src / "comredir.admx", store / "comredir.admx"},
        {src / o.language / "comredir.adml", store / o.language / "comredir.adml"},
    };
    for (const auto& [from, to] : files) {
        auto bytes = slurp(from.string());
        if (!bytes) {
            print_error("cannot read template `" + from.string() + "` (use --from DIR)");
            return exit_input;
        }
        auto current = slurp(to.string());
        std::string state = !current ? "create" : *current == *bytes ? "up to date" : "replace";
        std::cout << (o.dry_run ? "would " : "") << state << ": " << to.string() << '\n';
        if (o.dry_run || state == "up to date") continue;
        fs::create_directories(to.parent_path(), ec);
        if (ec) {
            print_error("cannot create `" + to.parent_path().string() + "`: " + ec.message());
            return exit_input;
        }
        auto w = policy::write_file_atomic(to.string(), *bytes, 0644);
        if (!w.ok) {
            print_error(w.message);
            return exit_input;
        }
    }
    return exit_ok;
}

}  // namespace

Command add_admx_install(CLI::App& admx) {
    auto o = std::make_shared<InstallOptions>();
    CLI::App* inst = admx.add_subcommand(
        "install",
        "copy comredir.admx and <language>/comredir.adml into a PolicyDefinitions folder");
    inst->footer(R"(The Group Policy central store of a domain is
\\<domain>\SYSVOL\<domain>\Policies\PolicyDefinitions (ADMX) with en-US\ (ADML) below it;
a single machine uses C:\Windows\PolicyDefinitions. Files are replaced atomically; identical
files are left alone. The policies appear under Computer Configuration > Administrative
Templates > comredir.

examples:
  comredir-policy admx install --central-store /mnt/sysvol/contoso.com/Policies/PolicyDefinitions
  comredir-policy admx install --central-store ./PolicyDefinitions --dry-run)");
    inst->add_option("--central-store", o->central_store,
                     "PolicyDefinitions folder to install into")
        ->required();
    inst->add_option("--from", o->from,
                     "folder holding comredir.admx and <language>/comredir.adml (default: the "
                     "installed templates)");
    inst->add_option("--language", o->language, "ADML language folder (default en-US)");
    inst->add_flag("--dry-run", o->dry_run, "say what would be written, write nothing");
    return Command{inst, [o] { return install(*o); }};
}

std::vector<Command> add_admx(CLI::App& root) {
    CLI::App* admx = root.add_subcommand(
        "admx",
        "ADMX/ADML Group Policy templates: comredir's own, and any PolicyDefinitions folder");
    admx->require_subcommand(1);
    return {add_admx_install(*admx), add_admx_list(*admx), add_admx_show(*admx),
            add_admx_validate(*admx)};
}

}  // namespace comredir::cli
