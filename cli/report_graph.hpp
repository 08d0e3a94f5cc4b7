#pragma once
// `report --resource-graph`: the options and the query (Azure Resource Graph host pools).

#include <CLI/CLI.hpp>
#include <comredir/policy/report/fleet.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arm_options.hpp"

namespace comredir::cli {

struct GraphOptions {
    bool resource_graph = false;
    std::vector<std::string> subscriptions;
    std::vector<std::string> management_groups;
    ArmConnection connection;
};

void add_graph_options(CLI::App& app, GraphOptions& o);

/// Checks the options (exit_usage), gets the token and runs the query. nullopt with `exit`
/// set after printing the error: bad options, no token, or no page could be read at all. A
/// result read in part is returned, marked partial.
std::optional<policy::FleetGraph> query_graph(const GraphOptions& o, int& exit);

/// Options that only mean something with --resource-graph, given without it: the first, or
/// empty.
std::string graph_option_without_graph(const CLI::App& app, const GraphOptions& o);

}  // namespace comredir::cli
