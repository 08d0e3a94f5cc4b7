#include <comredir/policy/resolve/comredir_settings.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <nlohmann/json.hpp>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

constexpr const char* kLevelNames[] = {"disabled",
                                       "plain text",
                                       "text and images",
                                       "text, images and rtf",
                                       "text, images, rtf and html",
                                       "unrestricted"};

std::string bt(const std::string& s) {
    return "`" + s + "`";
}

// `Do not allow COM port redirection` (TS_CLIENT_COM) Enabled
std::string admx_label(const Provenance& p) {
    std::string out = bt(p.admx_display_name) + " (" + p.admx_policy + ")";
    const Feature* f = nullptr;
    for (const auto& cand : features()) {
        if (cand.os.admx_policy == p.admx_policy) f = &cand;
    }
    if (f != nullptr && f->kind != ValueKind::level && !p.raw.empty() && p.intune_setting.empty()) {
        std::string deny = std::to_string(f->os.deny_value);
        std::string allow = std::to_string(f->os.allow_value);
        bool denies = p.raw == deny;
        if (p.raw == deny || p.raw == allow)
            out += (denies == f->os.enabled_denies) ? " Enabled" : " Disabled";
    } else if (f == nullptr && p.source != "default" && (p.raw == "1" || p.raw == "0")) {
        // comredir's own policies: the policy value is 1 when Enabled, 0 when Disabled
        const auto* c = find_comredir_value(p.admx_policy, p.registry_value);
        if (c != nullptr && c->policy_value) out += p.raw == "1" ? " Enabled" : " Disabled";
    }
    return out;
}

/// `line` of a provenance counts `;`-separated items of a property string, not file lines.
bool is_item_source(const Provenance& p) {
    return p.source == "hostpool" || p.source == "client-props" || p.source == "client-announce";
}

std::string location(const Provenance& p) {
    std::string out;
    if (!p.file.empty()) out = p.file;
    if (p.offset && p.source != "rdp" && !is_item_source(p)) {
        out += (out.empty() ? "" : " ") + std::string("offset ") + detail::hex_offset(*p.offset);
    } else if (p.line) {
        out += (out.empty() ? "" : " ") + std::string(is_item_source(p) ? "item " : "line ") +
               std::to_string(*p.line);
    }
    return out;
}

// `GPO `Name``, `Intune `file``, `what-if `os:x=1``, else the file: who set a value.
std::string who(const Provenance& p) {
    if (p.source == "gpo") return "GPO " + bt(p.gpo_name);
    if (p.source == "intune") return "Intune " + bt(p.file);
    if (p.source == "what-if") return "what-if " + bt(p.detail);
    return p.file.empty() ? p.source : bt(p.file);
}

// `wins by order over`, ...: how the rule reads in a sentence.
std::string wins_by(ConflictRule rule) {
    switch (rule) {
        case ConflictRule::order:
            return "wins by order over";
        case ConflictRule::mdm_wins:
            return "wins by MDMWinsOverGP over";
        case ConflictRule::gp_wins:
            return "wins by Group Policy precedence (MDMWinsOverGP not set) over";
        case ConflictRule::stricter:
            return "wins as the stricter of Computer and User setting over";
    }
    return "wins over";
}

}  // namespace

std::string describe(const LayerOutcome& layer, const Conflict& c) {
    return "conflict: " + who(winner_of(layer, c)) + " " + wins_by(c.rule) + " " +
           describe(loser_of(layer, c));
}

std::string describe_short(const LayerOutcome& layer, const Conflict& c) {
    const Provenance& o = loser_of(layer, c);
    std::string value = o.registry_value.empty() || !o.intune_setting.empty()
                            ? bt(o.raw)
                            : o.registry_value + " = " + o.raw;
    return "conflict: " + who(winner_of(layer, c)) + " " + wins_by(c.rule) + " " + who(o) + " (" +
           value + ")";
}

