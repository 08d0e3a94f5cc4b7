#pragma once
// The ADMX set the policy-naming commands (`gp list`, `admx list`, `admx show`) work with:
// the PolicyDefinitions folder from --admx or the config's `policyDefinitions`, plus
// comredir's own templates, which are always loaded (a copy of them in that folder wins).

#include <CLI/CLI.hpp>
#include <comredir/policy/admx/admx.hpp>
#include <optional>
#include <string>
#include <vector>

namespace comredir::cli {

struct AdmxSourceOptions {
    std::string admx;      ///< --admx DIR
    std::string language;  ///< --language (empty: config's admxLanguage, else en-US)
    std::string config;    ///< --config FILE
    bool verbose = false;  ///< --verbose: every problem of the set, not one summary line
};

/// Adds --admx, --language, --config and --verbose to `app`.
void add_admx_source_options(CLI::App& app, AdmxSourceOptions& opt);

/// Help text describing where the ADMX set comes from (for footers).
extern const char* const kAdmxSourcesHelp;

/// Where comredir's own templates are: `from` if given, else $COMREDIR_ADMX_DIR, else the
/// installed copy, else the source tree's admx/.
std::string own_template_dir(const std::string& from = {});

struct LoadedAdmx {
    policy::AdmxLoadResult result;
    std::vector<std::string> folders;  ///< in load order
    std::string language;
};

/// Loads the set. An unreadable folder, a config that cannot be read, or no comredir.admx
/// in own_template_dir() prints an error and returns nullopt (exit 3); problems in single
/// files do not stop the rest: one is printed as a warning, several as one summary line
/// (each with `verbose`).
std::optional<LoadedAdmx> load_admx_sources(const AdmxSourceOptions& opt);

}  // namespace comredir::cli
