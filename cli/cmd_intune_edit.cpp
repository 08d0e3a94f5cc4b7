// `comredir-policy intune get|set|unset|export`: settings-catalog exports read and edited
// (intune_edit.hpp), written safely (folder lock, temp file + fsync + rename).
#include <comredir/policy/file_lock.hpp>
#include <comredir/policy/intune.hpp>
#include <comredir/policy/intune_edit.hpp>
#include <comredir/policy/safe_write.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "command.hpp"
#include "diff.hpp"
#include "options.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;
namespace fs = std::filesystem;

struct EditOptions {
    std::string file, setting, value;
    std::optional<std::string> policy;
    bool dry_run = false, backup = false, json = false;
};

std::vector<std::string> lines_of(const std::vector<std::uint8_t>& bytes) {
    std::vector<std::string> out;
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

int exit_for(pol::IntuneEditStatus s) {
    return s == pol::IntuneEditStatus::bad_file ? exit_input : exit_usage;
}

int run_edit(const EditOptions& o, bool unset) {
    pol::FolderLockResult lock;
    const auto before = lock_and_read(o.file, o.dry_run, lock);
    if (!before) return exit_input;
    const auto edit = unset ? pol::intune_unset(*before, o.setting, o.policy)
                            : pol::intune_set(*before, o.setting, o.value, o.policy);
    if (!edit.ok()) {
        print_error(o.file + ": " + edit.message);
        return exit_for(edit.status);
    }
    static constexpr const char* kActions[] = {"replaced", "added", "removed", "unchanged"};
    nlohmann::json report = {{"file", o.file},
                             {"policy", edit.policy},
                             {"setting", edit.definition_id},
                             {"action", kActions[static_cast<int>(edit.action)]},
                             {"previous", edit.previous},
                             {"value", edit.value},
                             {"changed", edit.changed},
                             {"dry_run", o.dry_run}};
    const std::string bak = o.file + ".bak";
    if (o.dry_run) {
        print_preview(
            report,
            unified_diff(lines_of(*before), lines_of(edit.bytes), o.file, o.file + " (after)"),
            o.file, o.json);
        return exit_ok;
    }
    if (edit.changed && !replace_file(o.file, *before, edit.bytes, o.backup)) return exit_input;
    report["backup"] = o.backup && edit.changed ? nlohmann::json(bak) : nullptr;
    if (o.json) {
        std::cout << report.dump(2) << '\n';
        return exit_ok;
    }
    switch (edit.action) {
        case pol::IntuneEdit::Action::replaced:
            std::cout << o.file << ": `" << edit.definition_id << "`: `" << edit.previous
                      << "` -> `" << edit.value << "`\n";
            break;
        case pol::IntuneEdit::Action::added:
            std::cout << o.file << ": added `" << edit.definition_id << "` = `" << edit.value
                      << "`\n";
            break;
        case pol::IntuneEdit::Action::removed:
            std::cout << o.file << ": removed `" << edit.definition_id << "` (was `"
                      << edit.previous << "`)\n";
            break;
        case pol::IntuneEdit::Action::unchanged:
            std::cout << o.file << ": `" << edit.definition_id << "` "
                      << (unset ? "is not set" : "already `" + edit.value + "`")
                      << ": nothing written\n";
            break;
    }
    if (edit.changed && o.backup) std::cout << "  previous file kept as " << bak << '\n';
    return exit_ok;
}

struct GetOptions {
    std::string file;
    std::optional<std::string> setting;
    bool json = false;
};

int run_get(const GetOptions& o) {
    const auto r = pol::read_intune(o.file);
    if (!r.ok()) {
        print_error(r.message);
        return exit_input;
    }
    std::optional<std::string> id;
    if (o.setting) {
        id = pol::intune_definition_id(*o.setting);
        if (!id) {
            print_error(o.file + ": " + "`" + *o.setting +
                        "` is not a settings-catalog definition id or a feature");
            return exit_usage;
        }
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& p : r.file.policies) {
        for (const auto& s : p.settings) {
            if (id && s.definition_id != *id) continue;
            rows.push_back({{"policy", p.name},
                            {"setting", s.definition_id},
                            {"value", s.value},
                            {"pointer", s.json_pointer},
                            {"parent", s.parent_definition_id}});
        }
    }
    if (id && rows.empty()) {
        print_error(o.file + ": `" + *id + "` is not set");
        return exit_denied;
    }
    if (o.json) {
        std::cout << rows.dump(2) << '\n';
        return exit_ok;
    }
    for (const auto& row : rows) {
        const std::string parent = row["parent"];
        std::cout << (parent.empty() ? "" : "  ") << row["setting"].get<std::string>() << " = "
                  << row["value"].get<std::string>() << '\n';
    }
    return exit_ok;
}

struct ExportOptions {
    std::string out, name, description;
    std::vector<std::string> settings;
    bool force = false;
};

int run_export(const ExportOptions& o) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& s : o.settings) {
        const auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0) {
            print_error("`" + s + "` is not SETTING=VALUE");
            return exit_usage;
        }
        pairs.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
    std::string error;
    const auto text = pol::intune_export(o.name, o.description, pairs, error);
    if (!text) {
        print_error(error);
        return exit_usage;
    }
    std::error_code ec;
    if (!o.force && fs::exists(o.out, ec)) {
        print_error(o.out + ": exists (--force replaces it)");
        return exit_input;
    }
    auto lock = pol::lock_folder_of(o.out, std::chrono::seconds(30));
    if (!lock.ok()) {
        print_error(lock.message);
        return exit_input;
    }
    if (auto w = pol::write_file_atomic(
            o.out, {reinterpret_cast<const std::uint8_t*>(text->data()), text->size()}, 0644);
        !w.ok) {
        print_error(w.message);
        return exit_input;
    }
    std::cout << o.out << ": policy `" << o.name << "` with " << pairs.size()
              << " setting(s), ready for Graph `POST deviceManagement/configurationPolicies`\n";
    return exit_ok;
}

