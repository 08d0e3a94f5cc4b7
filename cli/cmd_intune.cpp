// `comredir-policy intune` (the group) and `intune admx-ingest`: the OMA-URI rows of an
// Intune custom profile that ingests an ADMX file (comredir's own by default) and sets its
// policies. The rows come from libpolicy (comredir/policy/intune_ingest.hpp).
#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/intune/intune_ingest.hpp>
#include <comredir/policy/io/file_read.hpp>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "admx_sources.hpp"
#include "command.hpp"
#include "options.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

namespace fs = std::filesystem;
namespace pol = comredir::policy;

struct IngestOptions {
    std::string admx;
    std::string adml;
    std::string language = "en-US";
    pol::AdmxIngestOptions lib;
    std::string state = "enabled";
    std::string scope = "device";
    bool json = false;
};

/// --adml, else `<admx folder>/<language>/<admx stem>.adml` when it exists, else empty.
std::string adml_for(const IngestOptions& o, const fs::path& admx) {
    if (!o.adml.empty()) return o.adml;
    fs::path guess = admx.parent_path() / o.language / admx.stem();
    guess += ".adml";
    std::error_code ec;
    return fs::is_regular_file(guess, ec) ? guess.string() : std::string();
}

void print_text(const std::vector<pol::AdmxIngestPayload>& rows, const std::string& admx_path,
                std::size_t admx_bytes) {
    std::cout << "Intune custom profile rows (Windows 10 and later, Templates > Custom), in this "
                 "order:\n\n";
    Table t({"Name", "OMA-URI", "Data type", "Value"});
    for (const auto& r : rows) {
        std::string value = r.policy.empty() ? "<the whole text of " + admx_path + ", " +
                                                   std::to_string(admx_bytes) + " bytes>"
                                             : r.value;
        t.add({r.name, r.oma_uri, r.data_type, value});
    }
    t.print(std::cout);
}

nlohmann::json rows_json(const std::vector<pol::AdmxIngestPayload>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        out.push_back({{"@odata.type", "#microsoft.graph.omaSettingString"},
                       {"displayName", r.name},
                       {"description", r.description},
                       {"omaUri", r.oma_uri},
                       {"value", r.value}});
    }
    return out;
}

int run_ingest(IngestOptions o) {
    fs::path admx =
        o.admx.empty() ? fs::path(own_template_dir()) / "comredir.admx" : fs::path(o.admx);
    std::error_code ec;
    auto bytes = fs::is_regular_file(admx, ec) ? slurp(admx.string()) : std::nullopt;
    if (!bytes) {
        print_error("cannot read ADMX `" + admx.string() + "`" +
                    (o.admx.empty() ? " (use --admx FILE)" : ""));
        return exit_input;
    }
    std::string adml = adml_for(o, admx);
    if (!adml.empty()) {
        if (auto r = pol::read_regular_file(adml); !r.ok) {
            print_error("cannot read ADML: " + r.message);
            return exit_input;
        }
    }
    auto loaded = pol::load_admx_files(admx.string(), adml);
    for (const auto& e : loaded.errors) {
        bool fatal = e.file == admx.string() &&
                     (e.kind == pol::AdmxErrorKind::io_error || e.kind == pol::AdmxErrorKind::xml ||
                      e.kind == pol::AdmxErrorKind::not_admx);
        if (fatal) {
            print_error(e.message);
            return exit_input;
        }
    }
    for (const auto& e : loaded.errors) {
        if (e.kind == pol::AdmxErrorKind::missing_adml) {
            print_error("warning: no ADML for `" + admx.string() +
                        "` (--adml FILE): rows are named by ADMX names and dialog defaults "
                        "are unknown");
        } else {
            print_error("warning: " + e.message);
        }
    }
    o.lib.state =
        o.state == "disabled" ? pol::AdmxIngestState::disabled : pol::AdmxIngestState::enabled;
    o.lib.both_scope =
        o.scope == "user" ? pol::AdmxIngestScope::user : pol::AdmxIngestScope::device;
    auto r = pol::admx_ingest_payloads(loaded.set, *bytes, admx.string(), o.lib);
    if (!r.ok()) {
        print_error(r.message);
        bool file_problem = r.status == pol::AdmxIngestStatus::bad_admx ||
                            r.status == pol::AdmxIngestStatus::not_ingestible;
        return file_problem ? exit_input : exit_usage;
    }
    for (const auto& n : r.notes) print_error("note: " + n);
    if (o.json) {
        std::cout << rows_json(r.payloads).dump(2) << '\n';
    } else {
        print_text(r.payloads, admx.string(), bytes->size());
    }
    return exit_ok;
}

constexpr const char* kIngestFooter =
    R"(What this is: Intune cannot read ADMX templates from a central store. A
