// `comredir-policy report`: every host of the config resolved at once, as a self-contained
// HTML report, JSON, or a matrix on the terminal.
#include <chrono>
#include <comredir/policy/io/safe_write.hpp>
#include <comredir/policy/report/report_html.hpp>
#include <comredir/policy/report/report_json.hpp>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "report_graph.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

using namespace comredir::policy;

struct ReportOptions {
    std::optional<std::string> config;
    std::vector<std::string> hosts;
    std::vector<std::string> features;
    std::optional<std::string> baseline;
    std::optional<std::string> html;
    std::optional<std::string> json;
    bool fail_on_deny = false;
    GraphOptions graph;
};

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool write_out(const std::string& path, const std::string& text) {
    if (path == "-") {
        std::cout << text;
        return true;
    }
    const auto r =
        write_file_atomic(path, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    if (!r.ok) print_error(r.message);
    return r.ok;
}

void print_matrix(const nlohmann::json& r) {
    std::vector<std::string> head{"HOST"};
    for (const auto& f : r["features"]) head.push_back(f["id"].get<std::string>());
    Table t(head);
    for (const auto& h : r["hosts"]) {
        std::vector<std::string> row{h["host"].get<std::string>()};
        for (const auto& f : r["features"]) {
            const std::string status = matrix_status(h, f["id"].get<std::string>());
            row.push_back(status.empty() ? "n/a" : status);
        }
        t.add(row);
    }
    t.print(std::cout);
}

int run(const CLI::App& app, const ReportOptions& o) {
    FleetRequest req;
    if (const auto stray = graph_option_without_graph(app, o.graph); !stray.empty()) {
        print_error(stray + " is for --resource-graph, which was not given");
        return exit_usage;
    }
    const auto config = find_config(o.config);
    if (!config && !o.graph.resource_graph) {
        print_error("report needs a config file (looked in: " + join(config_search_path(), ", ") +
                    "; pass --config FILE)");
        return exit_input;
    }
    req.config_path = config.value_or("");
    req.hosts = o.hosts;
    if (!o.features.empty()) {
        auto chosen = resolve_features(o.features);
        if (!chosen) return exit_usage;
        req.features = *chosen;
    }
    if (o.graph.resource_graph) {
        int exit = exit_ok;
        req.graph = query_graph(o.graph, exit);
        if (!req.graph) return exit;
    }
    Fleet fleet;
    {
        Progress progress("resolving hosts");
        req.progress = [&progress](std::size_t done, std::size_t total) { progress(done, total); };
        fleet = load_fleet(req);
    }
    if (!fleet.ok) {
        print_error(fleet.message);
        return exit_input;
    }
    std::optional<Drift> drift;
    if (o.baseline) {
        drift = compute_drift(fleet, *o.baseline);
        if (!drift->ok) {
            print_error(drift->message);
            return exit_usage;
        }
    }
    const nlohmann::json report = report_json(fleet, drift ? &*drift : nullptr, utc_now());
    if (o.json && !write_out(*o.json, report.dump(2) + "\n")) return exit_input;
    if (o.html && !write_out(*o.html, report_html(report))) return exit_input;
    if (!o.json && !o.html) {
        const auto& s = report["summary"];
        std::cout << s["hosts"].get<std::size_t>() << " host(s), "
                  << s["hostsWithErrors"].get<std::size_t>() << " with errors; "
                  << (fleet.config_path.empty() ? std::string("no config")
                                                : "config `" + fleet.config_path + "`");
        if (fleet.graph)
            std::cout << "; Azure Resource Graph: " << fleet.graph->result.pools.size()
                      << " host pools" << (s["partial"].get<bool>() ? " (partial)" : "");
        std::cout << "\n\n";
        print_matrix(report);
        for (const auto& n : s["notes"]) std::cout << "\nnote: " << n.get<std::string>() << "\n";
        if (drift) {
            std::cout << "\ndrift from baseline `" << drift->baseline << "` (host `"
                      << drift->baseline_host << "`):\n";
            Table t({"HOST", "PROPERTY", "BASELINE", "THIS POOL"});
            for (const auto& h : drift->hosts) {
                if (!h.compared) t.add({h.host, "-", "-", "not compared: " + h.note});
                for (const auto& d : h.differences)
                    t.add({h.host, d.name, d.baseline.value_or("not set"),
                           d.value.value_or("not set")});
            }
            t.print(std::cout, "  ");
        }
    }
    int code = exit_ok;
    for (const auto& e : report["summary"]["errors"]) {
        print_error(e.get<std::string>());
        code = exit_input;
    }
    if (code == exit_ok && o.fail_on_deny) {
        for (const auto& h : report["hosts"])
            for (const auto& d : h["decisions"])
                if (d["status"] != "allow") return exit_denied;
    }
    return code;
}

}  // namespace

