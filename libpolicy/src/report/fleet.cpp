#include <comredir/policy/report/fleet.hpp>

#include "io/text.hpp"
#include "report/fleet_internal.hpp"

namespace comredir::policy {

FleetHost detail::load_fleet_host(const std::string& name, const EstateRequest& r,
                                  const EstateInputs& inputs, const FleetRequest& req) {
    EstateResult loaded = load_estate(r, inputs);
    FleetHost h;
    h.name = name;
    h.loaded = loaded.ok();
    h.message = loaded.message;
    h.os_unknown = r.os_unknown.has_value();
    if (h.loaded) {
        h.decisions = pick_decisions(std::move(loaded.decisions), req.features);
        h.estate = std::move(loaded.estate);
    }
    return h;
}

Fleet load_fleet(const FleetRequest& req) {
    if (req.graph) return detail::load_graph_fleet(req);
    Fleet fleet;
    fleet.config_path = req.config_path;
    for (const Feature* f : req.features) fleet.features.emplace_back(f->id);
    EstateRequest base;
    base.config_path = req.config_path;
    EstateInputs inputs;
    if (auto read = read_estate_inputs(base, inputs); !read.ok()) {
        fleet.message = read.message;
        return fleet;
    }
    std::vector<std::string> names = req.hosts;
    if (names.empty()) {
        for (const auto& [name, host] : inputs.config.hosts) names.push_back(name);
    }
    fleet.hosts.reserve(names.size());
    for (const auto& name : names) {
        EstateRequest r = base;
        r.host = name;
        fleet.hosts.push_back(detail::load_fleet_host(name, r, inputs, req));
        if (req.progress) req.progress(fleet.hosts.size(), names.size());
    }
    fleet.ok = true;
    return fleet;
}

namespace {

bool is_baseline(const FleetHost& h, const std::string& baseline) {
    return h.loaded &&
           (detail::iequals(h.estate.host_pool, baseline) || detail::iequals(h.name, baseline));
}

}  // namespace

Drift compute_drift(const Fleet& fleet, const std::string& baseline) {
    Drift d;
    d.baseline = baseline;
    const FleetHost* base = nullptr;
    for (const auto& h : fleet.hosts) {
        if (is_baseline(h, baseline) && (base == nullptr || h.estate.host_pool_file)) base = &h;
    }
    if (base != nullptr &&
        (!has_host_pool_layer(base->estate.product) || !base->estate.host_pool_src.present)) {
        d.message =
            "baseline `" + baseline + "` (host `" + base->name + "`) has no host-pool layer";
        return d;
    }
    if (base == nullptr) {
        d.message = "baseline `" + baseline + "` is no host or host pool of the report";
        return d;
    }
    if (!base->estate.host_pool_file) {
        d.message = "baseline `" + baseline + "`: its host pool properties could not be read";
        return d;
    }
    d.baseline_host = base->name;
    for (const auto& h : fleet.hosts) {
        if (&h == base) continue;
        HostDrift hd;
        hd.host = h.name;
        hd.host_pool = h.estate.host_pool;
        if (!h.loaded) {
            hd.note = h.message;
        } else if (!has_host_pool_layer(h.estate.product) || !h.estate.host_pool_src.present) {
            hd.note = "product `" + std::string(to_string(h.estate.product)) +
                      "`: no host-pool layer here";
        } else if (!h.estate.host_pool_file) {
            hd.note = "its host pool properties could not be read";
        } else {
            hd.compared = true;
            hd.differences =
                diff_properties(base->estate.host_pool_file.get(), h.estate.host_pool_file.get());
        }
        d.hosts.push_back(std::move(hd));
    }
    d.ok = true;
    return d;
}

}  // namespace comredir::policy
