#include <algorithm>
#include <comredir/policy/report/report_json.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <nlohmann/json.hpp>

namespace comredir::policy {

namespace {

using nlohmann::json;

const LayerOutcome* layer_of(const Decision& d, LayerId id) {
    for (const auto& l : d.layers)
        if (l.layer == id) return &l;
    return nullptr;
}

json decision_json(const Decision& d) {
    json j;
    j["feature"] = d.feature;
    j["title"] = d.title;
    j["status"] = decision_status(d);
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
    return j;
}

json host_json(const FleetHost& h) {
    json j;
    j["host"] = h.name;
    j["loaded"] = h.loaded;
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
    for (const auto& d : h.decisions) j["decisions"].push_back(decision_json(d));
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

std::string decision_status(const Decision& d) {
    if (!d.errors.empty()) return "error";
    if (const LayerOutcome* win = layer_of(d, d.decided_by);
        win != nullptr && win->configured == State::error)
        return "error";
    return d.effective == State::allow ? "allow" : "deny";
}

json report_json(const Fleet& fleet, const Drift* drift, const std::string& generated) {
    json j;
    j["schemaVersion"] = kReportSchemaVersion;
    j["generated"] = generated;
    j["sources"] = json::array({{{"kind", "config"}, {"path", fleet.config_path}}});
    // Features: those asked for, and every one any host decided, in catalog order.
    j["features"] = json::array();
    for (const auto& f : features()) {
        bool any =
            std::find(fleet.features.begin(), fleet.features.end(), f.id) != fleet.features.end();
        for (const auto& h : fleet.hosts)
            for (const auto& d : h.decisions) any = any || d.feature == f.id;
        if (any)
            j["features"].push_back({{"id", std::string(f.id)}, {"title", std::string(f.title)}});
    }
    json counts = json::object();
    for (const auto& f : j["features"])
        counts[f["id"].get<std::string>()] = {{"allow", 0}, {"deny", 0}, {"error", 0}};
    json errors = json::array();
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
                    {"features", counts},
                    {"errors", errors}};
    j["baseline"] = drift == nullptr ? json() : drift_json(*drift);
    return j;
}

}  // namespace comredir::policy
