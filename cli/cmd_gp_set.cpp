// `comredir-policy gp set`: writes a policy state into a Registry.pol (or a GPO) exactly
// as the Group Policy editor would, changing nothing else.
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/gp_write.hpp>
#include <comredir/policy/gp/gpo.hpp>
#include <comredir/policy/gp/gpt_ini.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/reg_edit.hpp>
#include <comredir/policy/gp/regfile.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <comredir/policy/io/file_lock.hpp>
#include <comredir/policy/io/file_read.hpp>
#include <comredir/policy/io/safe_write.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "admx_sources.hpp"
#include "diff.hpp"
#include "gp_commands.hpp"
#include "gp_readback.hpp"
#include "gp_set_files.hpp"
#include "gp_set_target.hpp"
#include "options.hpp"
#include "policy_name.hpp"

namespace comredir::cli {

namespace {

namespace fs = std::filesystem;
namespace pol = comredir::policy;

struct SetOptions {
    std::string policy;
    std::string state;
    std::vector<std::string> elements;
    std::string pol;
    std::string gpo;
    std::string reg;
    bool user = false;
    bool machine = false;
    AdmxSourceOptions admx;
    bool dry_run = false;
    bool backup = false;
    bool json = false;
};

/// A SYSVOL GPO has two version numbers: gpt.ini's and the versionNumber attribute of its
/// groupPolicyContainer object in Active Directory, which GPMC raises together. comredir
/// writes files only: the note says which number the AD attribute must take.
std::string ad_version_note(const pol::Gpo& gpo, const pol::GptIniBump& bump) {
    return "`" + gpo.path +
           "` is a SYSVOL GPO: only gpt.ini was changed; set the GPO's versionNumber attribute "
           "in Active Directory to " +
           std::to_string(bump.new_version) +
           " as well (GPMC changes both), or clients that applied version " +
           std::to_string(bump.old_version) + " may not apply the change";
}

/// Prints what the read-back found (notes only without --json); false: it read back as
/// something else, and the internal error is printed.
bool checked(const Readback& rb, const std::string& policy, const std::string& want, bool json) {
    if (!rb.ok) {
        print_error("internal: `" + policy + "` would read back as `" + rb.got + "`, not `" + want +
                    "`; nothing written");
        return false;
    }
    for (const auto& w : rb.warnings) print_error("warning: " + w);
    if (!json) {
        for (const auto& n : rb.notes) print_error("note: " + n);
    }
    return true;
}

/// Elements that took the ADML dialog's default, one line each (text output).
void print_defaults(const pol::PolicyRecords& records) {
    for (const auto& [id, value] : records.defaults) {
        std::cout << "  element `" << id << "` = `" << value
                  << "`: the dialog's default (--element " << id << "=VALUE to choose)\n";
    }
}

nlohmann::json defaults_json(const pol::PolicyRecords& records) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [id, value] : records.defaults) j[id] = value;
    return j;
}

/// `--reg FILE`: the change applied to a .reg snapshot, as Group Policy would apply it to
/// the live registry.
int run_set_reg(const SetOptions& opt, const pol::AdmxSet& set, const pol::AdmxPolicy& policy,
                pol::GpTarget target, bool user, const pol::PolicyRecords& records) {
    const std::string& path = opt.reg;
    pol::FolderLockResult lock;
    if (!opt.dry_run) {
        lock = pol::lock_folder_of(path, std::chrono::seconds(30));
        if (!lock.ok()) {
            print_error(lock.message);
            return exit_input;
        }
    }
    std::error_code ec;
    bool exists = fs::exists(path, ec);
    std::vector<std::uint8_t> before_bytes;
    pol::RegFile before;
    if (exists) {
        auto bytes = slurp(path);
        if (!bytes) {
            print_error(pol::read_regfile(path).message);  // the reader's own io message
            return exit_input;
        }
        before_bytes = std::move(*bytes);
        auto r = pol::parse_regfile(before_bytes);
        if (!r.ok()) {
            print_error(path + ": " + r.message);
            return exit_input;
        }
        before = std::move(r.file);
    }
    const std::string hive = user ? "HKEY_CURRENT_USER" : "HKEY_LOCAL_MACHINE";
    auto edit = pol::edit_regfile(before_bytes, before, hive, records.slots, records.records);
    auto after = pol::parse_regfile(edit.bytes);
    if (!after.ok()) {
        print_error("internal: the edited .reg does not parse: " + after.message);
        return exit_internal;
    }
    const std::string want(pol::to_string(target));
    if (!checked(read_back(set, policy, pol_view(after.file, hive), user ? "HKCU" : "HKLM", target,
                           records, true),
                 policy.name, want, opt.json)) {
        return exit_internal;
    }
    bool changed = edit.bytes != before_bytes;
    if (opt.dry_run) {
        std::string diff =
            unified_diff(decoded(before), decoded(after.file), path, path + " (after)");
        std::cout << (diff.empty() ? "no change to " + path + "\n" : diff);
        print_defaults(records);
        return exit_ok;
    }
    if (changed) {
        if (opt.backup && exists && !write_or_fail(path + ".bak", before_bytes)) return exit_input;
        if (!write_or_fail(path, edit.bytes)) return exit_input;
    }
    if (opt.json) {
        std::cout << nlohmann::json{{"policy", policy.name},
                                    {"state", want},
                                    {"file", path},
                                    {"changed", changed},
                                    {"replaced", edit.replaced},
                                    {"added", edit.added},
                                    {"removed", edit.removed},
                                    {"defaults", defaults_json(records)}}
                         .dump(2)
                  << '\n';
        return exit_ok;
    }
    std::cout << shown_name(set, policy) << " (" << policy.display_name << "): " << want << " in "
              << path << '\n';
    if (!changed) {
        std::cout << "  already so: nothing written\n";
    } else {
        std::cout << "  " << edit.replaced << " replaced, " << edit.added << " added, "
                  << edit.removed << " removed; every other line kept byte for byte\n";
    }
    print_defaults(records);
    return exit_ok;
}