custom profile (Windows 10 and later > Templates > Custom) can instead send
the ADMX file itself to the device through the Policy CSP
(./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/APP/Policy/UID):
Windows "ingests" it and then offers each of its policies as an OMA-URI
./Device/... (class Machine) or ./User/... (class User; Both: --scope)
under Policy/Config/APP~Policy~CATEGORY~.../POLICY. Every row has the data
type String. Only the ADMX is sent; the ADML only names the rows and gives
the dialog defaults used for elements you do not --set.

Order: the ADMXInstall row (first row; its value is the whole ADMX text)
must reach the device before the policy rows can apply. Put it first in the
same profile, or in its own profile assigned to the same devices before the
settings profile. A policy is Enabled (<enabled/> plus one <data id=.. value=../>
per element) or Disabled (<disabled/>); to return it to Not Configured, remove
its row. Ingestion refuses templates that write below System, Software\Microsoft
or Software\Policies\Microsoft (except a few Office/Edge/OneDrive keys): such a
file is reported, exit 3. comredir's keys live under SOFTWARE\Policies\comredir.

--set POLICY.ELEMENT=VALUE fills one element (repeat it; for list and
multiText elements every --set adds one entry, NAME=DATA for explicitValue
lists). Enum: an item's display name or value; boolean: true/false;
decimal: within the element's range; text: within maxLength.

--json prints Graph omaSettingString objects; wrap them to create the profile:
  comredir-policy intune admx-ingest --json |
    jq '{"@odata.type":"#microsoft.graph.windows10CustomConfiguration",
         displayName:"comredir", omaSettings:.}' > profile.json
  then POST profile.json to /deviceManagement/deviceConfigurations (Graph).

exit codes: 0 printed; 2 bad option, unknown policy or element, value the
element does not accept; 3 ADMX unreadable or not ingestible.

examples:
  comredir-policy intune admx-ingest
  comredir-policy intune admx-ingest --policy DenyComRedirection --state disabled
  comredir-policy intune admx-ingest --set AllowedPortNames.AllowedPortList=COM1 --set AllowedPortNames.AllowedPortList=COM3
  comredir-policy intune admx-ingest --admx Vendor.admx --adml en-US/Vendor.adml --app-name Vendor --json)";

Command add_intune_admx_ingest(CLI::App& intune) {
    auto o = std::make_shared<IngestOptions>();
    auto* app = intune.add_subcommand(
        "admx-ingest",
        "print the Intune OMA-URI rows that ingest an ADMX (default: comredir's) and set its "
        "policies");
    app->footer(kIngestFooter);
    app->add_option("--admx", o->admx, "ADMX file (default: comredir's installed comredir.admx)")
        ->type_name("FILE");
    app->add_option("--adml", o->adml,
                    "ADML file (default: <ADMX folder>/<language>/<name>.adml if present)")
        ->type_name("FILE");
    app->add_option("--language", o->language, "ADML language folder (default en-US)")
        ->type_name("LANG");
    app->add_option("--app-name", o->lib.app_name, "{AppName} of the URIs (default comredir)")
        ->type_name("NAME");
    app->add_option("--file-uid", o->lib.file_uid,
                    "{FileUid} of the ADMXInstall URI (default: the ADMX name without .admx)")
        ->type_name("UID");
    app->add_option("--policy", o->lib.policies, "only this policy (ADMX name; repeatable)")
        ->type_name("NAME");
    app->add_option("--set", o->lib.values, "an element value (repeatable)")
        ->type_name("POLICY.ELEMENT=VALUE");
    app->add_option("--state", o->state, "state of the policy rows (default enabled)")
        ->check(CLI::IsMember({"enabled", "disabled"}));
    app->add_option("--scope", o->scope, "URI root for class Both policies (default device)")
        ->check(CLI::IsMember({"device", "user"}));
    app->add_flag("--json", o->json, "print Graph omaSettingString objects (JSON array)");
    return Command{app, [o] { return run_ingest(*o); }};
}

}  // namespace

CLI::App* intune_group(CLI::App& root) {
    for (auto* sub : root.get_subcommands([](CLI::App* a) { return a->get_name() == "intune"; })) {
        return sub;
    }
    auto* intune =
        root.add_subcommand("intune",
                            "Microsoft Intune: settings-catalog exports (get, set, unset, "
                            "export) and custom profiles for ADMX ingestion");
    intune->require_subcommand(1);
    return intune;
}

std::vector<Command> add_intune(CLI::App& root) {
    auto out = add_intune_edit(*intune_group(root));
    out.insert(out.begin(), add_intune_admx_ingest(*intune_group(root)));
    return out;
}

}  // namespace comredir::cli
