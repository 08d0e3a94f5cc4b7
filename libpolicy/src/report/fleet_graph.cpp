// load_fleet with Azure Resource Graph as the host-pool source: the graph's pools are the
// host pool store; config hosts naming a pool bring their OS and client layers to it; a
// pool no config host names is reported with its OS layer unknown (fleet.hpp).
#include <algorithm>
#include <comredir/policy/report/fleet.hpp>
#include <unordered_map>

#include "io/text.hpp"
#include "report/fleet_internal.hpp"

namespace comredir::policy {

namespace {

struct Row {
    std::string name;          ///< the host asked of load_estate
    std::size_t pool = 0;      ///< index in the graph's pools
    bool from_config = false;  ///< a config host (else the pool alone: OS layer unknown)
};

/// Where each config host's pool is: an index, or why not.
struct Matching {
    std::vector<std::vector<std::string>> attached;  ///< per pool: the config hosts naming it
    std::vector<FleetHost> ambiguous;                ///< hosts whose pool name is not unique
    std::vector<std::string> unmatched;              ///< hosts naming no pool of the graph
};

Matching match_config_hosts(const Config& cfg, const std::vector<GraphPool>& pools) {
    std::unordered_map<std::string, std::size_t> by_id;
    std::unordered_map<std::string, std::vector<std::size_t>> by_name;
    for (std::size_t i = 0; i < pools.size(); ++i) {
        by_id.emplace(detail::ascii_lower(pools[i].id), i);
        by_name[detail::ascii_lower(pools[i].name)].push_back(i);
    }
    Matching m;
    m.attached.resize(pools.size());
    for (const auto& [name, host] : cfg.hosts) {
        const Product product = host.product.value_or(cfg.default_product.value_or(Product::avd));
        if (!has_host_pool_layer(product)) continue;  // no pool to match: not reported
        const std::string key = detail::ascii_lower(host.host_pool);
        if (const auto it = by_id.find(key); it != by_id.end()) {
            m.attached[it->second].push_back(name);
            continue;
        }
        const auto it = by_name.find(key);
        if (it == by_name.end()) {
            m.unmatched.push_back(name);
        } else if (it->second.size() == 1) {
            m.attached[it->second.front()].push_back(name);
        } else {
            FleetHost h;
            h.name = name;
            h.message = "host pool `" + host.host_pool + "` names " +
                        std::to_string(it->second.size()) +
                        " host pools in Azure Resource Graph (" + pools[it->second[0]].id + ", " +
                        pools[it->second[1]].id + (it->second.size() > 2 ? ", ..." : "") +
                        "): write the pool's ARM id as the host's `hostPool`";
            m.ambiguous.push_back(std::move(h));
        }
    }
    return m;
}

bool asked_for(const FleetRequest& req, const std::string& row, const GraphPool* pool) {
    if (req.hosts.empty()) return true;
    for (const auto& a : req.hosts) {
        if (detail::iequals(a, row)) return true;
        if (pool != nullptr && (detail::iequals(a, pool->name) || detail::iequals(a, pool->id)))
            return true;
    }
    return false;
}

}  // namespace

Fleet detail::load_graph_fleet(const FleetRequest& req) {
    Fleet fleet;
    fleet.config_path = req.config_path;
    fleet.graph = req.graph;
    for (const Feature* f : req.features) fleet.features.emplace_back(f->id);
    EstateRequest base;
    if (!req.config_path.empty()) base.config_path = req.config_path;
    EstateInputs inputs;
    if (auto read = read_estate_inputs(base, inputs); !read.ok()) {
        fleet.message = read.message;
        return fleet;
    }
    const std::vector<GraphPool>& pools = req.graph->result.pools;
    Matching m = match_config_hosts(inputs.config, pools);

    // Each pool's name in the store: its name, unless another pool has the same name or a
    // config host of that name is not this pool's (then load_estate would take that host's
    // layers): then its ARM id.
    std::unordered_map<std::string, std::size_t> name_count;
    for (const auto& p : pools) ++name_count[detail::ascii_lower(p.name)];
    HostPoolStoreResult store;
    std::vector<Row> rows;
    for (std::size_t i = 0; i < pools.size(); ++i) {
        const GraphPool& p = pools[i];
        const bool own_host =
            std::find(m.attached[i].begin(), m.attached[i].end(), p.name) != m.attached[i].end();
        const bool clash = inputs.config.hosts.contains(p.name) && !own_host;
        const std::string key =
            name_count[detail::ascii_lower(p.name)] == 1 && !clash ? p.name : p.id;
        store.store.pools.push_back(
            {key, "avd", p.friendly_name, p.custom_rdp_property.value_or(""), p.id, 0, {}});
        for (const auto& host : m.attached[i]) {
            inputs.config.hosts[host].host_pool = key;
            inputs.config.hosts[host].host_pool_given = true;
            rows.push_back({host, i, true});
        }
        if (m.attached[i].empty()) rows.push_back({key, i, false});
    }
    inputs.store = std::move(store);
    inputs.store_path = "Azure Resource Graph";
    inputs.origin = HostPoolOrigin::resource_graph;
    if (!m.unmatched.empty()) {
        std::string names;
        for (const auto& n : m.unmatched) names += (names.empty() ? "`" : ", `") + n + "`";
        fleet.notes.push_back(
            "config host(s) whose host pool Azure Resource Graph did not return, not reported: " +
            names);
    }

    std::vector<FleetHost> ambiguous;
    for (auto& h : m.ambiguous)
        if (asked_for(req, h.name, nullptr)) ambiguous.push_back(std::move(h));
    std::erase_if(rows, [&](const Row& r) { return !asked_for(req, r.name, &pools[r.pool]); });
    std::vector<std::string> missing;
    for (const auto& a : req.hosts) {
        const bool found = std::any_of(rows.begin(), rows.end(),
                                       [&](const Row& r) {
                                           return detail::iequals(a, r.name) ||
                                                  detail::iequals(a, pools[r.pool].name) ||
                                                  detail::iequals(a, pools[r.pool].id);
                                       }) ||
                           std::any_of(ambiguous.begin(), ambiguous.end(), [&](const FleetHost& h) {
                               return detail::iequals(a, h.name);
                           });
        if (!found) missing.push_back(a);
    }
    const std::size_t total = rows.size() + ambiguous.size() + missing.size();
    fleet.hosts.reserve(total);
    auto progress = [&] {
        if (req.progress) req.progress(fleet.hosts.size(), total);
    };
    for (const Row& row : rows) {
        const GraphPool& p = pools[row.pool];
        EstateRequest r = base;
        r.host = row.name;
        if (!row.from_config)
            r.os_unknown =
                "OS policy unknown: " +
                (req.config_path.empty() ? std::string("no config given")
                                         : "no host of config `" + req.config_path +
                                               "` names host pool `" + p.name + "`") +
                " (Azure Resource Graph holds the host pool's RDP properties, not the session "
                "hosts' Group Policy or Intune settings)";
        FleetHost h = detail::load_fleet_host(row.name, r, inputs, req);
        h.host_pool_id = p.id;
        fleet.hosts.push_back(std::move(h));
        progress();
    }
    for (auto& h : ambiguous) {
        fleet.hosts.push_back(std::move(h));
        progress();
    }
    for (const auto& a : missing) {
        FleetHost h;
        h.name = a;
        h.message = "`" + a + "` is no host of the config whose host pool Azure Resource Graph " +
                    "returned, nor a host pool it returned";
        fleet.hosts.push_back(std::move(h));
        progress();
    }
    fleet.ok = true;
    return fleet;
}

}  // namespace comredir::policy
