#pragma once
// Loading an estate: every source of every layer for one host, read with the
// readers, each failure kept with its layer (that layer then fails closed).

#include <comredir/policy/config.hpp>
#include <comredir/policy/decision.hpp>
#include <comredir/policy/layers.hpp>
#include <comredir/policy/rdp.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace comredir::policy {

/// What to load. Command-line sources replace the config's for their layer.
struct EstateRequest {
    std::optional<std::string> config_path;   ///< a config file to read (already searched for)
    std::optional<std::string> host;          ///< host (pool) name from the config / store
    std::optional<std::string> store_path;    ///< host pool store (overrides the config's)
    std::vector<OsSourceSpec> os;             ///< OS sources, in application order
    std::optional<std::string> rdp;           ///< client .rdp file
    std::optional<std::string> client_props;  ///< client properties as a string
    std::optional<Product> product;
    std::optional<ClientOs> client_os;
    bool mdm_wins = false;
};

/// One source as read, for the report.
struct SourceReport {
    LayerId layer;
    std::string kind;  ///< `gpo`, `registry.pol`, `reg`, `intune`, `hostpool`, `rdp`,
                       ///< `client-props`, `config`
    std::string path;  ///< file (or host pool name)
    std::string name;  ///< GPO display name / host pool / policy name
    std::string guid;  ///< GPO GUID
    bool ok = true;
    std::string message;  ///< error when !ok
};

struct Estate {
    Product product = Product::avd;
    ClientOs client_os = ClientOs::windows;
    std::string host;
    std::string host_pool;
    OsSources os;
    std::unique_ptr<RdpFile> host_pool_file;
    PropertySources host_pool_src;
    std::unique_ptr<RdpFile> client_file;
    PropertySources client_src;
    std::unique_ptr<RdpFile> host_pool_what_if;  ///< `effective --set hostpool:...` (whatif.hpp)
    std::unique_ptr<RdpFile> client_what_if;     ///< `effective --set client:...`
    std::vector<SourceReport> sources;
    std::vector<std::string> notes;
    std::vector<std::string> input_errors;  ///< unreadable / invalid inputs (exit 3)
};

enum class EstateStatus { ok, config_error, unknown_host };

struct EstateResult {
    EstateStatus status = EstateStatus::ok;
    std::string message;
    Estate estate;
    bool ok() const { return status == EstateStatus::ok; }
};

EstateResult load_estate(const EstateRequest& req);

/// Resolves the given features (all when empty) for a loaded estate.
std::vector<Decision> decide(const Estate& e, const std::vector<const Feature*>& which = {});

}  // namespace comredir::policy
