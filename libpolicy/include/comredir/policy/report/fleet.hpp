#pragma once
// A fleet: every host of a config (or those asked for) resolved with the same code as
// `effective`, the config and host pool store read once; and the drift of each host pool's
// RDP properties from a baseline pool's.

#include <comredir/policy/hostpool/resource_graph.hpp>
#include <comredir/policy/rdp/rdp_diff.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace comredir::policy {

/// Host pools found in Azure Resource Graph, and how the query went.
struct FleetGraph {
    std::string endpoint;
    std::vector<std::string> subscriptions;
    std::vector<std::string> management_groups;
    GraphResult result;  ///< not ok or partial: the report says some pools may be missing
};

struct FleetRequest {
    std::string config_path;  ///< empty: no config (with `graph` only: every OS layer unknown)
    /// The report's hosts are the graph's host pools: each config host naming a pool (by name
    /// or ARM id) is reported with that pool's properties; a pool no config host names is
    /// reported by itself with its OS layer unknown.
    std::optional<FleetGraph> graph;
    std::vector<std::string> hosts;        ///< empty: every host of the config (or pool of the
                                           ///< graph), by name
    std::vector<const Feature*> features;  ///< empty: each host's product's features
    /// After each host: (hosts done, hosts in all).
    std::function<void(std::size_t, std::size_t)> progress;
};

struct FleetHost {
    std::string name;
    bool loaded = false;  ///< false: `message` says why (an unknown host); every feature errs
    std::string message;
    bool os_unknown = false;   ///< a graph pool no config host names: its OS layer is unknown
    std::string host_pool_id;  ///< from the graph: the pool's ARM resource id
    Estate estate;
    std::vector<Decision> decisions;
};

struct Fleet {
    bool ok = false;
    std::string message;  ///< the config cannot be read
    std::string config_path;
    std::vector<std::string> features;  ///< the ids asked for; empty: each product's own
    std::vector<FleetHost> hosts;
    std::optional<FleetGraph> graph;  ///< the Resource Graph source, as queried
    std::vector<std::string> notes;   ///< about the fleet (config hosts no graph pool matched)
};

Fleet load_fleet(const FleetRequest& req);

struct HostDrift {
    std::string host;
    std::string host_pool;
    bool compared = false;  ///< false: `note` says why (no host-pool layer, unreadable)
    std::string note;
    std::vector<PropertyDifference> differences;
};

struct Drift {
    bool ok = false;
    std::string message;           ///< the baseline is not a host or host pool of the fleet
    std::string baseline;          ///< as asked
    std::string baseline_host;     ///< the host whose pool is the baseline
    std::vector<HostDrift> hosts;  ///< every other host, in the fleet's order
};

/// Each host pool's properties against `baseline`'s (a host pool name, or a host's name).
Drift compute_drift(const Fleet& fleet, const std::string& baseline);

}  // namespace comredir::policy
