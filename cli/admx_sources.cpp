#include "admx_sources.hpp"

#include <algorithm>
#include <comredir/policy/resolve/config.hpp>
#include <cstdlib>
#include <filesystem>

#include "command.hpp"

namespace comredir::cli {

namespace fs = std::filesystem;

const char* const kAdmxSourcesHelp =
    R"(ADMX set: the PolicyDefinitions folder given by --admx, else the config's
"policyDefinitions" (config search: --config, $COMREDIR_CONFIG, ./comredir.json,
$XDG_CONFIG_HOME/comredir/config.json, /etc/comredir/config.json), plus
comredir's own templates, always (a comredir.admx in that folder wins over the
shipped copy). Without a folder only comredir's own policies are named: copy
C:\Windows\PolicyDefinitions (or the domain's central store) to name Windows'.
ADML strings come from <folder>/<language>/ (--language, else the config's
"admxLanguage", else en-US). comredir's own templates are looked for in
$COMREDIR_ADMX_DIR, else where comredir installed them, else the source tree;
missing there, the command fails (exit 3) naming the file. Problems in single
files of the set (a supportedOn or category that does not exist, a missing
ADML) do not stop the command: a single one is printed, several as one line
saying how many; --verbose prints each, and `admx validate <folder>/*.admx`
explains them.)";

void add_admx_source_options(CLI::App& app, AdmxSourceOptions& opt) {
    app.add_option("--admx", opt.admx,
                   "PolicyDefinitions folder (*.admx, <language>/*.adml); default: the config's "
                   "\"policyDefinitions\"")
        ->type_name("DIR");
    app.add_option("--language", opt.language, "ADML language folder (default en-US)")
        ->type_name("LANG");
    app.add_option("--config", opt.config, "config file naming the PolicyDefinitions folder")
        ->type_name("FILE");
    app.add_flag("--verbose", opt.verbose,
                 "print each problem found in the ADMX set (default: one line saying how many)");
}

std::string own_template_dir(const std::string& from) {
    if (!from.empty()) return from;
    if (const char* env = std::getenv("COMREDIR_ADMX_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code ec;
    if (fs::is_regular_file(fs::path(COMREDIR_INSTALLED_ADMX_DIR) / "comredir.admx", ec)) {
        return COMREDIR_INSTALLED_ADMX_DIR;
    }
    return COMREDIR_SOURCE_ADMX_DIR;
}

std::optional<LoadedAdmx> load_admx_sources(const AdmxSourceOptions& opt) {
    LoadedAdmx out;
    std::string folder = opt.admx;
    std::string language = opt.language;
    if (folder.empty()) {
        auto path = policy::find_config(
            opt.config.empty() ? std::nullopt : std::optional<std::string>(opt.config));
        if (path) {
            auto cfg = policy::read_config(*path);
            if (!cfg.ok()) {
                print_error(cfg.message);
                return std::nullopt;
            }
            folder = cfg.config.policy_definitions;
            if (language.empty()) language = cfg.config.admx_language;
        }
    }
    if (language.empty()) language = "en-US";
    if (!folder.empty()) out.folders.push_back(folder);
    const std::string own = own_template_dir();
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(own) / "comredir.admx", ec)) {
        // Without them the set silently lacks comredir's policies ("0 policies").
        print_error("comredir's own templates are missing: no `" +
                    (fs::path(own) / "comredir.admx").string() +
                    "` (reinstall comredir, or set $COMREDIR_ADMX_DIR to the folder holding "
                    "comredir.admx)");
        return std::nullopt;
    }
    out.folders.push_back(own);
    out.language = language;
    out.result = policy::load_admx_folders(out.folders, language);
    for (const auto& e : out.result.errors) {
        bool whole_folder =
            e.kind == policy::AdmxErrorKind::io_error &&
            std::find(out.folders.begin(), out.folders.end(), e.file) != out.folders.end();
        if (whole_folder) {
            print_error(e.message);
            return std::nullopt;
        }
    }
    const auto& errors = out.result.errors;
    if (opt.verbose || errors.size() == 1) {
        for (const auto& e : errors) print_error("warning: " + e.message);
    } else if (!errors.empty()) {
        print_error("warning: " + std::to_string(errors.size()) +
                    " problems in the ADMX set; `--verbose` prints them, `admx validate` "
                    "explains each");
    }
    return out;
}

}  // namespace comredir::cli
