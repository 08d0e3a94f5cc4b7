// `report --resource-graph`: Azure Resource Graph's host pools for the fleet report.
#include "report_graph.hpp"

#include <chrono>
#include <comredir/policy/hostpool/arm.hpp>
#include <comredir/policy/hostpool/resource_graph.hpp>
#include <iostream>

#include "command.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace comredir::cli {

namespace pol = comredir::policy;

void add_graph_options(CLI::App& app, GraphOptions& o) {
    app.add_flag("--resource-graph", o.resource_graph,
                 "report every Azure host pool of the scope (Azure Resource Graph, api "
                 "2024-04-01); the config, if any, gives the OS layer of the pools its hosts name");
    app.add_option("--subscription", o.subscriptions,
                   "--resource-graph: subscription id (repeatable)")
        ->type_name("ID");
    app.add_option("--management-group", o.management_groups,
                   "--resource-graph: management group id (repeatable; instead of --subscription)")
        ->type_name("ID");
    add_arm_connection_options(app, o.connection, "--resource-graph");
}

std::string graph_option_without_graph(const CLI::App& app, const GraphOptions& o) {
    if (o.resource_graph) return "";
    for (const char* name : {"--subscription", "--management-group", "--arm-endpoint", "--ca-file",
                             "--timeout", "--verbose"})
        if (app.count(name) > 0) return name;
    return "";
}

std::optional<pol::FleetGraph> query_graph(const GraphOptions& o, int& exit) {
    exit = exit_usage;
    if (o.subscriptions.empty() == o.management_groups.empty()) {
        print_error(
            "--resource-graph needs --subscription ID (repeatable) or --management-group ID, not "
            "both");
        return std::nullopt;
    }
    const auto token = arm_connection_token(o.connection, exit);
    if (!token) return std::nullopt;
    exit = exit_input;
    pol::FleetGraph g;
    g.endpoint = o.connection.endpoint;
    g.subscriptions = o.subscriptions;
    g.management_groups = o.management_groups;
    pol::GraphRequest req;
    req.endpoint = o.connection.endpoint;
    req.subscriptions = o.subscriptions;
    req.management_groups = o.management_groups;
    const auto http = pol::make_curl_client({o.connection.ca_file});
    std::function<void(const std::string&)> verbose;
    if (o.connection.verbose)
        verbose = [](const std::string& line) { std::cerr << "resource-graph: " << line << '\n'; };
    {
        Progress progress("querying Azure Resource Graph: host pools");
        req.on_page = [&progress](std::size_t rows, std::uint64_t total) {
            progress(rows, static_cast<std::size_t>(total));
        };
        g.result =
            pol::query_host_pools(*http, req, *token, {}, verbose, o.connection.timeout_ms());
    }
    if (!g.result.ok() && !g.result.partial) {
        print_error(g.result.message);
        return std::nullopt;
    }
    exit = exit_ok;
    return g;
}

}  // namespace comredir::cli
