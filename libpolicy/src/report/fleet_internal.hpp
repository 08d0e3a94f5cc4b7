#pragma once
// Pieces of load_fleet shared by its two sources (fleet.cpp: the config's hosts;
// fleet_graph.cpp: Azure Resource Graph's host pools).

#include <comredir/policy/report/fleet.hpp>

namespace comredir::policy::detail {

/// One host loaded and decided as `effective` would, its decisions picked for `req.features`.
FleetHost load_fleet_host(const std::string& name, const EstateRequest& r,
                          const EstateInputs& inputs, const FleetRequest& req);

/// load_fleet for a request with a graph.
Fleet load_graph_fleet(const FleetRequest& req);

}  // namespace comredir::policy::detail
