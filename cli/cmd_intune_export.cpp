// `comredir-policy intune export`: a new settings-catalog policy (intune_edit.hpp's
// intune_export) written safely: folder lock, no overwrite without --force, atomic replace.
#include <comredir/policy/intune/intune_edit.hpp>
#include <comredir/policy/io/file_lock.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "command.hpp"
#include "diff.hpp"
#include "intune_commands.hpp"
#include "options.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

struct ExportOptions {
    std::string out, name, description;
    std::vector<std::string> settings;
    bool force = false, backup = false, dry_run = false, json = false;
};

int run_export(const ExportOptions& o) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& s : o.settings) {
        const auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0) {
            print_error("`" + s + "` is not SETTING=VALUE");
            return exit_usage;
        }
        pairs.emplace_back(pol::intune_setting_for(s.substr(0, eq)), s.substr(eq + 1));
    }
    std::string error;
    const auto text = pol::intune_export(o.name, o.description, pairs, error);
    if (!text) {
        print_error(error);
        return exit_usage;
    }
    const std::vector<std::uint8_t> after(text->begin(), text->end());
    // The lock first, so that no other writer creates the file between the check and
    // the write.
    pol::FolderLockResult lock;
    if (!o.dry_run) {
        lock = pol::lock_folder_of(o.out, std::chrono::seconds(30));
        if (!lock.ok()) {
            print_error(lock.message);
            return exit_input;
        }
    }
    std::error_code ec;
    const bool exists = std::filesystem::exists(o.out, ec);
    if (exists && !o.force) {
        print_error(o.out + ": exists (--force replaces it)");
        return exit_input;
    }
    std::vector<std::uint8_t> before;
    if (exists) {
        auto bytes = std::filesystem::is_regular_file(o.out, ec) ? slurp(o.out) : std::nullopt;
        if (!bytes) {
            print_error(o.out + ": not a regular file, or cannot be read");
            return exit_input;
        }
        before = std::move(*bytes);
    }
    nlohmann::json report = {
        {"file", o.out},      {"policy", o.name},           {"settings", pairs.size()},
        {"replaced", exists}, {"changed", before != after}, {"dry_run", o.dry_run}};
    if (o.dry_run) {
        print_preview(report,
                      unified_diff(text_lines(before), text_lines(after),
                                   exists ? o.out : "/dev/null", o.out + " (after)"),
                      o.out, o.json);
        return exit_ok;
    }
    const bool backup = o.backup && exists;
    if (before != after && !replace_file(o.out, before, after, backup)) return exit_input;
    report["backup"] = backup && before != after ? nlohmann::json(o.out + ".bak") : nullptr;
    if (o.json) {
        std::cout << report.dump(2) << '\n';
        return exit_ok;
    }
    std::cout << o.out << ": policy `" << o.name << "` with " << pairs.size()
              << " setting(s), for Graph `POST deviceManagement/configurationPolicies`\n";
    if (backup && before != after) std::cout << "  previous file kept as " << o.out << ".bak\n";
    return exit_ok;
}

constexpr const char* kExportFooter =
    R"(SETTING=VALUE as for `intune set` (a definition id or a feature id; an option id, its
suffix, enabled or disabled); each becomes one choice setting instance. The policy has
Graph's create shape: name, description, platforms windows10, technologies mdm,
roleScopeTagIds ["0"], and settings[] items as Graph exports them (id, settingInstance
with null template references); UTF-8 without BOM, two-space indentation. comredir's
reader (`effective --intune`) reads it back before it is written. An existing file is
replaced only with --force (atomically, its mode kept; --backup keeps it as FILE.bak).

exit codes: 0 written (or --dry-run); 2 usage (unknown setting or value, a setting given
twice); 3 the file exists without --force, lock timeout or write failure.

examples:
  comredir-policy intune export --out lockdown.json --name "RDS lockdown" com_ports=enabled
  comredir-policy intune export --out lockdown.json --name "RDS lockdown" --force --backup \
      com_ports=enabled device_vendor_msft_policy_config_admx_terminalserver_ts_client_lpt=1)";

}  // namespace

std::vector<Command> add_intune_export(CLI::App& intune) {
    auto e = std::make_shared<ExportOptions>();
    auto* exp = intune.add_subcommand(
        "export", "write a new importable settings-catalog policy from SETTING=VALUE pairs");
    exp->add_option("SETTINGS", e->settings, "SETTING=VALUE, e.g. com_ports=enabled")->required();
    exp->add_option("--out", e->out, "the policy file to write")->required();
    exp->add_option("--name", e->name, "the policy's name")->required();
    exp->add_option("--description", e->description, "the policy's description");
    exp->add_flag("--force", e->force, "replace an existing file");
    exp->add_flag("--backup", e->backup, "with --force: keep the replaced file as FILE.bak");
    exp->add_flag("--dry-run", e->dry_run, "print a unified diff; write nothing");
    exp->add_flag("--json", e->json, "machine-readable report");
    exp->footer(kExportFooter);
    return {{exp, [e] { return run_export(*e); }}};
}

}  // namespace comredir::cli