int run_set(const SetOptions& opt) {
    auto target = pol::parse_gp_target(opt.state);
    if (!target) {
        print_error("state `" + opt.state + "` is not enabled, disabled or not-configured");
        return exit_usage;
    }
    pol::ElementValues values;
    for (const auto& e : opt.elements) {
        auto eq = e.find('=');
        if (eq == std::string::npos || eq == 0) {
            print_error("--element `" + e + "` is not ID=VALUE");
            return exit_usage;
        }
        values.emplace_back(e.substr(0, eq), e.substr(eq + 1));
    }
    auto loaded = load_admx_sources(opt.admx);
    if (!loaded) return exit_input;
    auto chosen = set_target(loaded->result.set, {opt.policy, opt.pol, !opt.gpo.empty(), opt.user,
                                                  opt.machine, opt.json});
    if (chosen.policy == nullptr) return chosen.code;
    const auto* policy = chosen.policy;
    const auto& scope = chosen.scope;
    const std::string& name = chosen.name;
    bool user = scope.user;
    auto records = pol::policy_records(*policy, *target, values);
    if (!records.ok) {
        print_error(records.message);
        return exit_usage;
    }

    if (!opt.reg.empty()) {
        return run_set_reg(opt, loaded->result.set, *policy, *target, user, records);
    }
    std::string path = opt.pol;
    std::optional<pol::Gpo> gpo;
    if (path.empty()) {
        auto found = pol::find_gpos(opt.gpo);
        if (!found.ok()) {
            print_error(found.message);
            return exit_input;
        }
        if (found.gpos.size() != 1) {
            print_error("`" + opt.gpo + "` holds " + std::to_string(found.gpos.size()) +
                        " GPOs: name one GPO folder");
            return exit_usage;
        }
        gpo = found.gpos[0];
        for (const auto& w : gpo->warnings) print_error("warning: " + w);
        path = gpo_pol_path(*gpo, user);
    }

    pol::FolderLockResult lock;
    if (!opt.dry_run) {
        std::error_code ec;
        fs::create_directories(fs::path(path).parent_path(), ec);
        lock = pol::lock_folder_of(path, std::chrono::seconds(30));
        if (!lock.ok()) {
            print_error(lock.message);
            return exit_input;
        }
    }
    std::vector<std::uint8_t> before_bytes;
    std::error_code ec;
    bool exists = fs::exists(path, ec);
    if (exists) {
        auto b = pol::read_regular_file(path);
        if (!b.ok) {
            print_error(b.message);
            return exit_input;
        }
        before_bytes = std::move(b.bytes);
    }
    pol::PolFile before;
    if (exists) {
        auto r = pol::parse_pol(before_bytes);
        if (!r.ok()) {
            print_error(path + ": " + r.message);
            return exit_input;
        }
        before = std::move(r.file);
    }
    auto edit = pol::edit_pol(before_bytes, before, records.slots, records.records);
    auto after = pol::parse_pol(edit.bytes);
    if (!after.ok()) {
        print_error("internal: the edited file does not parse: " + after.message);
        return exit_internal;
    }
    // The result must read back as the state that was asked for.
    if (!checked(read_back(loaded->result.set, *policy, after.file, user ? "HKCU" : "HKLM", *target,
                           records, false),
                 policy->name, std::string(pol::to_string(*target)), opt.json)) {
        return exit_internal;
    }
    bool changed = edit.bytes != before_bytes || !exists;
    if (*target == pol::GpTarget::not_configured && !exists) changed = false;

    std::string ini_path = gpo ? gpt_ini_path(*gpo) : std::string();
    pol::GptIniBump bump;
    std::vector<std::uint8_t> ini_before;
    if (changed && !ini_path.empty()) {
        ini_before = slurp(ini_path).value_or(std::vector<std::uint8_t>{});
        bump = pol::bump_gpt_ini(ini_before, user);
        if (!bump.ok) {
            print_error(ini_path + ": " + bump.message);
            return exit_input;
        }
    }

    nlohmann::json report = {{"policy", policy->name},
                             {"display_name", policy->display_name},
                             {"namespace", policy->ns},
                             {"admx", policy->source.file},
                             {"scope", scope.scope()},
                             {"scope_from", scope.from},
                             {"state", std::string(pol::to_string(*target))},
                             {"file", path},
                             {"changed", changed},
                             {"dry_run", opt.dry_run},
                             {"defaults", defaults_json(records)},
                             {"replaced", edit.replaced},
                             {"added", edit.added},
                             {"removed", edit.removed},
                             {"unchanged", edit.unchanged}};
    if (changed && !ini_path.empty()) {
        report["gpt_ini"] = {{"file", ini_path},
                             {"old_version", bump.old_version},
                             {"new_version", bump.new_version},
                             {"extensions_added", bump.extensions_changed}};
        if (gpo && gpo->layout == pol::GpoLayout::sysvol) {
            report["gpt_ini"]["ad_version_number"] = {{"required", bump.new_version},
                                                      {"updated", false},
                                                      {"note", ad_version_note(*gpo, bump)}};
        }
    }
    const bool ad_note =
        changed && !ini_path.empty() && gpo && gpo->layout == pol::GpoLayout::sysvol;
    if (opt.dry_run) {
        std::string diff =
            unified_diff(decoded(before), decoded(after.file), path, path + " (after)");
        if (opt.json) {
            report["diff"] = diff;
        } else {
            std::cout << (diff.empty() ? "no change to " + path + "\n" : diff);
            if (changed && !ini_path.empty()) {
                std::cout << ini_path << ": Version " << bump.old_version << " -> "
                          << bump.new_version
                          << (bump.extensions_changed ? "; registry extension names added" : "")
                          << '\n';
            }
            if (ad_note) std::cout << "note: " << ad_version_note(*gpo, bump) << '\n';
            print_defaults(records);
        }
    } else if (changed) {
        if (opt.backup && exists && !write_or_fail(path + ".bak", before_bytes)) return exit_input;
        if (!write_or_fail(path, edit.bytes)) return exit_input;
        if (!ini_path.empty() && !write_or_fail(ini_path, bump.bytes)) return exit_input;
    }
    if (opt.json) {
        std::cout << report.dump(2) << '\n';
        return exit_ok;
    }
    if (opt.dry_run) return exit_ok;
    std::cout << name << " (" << policy->display_name << "): " << pol::to_string(*target) << " in "
              << path << '\n';
    if (!changed) {
        std::cout << "  already so: nothing written\n";
        print_defaults(records);
        return exit_ok;
    }
    std::cout << "  " << edit.replaced << " replaced, " << edit.added << " added, " << edit.removed
              << " removed, " << (before.entries.size() - edit.replaced - edit.removed)
              << " entries kept byte for byte\n";
    if (!ini_path.empty()) {
        std::cout << "  " << ini_path << ": Version " << bump.old_version << " -> "
                  << bump.new_version << (user ? " (user)" : " (computer)")
                  << (bump.extensions_changed ? "; registry extension names added" : "") << '\n';
        if (ad_note) std::cout << "  note: " << ad_version_note(*gpo, bump) << '\n';
    } else if (gpo) {
        std::cout << "  GPMC backup: no gpt.ini (the version is set when the backup is imported)\n";
    }
    print_defaults(records);
    return exit_ok;
}

