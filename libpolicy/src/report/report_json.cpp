#include <algorithm>
#include <comredir/policy/report/report_json.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <nlohmann/json.hpp>
#include <set>

namespace comredir::policy {

namespace {

using nlohmann::json;

const LayerOutcome* layer_of(const Decision& d, LayerId id) {
    for (const auto& l : d.layers)
        if (l.layer == id) return &l;
    return nullptr;
}

/// A decision of a host whose OS layer is unknown, told as what it is: denied by a layer that
/// denies whatever the OS policy says, or unknown (denied until the OS policy is known).
void tell_os_unknown(const Decision& d, const std::string& status, json& j) {
    const LayerOutcome* os = layer_of(d, LayerId::os_policy);
    const std::string why = os == nullptr ? std::string() : os->error;
    j["overrode"] = json::array();
    j["conflicts"] = json::array();
    if (status == "unknown") {
        j["decidedBy"] = std::string(to_string(LayerId::os_policy));
        j["byDefault"] = false;
        j["setting"] = why;
        j["reason"] =
            "unknown: no other layer denies, so the OS policy decides, and it is not "
            "known (denied until it is): " +
            why;
        return;
    }
    for (const auto& l : d.layers) {
        if (l.configured == State::error || l.applied != State::deny) continue;
        j["decidedBy"] = std::string(to_string(l.layer));
        j["byDefault"] = l.from_default;
        j["setting"] = describe(l.where);
        j["reason"] = std::string(to_string(l.layer)) + ": " + describe(l.where) +
                      " denies whatever the OS policy says (" + why + ")";
        return;
    }
}

json decision_json(const Decision& d, bool os_unknown) {
    json j;
    j["feature"] = d.feature;
    j["title"] = d.title;
    j["status"] = decision_status(d, os_unknown);
    j["value"] = effective_text(d);
    j["decidedBy"] = std::string(to_string(d.decided_by));
    j["byDefault"] = d.decided_by_default;
    const LayerOutcome* win = layer_of(d, d.decided_by);
    j["setting"] = win == nullptr                    ? std::string()
                   : win->configured == State::error ? "error: " + win->error
                                                     : describe(win->where);
    j["overrode"] = json::array();
    for (auto id : d.overrode) {
        const LayerOutcome* l = layer_of(d, id);
        j["overrode"].push_back({{"layer", std::string(to_string(id))},
                                 {"setting", l == nullptr ? std::string() : describe(l->where)}});
    }
    j["conflicts"] = json::array();
    if (win != nullptr)
        for (const auto& c : win->conflicts) j["conflicts"].push_back(describe_short(*win, c));
    j["reason"] = reason(d);
    j["notes"] = d.notes;
    j["errors"] = d.errors;
    if (os_unknown && j["status"] != "error") tell_os_unknown(d, j["status"], j);
    return j;
}

json host_json(const FleetHost& h) {
    json j;
    j["host"] = h.name;
    j["loaded"] = h.loaded;
    j["osUnknown"] = h.os_unknown;
    if (!h.host_pool_id.empty()) j["hostPoolId"] = h.host_pool_id;
    if (!h.loaded) {
        j["error"] = h.message;
        j["decisions"] = json::array();
        return j;
    }
    const Estate& e = h.estate;
    j["hostPool"] = e.host_pool;
    j["product"] = std::string(to_string(e.product));
    j["clientOs"] = std::string(to_string(e.client_os));
    j["sources"] = json::array();
    for (const auto& s : e.sources) {
        json sj{{"layer", std::string(to_string(s.layer))},
                {"kind", s.kind},
                {"path", s.path},
                {"ok", s.ok}};
        if (!s.name.empty()) sj["name"] = s.name;
        if (!s.guid.empty()) sj["guid"] = s.guid;
        if (!s.ok) sj["error"] = s.message;
        j["sources"].push_back(std::move(sj));
    }
    j["notes"] = e.notes;
    j["inputErrors"] = json::array();
    for (const auto& err : e.input_errors) j["inputErrors"].push_back(err.message);
    j["decisions"] = json::array();
    for (const auto& d : h.decisions) j["decisions"].push_back(decision_json(d, h.os_unknown));
    return j;
}

json drift_json(const Drift& d) {
    json j{{"baseline", d.baseline}, {"ok", d.ok}};
    if (!d.ok) {
        j["error"] = d.message;
        return j;
    }
    j["baselineHost"] = d.baseline_host;
    j["hosts"] = json::array();
    for (const auto& h : d.hosts) {
        json hj{{"host", h.host}, {"hostPool", h.host_pool}, {"compared", h.compared}};
        if (!h.note.empty()) hj["note"] = h.note;
        hj["differences"] = json::array();
        for (const auto& p : h.differences) {
            hj["differences"].push_back({{"property", p.name},
                                         {"baseline", p.baseline ? json(*p.baseline) : json()},
                                         {"value", p.value ? json(*p.value) : json()}});
        }
        j["hosts"].push_back(std::move(hj));
    }
    return j;
}

}  // namespace

std::string decision_status(const Decision& d, bool os_unknown) {
    if (os_unknown) {
        // The OS layer (and the platform policy read from the same sources) fails closed
        // because it is unknown; what the other layers say still counts.
        const auto from_os = [](const LayerOutcome& l) {
            return l.layer == LayerId::os_policy || l.layer == LayerId::platform;
        };
        bool denied = false;
        for (const auto& l : d.layers) {
            if (l.configured == State::error && !from_os(l)) return "error";
            denied = denied || (l.configured != State::error && l.applied == State::deny);
        }
        return denied ? "deny" : "unknown";
    }
    if (!d.errors.empty()) return "error";
    if (const LayerOutcome* win = layer_of(d, d.decided_by);
        win != nullptr && win->configured == State::error)
        return "error";
    return d.effective == State::allow ? "allow" : "deny";
}

std::string matrix_status(const json& host, std::string_view feature) {
    if (!host.value("loaded", false)) return "error";
    for (const auto& d : host["decisions"])
        if (d.value("feature", "") == feature) return d.value("status", "");
    return "";
}

json report_json(const Fleet& fleet, const Drift* drift, const std::string& generated) {
    json j;
    j["schemaVersion"] = kReportSchemaVersion;
    j["generated"] = generated;
    j["sources"] = json::array();
    if (!fleet.config_path.empty())
        j["sources"].push_back({{"kind", "config"}, {"path", fleet.config_path}});
    bool partial = false;
    json errors = json::array();
    if (fleet.graph) {
        const GraphResult& g = fleet.graph->result;
        partial = !g.ok() || g.partial;
        json gj{{"kind", "resource-graph"},
                {"endpoint", fleet.graph->endpoint},
                {"subscriptions", fleet.graph->subscriptions},
                {"managementGroups", fleet.graph->management_groups},
                {"ok", g.ok()},
                {"partial", partial},
                {"hostPools", g.pools.size()},
                {"pages", g.pages},
                {"requests", g.attempts}};
        if (!g.message.empty()) gj["message"] = g.message;
        if (g.duplicates > 0) gj["duplicatesDropped"] = g.duplicates;
        j["sources"].push_back(std::move(gj));
        if (partial)
            errors.push_back("Azure Resource Graph: " + (g.message.empty()
                                                             ? std::string("the result is partial")
                                                             : g.message));
    }
    // Features: those asked for, and every one any host decided, in catalog order.
    std::set<std::string, std::less<>> decided(fleet.features.begin(), fleet.features.end());
    for (const auto& h : fleet.hosts)
        for (const auto& d : h.decisions) decided.insert(d.feature);
    j["features"] = json::array();
    for (const auto& f : features())
        if (decided.contains(f.id))
            j["features"].push_back({{"id", std::string(f.id)}, {"title", std::string(f.title)}});
    json counts = json::object();
    for (const auto& f : j["features"])
        counts[f["id"].get<std::string>()] = {
            {"allow", 0}, {"deny", 0}, {"error", 0}, {"unknown", 0}};
    std::size_t hosts_with_errors = 0;
    j["hosts"] = json::array();
    for (const auto& h : fleet.hosts) {
        json hj = host_json(h);
        bool erred = !h.loaded || !hj["inputErrors"].empty();
        if (!h.loaded) errors.push_back(h.name + ": " + h.message);
        for (const auto& m : hj.value("inputErrors", json::array()))
            errors.push_back(h.name + ": " + m.get<std::string>());
        for (const auto& d : hj["decisions"]) {
            const std::string status = d["status"];
            counts[d["feature"].get<std::string>()][status] =
                counts[d["feature"].get<std::string>()][status].get<int>() + 1;
            erred = erred || status == "error";
        }
        if (!h.loaded)
            for (auto& [id, c] : counts.items()) c["error"] = c["error"].get<int>() + 1;
        hosts_with_errors += erred ? 1 : 0;
        j["hosts"].push_back(std::move(hj));
    }
    j["summary"] = {{"hosts", fleet.hosts.size()},
                    {"hostsWithErrors", hosts_with_errors},
                    {"partial", partial},
                    {"features", counts},
                    {"errors", errors},
                    {"notes", fleet.notes}};
    j["baseline"] = drift == nullptr ? json() : drift_json(*drift);
    return j;
}

}  // namespace comredir::policy
