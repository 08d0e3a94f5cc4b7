#pragma once
// Loading an estate: every source of every layer for one host, read with the
// readers, each failure kept with its layer (that layer then fails closed).

#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/resolve/config.hpp>
#include <comredir/policy/resolve/decision.hpp>
#include <comredir/policy/resolve/layers.hpp>
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
    /// Settings the client announced over the connection, as a property string (the
    /// redirector: a client that announces a serial port over rdpdr redirects COM ports).
    /// Provenance source `client-announce`; used when `client_props` is not given.
    std::optional<std::string> client_announce;
    std::optional<Product> product;
    std::optional<ClientOs> client_os;
    bool mdm_wins = false;
    std::optional<std::string> port;  ///< OsSources::port_name (`effective --port`)
    /// The OS layer is not known (a host pool found in Azure that no host of the config
    /// names): it fails closed with this reason, said as its source; not an input error.
    std::optional<std::string> os_unknown;
};

/// One source as read, for the report.
struct SourceReport {
    LayerId layer;
    std::string kind;  ///< `gpo`, `registry.pol`, `reg`, `intune`, `hostpool`, `rdp`,
                       ///< `client-props`, `client-announce`, `config`
    std::string path;  ///< file (or host pool name)
    std::string name;  ///< GPO display name / host pool / policy name
    std::string guid;  ///< GPO GUID
    bool ok = true;
    std::string message;  ///< error when !ok
};

/// An input that cannot be used: an unreadable source, or a readable one holding a value that
/// is invalid for a feature (a REG_SZ `fDisableCcm`, `redirectcomports:i:7`).
struct InputError {
    std::string message;  ///< one line naming the file and the offset or line (and the value)
    LayerId layer = LayerId::os_policy;
    /// An invalid value: the features it fails closed in `layer`, in catalog order.
    /// Empty: the source is unreadable and the whole layer fails closed.
    std::vector<std::string> features;
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
    std::vector<InputError> input_errors;  ///< unreadable / invalid inputs (exit 3)
};

enum class EstateStatus { ok, config_error, unknown_host };

struct EstateResult {
    EstateStatus status = EstateStatus::ok;
    std::string message;
    Estate estate;
    /// Every feature's decision for the estate as read, in catalog order: the resolution
    /// that found the invalid values. Take them with pick_decisions instead of deciding
    /// again; an estate changed afterwards (what-if) needs decide().
    std::vector<Decision> decisions;
    bool ok() const { return status == EstateStatus::ok; }
};

/// Reads every source. A host that is in no config and not in the host pool store is an error
/// (unknown_host) unless the store cannot be read: then the host is taken as a host pool name and
/// the host-pool layer fails closed. After reading, every feature is resolved once: each value
/// that fails a feature closed although its source was read becomes an InputError too.
EstateResult load_estate(const EstateRequest& req);

/// What many hosts of one config share, read once (a fleet report): the config and the host
/// pool store. A store that cannot be read is kept as read: each host's host-pool layer
/// then fails closed.
enum class HostPoolOrigin {
    store,           ///< a host pool store file: places are `FILE: line N`
    resource_graph,  ///< pools from Azure Resource Graph: places are the pools' ARM ids
};

struct EstateInputs {
    Config config;
    std::string store_path;  ///< the store file, or a label naming where the pools came from
    std::optional<HostPoolStoreResult> store;
    HostPoolOrigin origin = HostPoolOrigin::store;
};
/// Reads `req`'s config (config_error when it cannot be read) and store into `inputs`.
EstateResult read_estate_inputs(const EstateRequest& req, EstateInputs& inputs);
/// load_estate for `req.host` with the config and store already read; `req.config_path`
/// only names the config in messages.
EstateResult load_estate(const EstateRequest& req, const EstateInputs& inputs);

/// Resolves the given features (all when empty) for a loaded estate.
std::vector<Decision> decide(const Estate& e, const std::vector<const Feature*>& which = {});
/// The decisions of `which`, in its order, out of every feature's (`all`, as
/// EstateResult::decisions holds them; moved in, so taking all copies nothing). `which`
/// empty: every feature that exists on the estate's product (catalog `applies_to`); one
/// named explicitly is decided on any product (elsewhere the platform layer denies it).
std::vector<Decision> pick_decisions(std::vector<Decision> all,
                                     const std::vector<const Feature*>& which);

}  // namespace comredir::policy