constexpr const char* kSetFooter =
    R"(writes exactly the registry values the policy's ADMX definition gives for the
state, as the Group Policy editor does (`**del.` records for deleted values,
`**delvals.` before list items); `not-configured` removes them. Every other
entry of the file stays byte for byte the same, so setting a policy back
restores the file. Before anything is written, the result is read back as
`gp list` reads it: the policy must show the requested state, except where
Group Policy itself shows something else: a policy that writes exactly another
policy's entries is shown as that one (a note), options under which Enabled
writes what Disabled writes read as Disabled (a warning), and a policy with
nothing to write for Disabled reads as Not configured (a warning).

POLICY: ADMX name (TS_CLIENT_COM) or display name. A name that several loaded
ADMX files define (Office's L_VBAWarningsPolicy) is refused with the list of
candidates unless the Machine/User half leaves one: qualify it with the file's
name without .admx (`excel16:L_VBAWarningsPolicy`), its target prefix or its
namespace. Element values:
--element ID=VALUE, repeated for each item of a list or multiText element;
booleans true/false, enums the item's display name, explicit lists NAME=DATA.
An element left out takes the ADML dialog's default (defaultValue, defaultChecked,
defaultItem), as the Group Policy editor's dialog starts with it; the output says
which did. Without a default, a required element must be given.
`comredir-policy admx show POLICY` lists a policy's elements.