std::vector<Command> add_report(CLI::App& root) {
    auto o = std::make_shared<ReportOptions>();
    CLI::App* app = root.add_subcommand(
        "report",
        "resolve every host of the config (or every Azure host pool) at once, as `effective` does "
        "for one, and write a fleet report: a self-contained HTML file, JSON, or a matrix on the "
        "terminal");
    app->footer(R"(The HTML report (--html) is one file with no external resource: a summary (when,
which sources, how many hosts deny each feature, errors), the fleet matrix (hosts x features:
allow / deny / error / unknown), the drift from a baseline pool, and per host the sources
applied in order and each decision with its winning layer and setting and what it overrode.
--json holds the same data (schema: docs/report.schema.json). `-` writes to standard output.
Files are replaced safely (temporary file, fsync, rename).

--baseline POOL compares every host pool's RDP properties (customRdpProperty) with POOL's,
property by property.

Azure (--resource-graph --subscription ID... | --management-group ID...): every
Microsoft.DesktopVirtualization/hostPools resource of the scope, from one Azure Resource Graph
query (pages of 1000 followed with $skipToken; 429 and 5xx retried, honouring Retry-After and
x-ms-user-quota-resets-after). Each config host whose `hostPool` names a pool (by name or ARM
id) is reported with its OS and client layers and that pool's customRdpProperty; a pool no
config host names is reported alone, its OS layer unknown: `unknown` (denied until known)
unless another layer denies. The token is COMREDIR_ARM_TOKEN, else `az account
get-access-token`; it never appears in any output.

exit codes: 0 written, 2 usage (an unknown feature or baseline, a --resource-graph option
  without it), 3 the config cannot be read, an output cannot be written, a host's source is
  unreadable or invalid (the report is still written, the error in it), Azure Resource Graph
  failed (nothing written) or answered in part (written, marked partial), 4 with
  --fail-on-deny and any decision not allow (unknown included).

examples:
  comredir-policy report --config examples/comredir.json
  comredir-policy report --config examples/comredir.json --html report.html --json report.json
  comredir-policy report --host pool1 --host lab --feature com_ports --baseline pool1
  comredir-policy report --resource-graph --subscription $SUB --config examples/comredir.json \
      --html fleet.html)");
    app->add_option("--config", o->config,
                    "config file (search order as for `effective`; optional with --resource-graph)")
        ->check(CLI::ExistingFile);
    app->add_option("--host", o->hosts,
                    "a host of the config, or with --resource-graph a host pool name or ARM id "
                    "(repeatable; default: every one)");
    app->add_option("--feature", o->features,
                    "feature id (repeatable) or `all` (default: each host's product's features)");
    app->add_option("--baseline", o->baseline, "host pool (or host) to compare the others with")
        ->type_name("POOL");
    app->add_option("--html", o->html, "write the HTML report here (`-`: standard output)")
        ->type_name("FILE");
    app->add_option("--json", o->json, "write the JSON report here (`-`: standard output)")
        ->type_name("FILE");
    app->add_flag("--fail-on-deny", o->fail_on_deny, "exit 4 when any decision is not allow");
    add_graph_options(*app, o->graph);
    return {Command{app, [app, o] { return run(*app, *o); }}};
}

}  // namespace comredir::cli