constexpr const char* kEditFooter =
    R"(SETTING: a settings-catalog definition id (device_vendor_msft_policy_config_...) or a
feature id (`com_ports`). VALUE for a choice setting: the option id, its suffix (`1`),
or enabled / disabled (`_1` / `_0`); for a simple setting, its integer or string.
enabled / disabled are the policy's state, not the feature's: TS_CLIENT_COM is "Do
not allow COM port redirection", so `com_ports enabled` denies COM ports.
The file is edited as text: only the value (or the one settings[] item) changes; the
BOM, line ends, indentation, field order and unknown fields stay byte for byte, and
settingCount follows. The result is read back before anything is written. The folder
is locked while writing; the file is replaced atomically.

exit codes: 0 done (or nothing to change); 2 usage (unknown setting or value, several
policies without --policy); 3 unreadable file, lock timeout or write failure.

examples:
  comredir-policy intune set export.json com_ports disabled --dry-run
  comredir-policy intune set export.json device_vendor_msft_policy_config_admx_terminalserver_ts_client_com 1
  comredir-policy intune unset export.json com_ports --backup)";

}  // namespace

std::vector<Command> add_intune_edit(CLI::App& intune) {
    std::vector<Command> out;
    auto g = std::make_shared<GetOptions>();
    auto* get = intune.add_subcommand("get", "list a settings-catalog export's settings (or one)");
    get->add_option("FILE", g->file, "Graph configurationPolicies export (JSON)")->required();
    get->add_option("SETTING", g->setting, "definition id or feature id");
    get->add_flag("--json", g->json, "JSON array of {policy, setting, value, pointer, parent}");
    get->footer("exit codes: 0 listed; 2 usage; 3 unreadable file; 4 SETTING is not set.");
    out.push_back({get, [g] { return run_get(*g); }});

    for (const bool unset : {false, true}) {
        auto o = std::make_shared<EditOptions>();
        auto* app = intune.add_subcommand(
            unset ? "unset" : "set",
            unset ? "remove one setting from a settings-catalog export"
                  : "set one setting of a settings-catalog export (added if missing)");
        app->add_option("FILE", o->file, "Graph configurationPolicies export (JSON)")->required();
        app->add_option("SETTING", o->setting, "definition id or feature id")->required();
        if (!unset)
            app->add_option("VALUE", o->value, "option id, suffix, enabled or disabled")
                ->required();
        app->add_option("--policy", o->policy,
                        "the policy (name or id) when the file holds several");
        app->add_flag("--dry-run", o->dry_run, "print a unified diff; write nothing");
        app->add_flag("--backup", o->backup, "keep the previous file as FILE.bak");
        app->add_flag("--json", o->json, "machine-readable report");
        app->footer(kEditFooter);
        out.push_back({app, [o, unset] { return run_edit(*o, unset); }});
    }

    auto e = std::make_shared<ExportOptions>();
    auto* exp = intune.add_subcommand(
        "export", "write a new importable settings-catalog policy from SETTING=VALUE pairs");
    exp->add_option("SETTINGS", e->settings, "SETTING=VALUE, e.g. com_ports=disabled")->required();
    exp->add_option("--out", e->out, "the policy file to write")->required();
    exp->add_option("--name", e->name, "the policy's name")->required();
    exp->add_option("--description", e->description, "the policy's description");
    exp->add_flag("--force", e->force, "replace an existing file");
    exp->footer(R"(The policy has Graph's create shape: name, description, platforms windows10,
technologies mdm, roleScopeTagIds ["0"], and one choice setting instance per pair;
comredir's reader (effective --intune) reads it back before it is written.

example:
  comredir-policy intune export --out lockdown.json --name "RDS lockdown" com_ports=disabled)");
    out.push_back({exp, [e] { return run_export(*e); }});
    return out;
}

}  // namespace comredir::cli