--reg: a .reg snapshot (regedit export) changed as Group Policy would change the
live registry: values set, deleted values' lines removed, other lines kept.

--pol: a Machine (HKLM) or User (HKCU) Registry.pol: --machine or --user, else
the name of its folder (`Machine` or `User`, any case; a note says so), else
Machine.

--gpo: the GPO's Machine (or, for User policies or with --user, User)
Registry.pol, created when missing; gpt.ini's Version goes up by one in the
computer (or user) half and gPCMachineExtensionNames / gPCUserExtensionNames
keep the registry extension, or the client would skip the change. The folder
is locked while writing; files are replaced atomically (temp file, fsync,
rename). A SYSVOL GPO also has a version in Active Directory (the versionNumber
attribute of its groupPolicyContainer), which GPMC raises with gpt.ini's:
comredir writes files only, so a note (--json: gpt_ini.ad_version_number
{required, updated: false, note}) gives the value to set there.

)";

constexpr const char* kSetExamples = R"(

exit codes: 0 written (or nothing to change); 2 usage (unknown state, bad element
value, wrong class, ambiguous policy name); 3 unreadable or malformed file,
unknown policy, lock timeout.

examples:
  comredir-policy gp set TS_CLIENT_COM enabled --pol Machine/Registry.pol --admx PolicyDefinitions
  comredir-policy gp set DenyComRedirection enabled --gpo 'Policies/{GUID}' --dry-run
  comredir-policy gp set AllowedPortNames enabled --element AllowedPortList=COM1 \
      --element AllowedPortList=COM3 --gpo 'Policies/{GUID}'
  comredir-policy gp set LatencyWarning not-configured --pol registry.pol
  comredir-policy gp set excel16:L_VBAWarningsPolicy enabled \
      --element 'L_empty4=Disable VBA macros with notification' \
      --pol 'Policies/{GUID}/User/Registry.pol' --admx PolicyDefinitions)";

}  // namespace

Command add_gp_set(CLI::App& gp) {
    auto opt = std::make_shared<SetOptions>();
    auto* app = gp.add_subcommand(
        "set", "set a policy Enabled / Disabled / Not Configured in a Registry.pol or GPO");
    app->footer(std::string(kSetFooter) + kAdmxSourcesHelp + kSetExamples);
    app->add_option("POLICY", opt->policy,
                    "ADMX name (FILE:NAME when several files define it) or display name")
        ->required();
    app->add_option("STATE", opt->state, "enabled, disabled or not-configured")->required();
    app->add_option("--element", opt->elements, "element value ID=VALUE (repeatable)")
        ->type_name("ID=VALUE");
    auto* pol_opt = app->add_option("--pol", opt->pol, "Registry.pol to edit (created if missing)")
                        ->type_name("FILE");
    auto* gpo_opt =
        app->add_option("--gpo", opt->gpo, "GPO folder to edit (Registry.pol and gpt.ini)")
            ->type_name("DIR");
    auto* reg_opt = app->add_option("--reg", opt->reg,
                                    ".reg snapshot to edit, as Group Policy would change the "
                                    "registry (created if missing)")
                        ->type_name("FILE");
    pol_opt->excludes(gpo_opt);
    reg_opt->excludes(pol_opt);
    reg_opt->excludes(gpo_opt);
    add_admx_source_options(*app, opt->admx);
    auto* user_opt =
        app->add_flag("--user", opt->user,
                      "User (HKCU): the GPO's User pol; a --pol file as User, whatever its folder");
    app->add_flag("--machine", opt->machine,
                  "Machine (HKLM): the GPO's Machine pol; a --pol file as Machine, whatever its "
                  "folder")
        ->excludes(user_opt);
    app->add_flag("--dry-run", opt->dry_run, "print a diff of the decoded entries; write nothing");
    app->add_flag("--backup", opt->backup, "keep the previous file as FILE.bak");
    app->add_flag("--json", opt->json, "print a JSON report");
    app->callback([pol_opt, gpo_opt, reg_opt] {
        if (pol_opt->count() == 0 && gpo_opt->count() == 0 && reg_opt->count() == 0) {
            throw CLI::RequiredError("one of --pol FILE, --gpo DIR or --reg FILE");
        }
    });
    return Command{app, [opt] { return run_set(*opt); }};
}

}  // namespace comredir::cli