std::string describe(const Provenance& p) {
    if (p.source == "default") {
        std::string what = !p.admx_policy.empty()    ? admx_label(p) + " not configured"
                           : !p.rdp_property.empty() ? bt(p.rdp_property) + " not set"
                                                     : std::string("not configured");
        return what + ": default (" + p.detail + ")";
    }
    if (p.source == "platform") return p.detail;
    if (p.source == "what-if") {
        std::string out = "what-if " + bt(p.detail) + ": ";
        if (!p.rdp_property.empty()) return out + bt(p.rdp_property);
        out += p.registry_value + (p.raw.empty() ? " deleted" : " = " + p.raw);
        return out;
    }
    if (p.source == "intune") {
        return "Intune " + bt(p.file) + " (" + p.detail + "): " + admx_label(p) + " " + bt(p.raw);
    }
    if (p.source == "hostpool") {
        std::string out = "host pool " + bt(p.host_pool);
        if (!p.rdp_property.empty()) out += ": " + bt(p.rdp_property);
        return out;
    }
    if (p.source == "client-announce") {
        // The client's own announcement over the connection (no file, no command line).
        std::string out = p.detail.empty() ? std::string("the client's announcement")
                                           : "the client announced " + p.detail;
        if (!p.rdp_property.empty()) out += " (" + bt(p.rdp_property) + ")";
        return out;
    }
    if (p.source == "rdp" || p.source == "client-props") {
        std::string out = p.source == "rdp" ? bt(p.file) : std::string("--client-props");
        if (p.line) out += (p.source == "rdp" ? " line " : " item ") + std::to_string(*p.line);
        if (!p.rdp_property.empty()) out += ": " + bt(p.rdp_property);
        return out;
    }
    std::string out;
    if (p.source == "gpo") {
        out = "GPO " + bt(p.gpo_name) + (p.gpo_guid.empty() ? "" : " " + p.gpo_guid) + ": ";
    }
    if (!p.admx_policy.empty()) out += admx_label(p) + ": ";
    out += p.registry_value.empty() ? std::string("registry") : p.registry_value;
    if (!p.raw.empty()) out += " = " + p.raw;
    std::string loc = location(p);
    if (!loc.empty()) out += " (" + loc + ")";
    if (!p.detail.empty()) out += ": " + p.detail;  // e.g. which port pattern matched
    return out;
}

std::string effective_text(const Decision& d) {
    if (d.kind == ValueKind::list && d.list) {
        return d.list->empty()                           ? "deny"
               : d.list->all && d.list->excluded.empty() ? "allow (all)"
                                                         : "allow (" + d.list->to_string() + ")";
    }
    if (d.kind == ValueKind::level && d.level) {
        return std::string(d.effective == State::deny ? "deny" : "allow") + " (" +
               kLevelNames[*d.level] + ")";
    }
    return std::string(to_string(d.effective));
}

std::string reason(const Decision& d) {
    const LayerOutcome* decider = nullptr;
    for (const auto& l : d.layers) {
        if (l.layer == d.decided_by) decider = &l;
    }
    std::string out;
    if (decider != nullptr) {
        out = (!decider->error.empty() && decider->configured == State::error)
                  ? "unreadable or invalid source (fail closed): " + decider->error
                  : describe(decider->where);
        for (const auto& c : decider->conflicts) out += "; " + describe_short(*decider, c);
    }
    for (LayerId over : d.overrode) {
        for (const auto& l : d.layers) {
            if (l.layer == over)
                out += "; overrides " + std::string(to_string(over)) + ": " + describe(l.where);
        }
    }
    return out;
}

nlohmann::json to_json(const Provenance& p) {
    nlohmann::json j = nlohmann::json::object();
    auto put = [&](const char* k, const std::string& v) {
        if (!v.empty()) j[k] = v;
    };
    put("source", p.source);
    put("file", p.file);
    if (p.offset) j["offset"] = *p.offset;
    // A property string (host pool customRdpProperty, --client-props, the client's
    // announcement) has items, not lines.
    if (p.line) j[is_item_source(p) ? "item" : "line"] = *p.line;
    put("gpoName", p.gpo_name);
    put("gpoGuid", p.gpo_guid);
    put("registryKey", p.registry_key);
    put("registryValue", p.registry_value);
    put("admxPolicy", p.admx_policy);
    put("admxDisplayName", p.admx_display_name);
    put("intuneSetting", p.intune_setting);
    put("hostPool", p.host_pool);
    put("rdpProperty", p.rdp_property);
    put("raw", p.raw);
    put("detail", p.detail);
    return j;
}

