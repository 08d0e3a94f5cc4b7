// `comredir-policy intune get|set|unset`: settings-catalog exports read and edited
// (intune_edit.hpp), written safely (folder lock, temp file + fsync + rename); `intune
// export` (cmd_intune_export.cpp) is registered with them.
#include <comredir/policy/intune/intune.hpp>
#include <comredir/policy/intune/intune_edit.hpp>
#include <comredir/policy/io/file_lock.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "command.hpp"
#include "diff.hpp"
#include "intune_commands.hpp"
#include "options.hpp"

namespace comredir::cli {

std::vector<std::string> text_lines(const std::vector<std::uint8_t>& bytes) {
    std::vector<std::string> out;
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

namespace {

namespace pol = comredir::policy;

struct EditOptions {
    std::string file, setting, value;
    std::optional<std::string> policy;
    bool dry_run = false, backup = false, json = false;
};

int exit_for(pol::IntuneEditStatus s) {
    return s == pol::IntuneEditStatus::bad_file ? exit_input : exit_usage;
}

int run_edit(const EditOptions& o, bool unset) {
    pol::FolderLockResult lock;
    const auto before = lock_and_read(o.file, o.dry_run, lock);
    if (!before) return exit_input;
    const auto edit =
        unset ? pol::intune_unset(*before, pol::intune_setting_for(o.setting), o.policy)
              : pol::intune_set(*before, pol::intune_setting_for(o.setting), o.value, o.policy);
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
            unified_diff(text_lines(*before), text_lines(edit.bytes), o.file, o.file + " (after)"),
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
    std::optional<std::string> setting, policy;
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
        id = pol::intune_definition_id(pol::intune_setting_for(*o.setting));
        if (!id) {
            print_error(o.file + ": setting `" + *o.setting +
                        "` is neither a settings-catalog definition id (device_vendor_msft_...) "
                        "nor a feature with one");
            return exit_usage;
        }
    }
    nlohmann::json rows = nlohmann::json::array();
    bool policy_seen = false;
    for (const auto& p : r.file.policies) {
        if (o.policy && p.name != *o.policy && p.id != *o.policy) continue;
        policy_seen = true;
        for (const auto& s : p.settings) {
            if (id && !iequals(s.definition_id, *id)) continue;
            rows.push_back({{"policy", p.name},
                            {"setting", s.definition_id},
                            {"value", s.value},
                            {"pointer", s.json_pointer},
                            {"parent", s.parent_definition_id}});
        }
    }
    if (o.policy && !policy_seen) {
        print_error(o.file + ": no policy named `" + *o.policy + "`");
        return exit_usage;
    }
    if (id && rows.empty()) {
        print_error(o.file + ": `" + *id + "` is not set");
        return exit_not_set;
    }
    if (o.json) {
        std::cout << rows.dump(2) << '\n';
        return exit_ok;
    }
    // Text: `SETTING = VALUE`, children indented; policy names when the file has several.
    std::string shown_policy;
    for (const auto& row : rows) {
        const std::string policy = row["policy"];
        if (!o.policy && r.file.policies.size() > 1 && (&row == &rows[0] || policy != shown_policy))
            std::cout << "policy `" << policy << "`:\n";
        shown_policy = policy;
        std::cout << (row["parent"].get<std::string>().empty() ? "" : "  ")
                  << printable(row["setting"].get<std::string>()) << " = "
                  << printable(row["value"].get<std::string>()) << '\n';
    }
    return exit_ok;
}

constexpr const char* kGetFooter =
    R"(Text: one `SETTING = VALUE` line per setting instance, children indented under their
parent (and `policy `NAME`:` lines when the file holds several policies). --json: one
object per instance: policy, setting (settingDefinitionId), value (the choice option
id, or a simple value as text; collections joined with `;`), pointer (RFC 6901, within
its policy) and parent (the parent's definition id, "" at the top).

Text output shows control characters as `\xNN` (C1 controls as `\u00NN`).

exit codes: 0 listed; 2 unknown SETTING or --policy; 3 unreadable or malformed file;
5 SETTING is not set in the file.

examples:
  comredir-policy intune get export.json
  comredir-policy intune get export.json com_ports --json)";

constexpr const char* kEditFooter =
    R"(SETTING: a settings-catalog definition id (device_vendor_msft_policy_config_..., any
case) or a feature id (`com_ports`). VALUE for a choice setting: the option id, its
suffix (`1`), or enabled / disabled (`_1` / `_0`); for a simple setting, its integer or
string. enabled / disabled are the policy's state, not the feature's: TS_CLIENT_COM is
"Do not allow COM port redirection", so `com_ports enabled` denies COM ports.

The setting is found at any depth (child settings too). set changes its value in place
(its child settings are kept as they are); a setting the policy lacks is appended to its
settings[] as a choice setting shaped like the file's last item. unset removes the
setting's settings[] item, or a child setting from its parent's children. A setting
that occurs more than once, collections and secrets are refused. The file is edited as
text: the BOM, line ends, indentation, field order and unknown fields stay byte for
byte, and settingCount follows. The result is read back before anything is written:
the policy's settings must be the old ones with exactly this change. The folder is
locked while writing; the file is replaced atomically (temp file, fsync, rename), its
mode kept.

exit codes: 0 done (or nothing to change); 2 usage (unknown setting or value, a shape
that is not edited, several policies without --policy); 3 unreadable or malformed file,
lock timeout or write failure.

examples:
  comredir-policy intune set export.json com_ports disabled --dry-run
  comredir-policy intune set export.json device_vendor_msft_policy_config_admx_terminalserver_ts_client_com 1
  comredir-policy intune set list.json com_ports enabled --policy "RDS lockdown" --backup
  comredir-policy intune unset export.json com_ports --json)";

}  // namespace

std::vector<Command> add_intune_edit(CLI::App& intune) {
    std::vector<Command> out;
    auto g = std::make_shared<GetOptions>();
    auto* get = intune.add_subcommand("get", "list a settings-catalog export's settings (or one)");
    get->add_option("FILE", g->file, "Graph configurationPolicies export (JSON)")->required();
    get->add_option("SETTING", g->setting, "definition id or feature id");
    get->add_option("--policy", g->policy, "only the policy with this name or id");
    get->add_flag("--json", g->json, "JSON array of {policy, setting, value, pointer, parent}");
    get->footer(kGetFooter);
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

    auto exported = add_intune_export(intune);
    out.insert(out.end(), exported.begin(), exported.end());
    return out;
}

}  // namespace comredir::cli