namespace {

nlohmann::json value_json(ValueKind kind, State applied, const std::optional<ListValue>& list,
                          const std::optional<int>& level) {
    if (kind == ValueKind::list && list) return list->to_string();
    if (kind == ValueKind::level && level) return *level;
    return std::string(to_string(applied));
}

}  // namespace

nlohmann::json to_json(const Decision& d) {
    nlohmann::json j;
    j["feature"] = d.feature;
    j["title"] = d.title;
    j["kind"] = d.kind == ValueKind::boolean ? "boolean"
                : d.kind == ValueKind::list  ? "list"
                                             : "level";
    j["effective"] = std::string(to_string(d.effective));
    j["value"] = value_json(d.kind, d.effective, d.list, d.level);
    j["decidedBy"] = std::string(to_string(d.decided_by));
    j["decidedByDefault"] = d.decided_by_default;
    j["reason"] = reason(d);
    j["overrode"] = nlohmann::json::array();
    for (auto l : d.overrode) j["overrode"].push_back(std::string(to_string(l)));
    j["layers"] = nlohmann::json::array();
    for (const auto& l : d.layers) {
        nlohmann::json lj;
        lj["layer"] = std::string(to_string(l.layer));
        lj["configured"] = std::string(to_string(l.configured));
        lj["applied"] = std::string(to_string(l.applied));
        lj["fromDefault"] = l.from_default;
        if (l.applied != State::not_applicable)
            lj["value"] = value_json(d.kind, l.applied, l.list, l.level);
        lj["provenance"] = to_json(l.where);
        lj["overridden"] = nlohmann::json::array();
        for (const auto& o : l.overridden) lj["overridden"].push_back(to_json(o));
        lj["conflicts"] = nlohmann::json::array();
        for (const auto& c : l.conflicts) {
            lj["conflicts"].push_back({{"winner", to_json(winner_of(l, c))},
                                       {"overridden", to_json(loser_of(l, c))},
                                       {"rule", std::string(to_string(c.rule))},
                                       {"text", describe(l, c)}});
        }
        if (!l.error.empty()) lj["error"] = l.error;
        j["layers"].push_back(std::move(lj));
    }
    j["notes"] = d.notes;
    j["errors"] = d.errors;
    return j;
}

nlohmann::json to_json(const Estate& e, const std::vector<Decision>& decisions) {
    nlohmann::json j;
    j["schemaVersion"] = kEffectiveSchemaVersion;
    j["host"] = e.host;
    j["hostPool"] = e.host_pool;
    j["product"] = std::string(to_string(e.product));
    j["clientOs"] = std::string(to_string(e.client_os));
    if (e.os.port_name) j["port"] = *e.os.port_name;
    j["sources"] = nlohmann::json::array();
    for (const auto& s : e.sources) {
        nlohmann::json sj;
        sj["layer"] = std::string(to_string(s.layer));
        sj["kind"] = s.kind;
        sj["path"] = s.path;
        if (!s.name.empty()) sj["name"] = s.name;
        if (!s.guid.empty()) sj["guid"] = s.guid;
        sj["ok"] = s.ok;
        if (!s.ok) sj["error"] = s.message;
        j["sources"].push_back(std::move(sj));
    }
    j["notes"] = e.notes;
    j["errors"] = nlohmann::json::array();
    for (const auto& err : e.input_errors) j["errors"].push_back(err.message);
    j["decisions"] = nlohmann::json::array();
    for (const auto& d : decisions) j["decisions"].push_back(to_json(d));
    return j;
}

}  // namespace comredir::policy
