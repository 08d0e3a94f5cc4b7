// OS policy layer: Group Policy registry values and Intune settings for one feature.
#include <array>
#include <comredir/policy/resolve/comredir_settings.hpp>
#include <comredir/policy/resolve/layers.hpp>
#include <string_view>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

struct Reading {
    bool configured = false;
    LayerReading r;
};

void fill_admx(const Feature& f, Provenance& w) {
    w.admx_policy = std::string(f.os.admx_policy);
    w.admx_display_name = std::string(f.os.display_name);
}

// `GPO `Cleanup``, the file that did it, or `what-if `--set os:...``.
std::string who(const Provenance& d) {
    if (!d.gpo_name.empty()) return "GPO `" + d.gpo_name + "`";
    if (!d.file.empty()) return d.file;
    if (d.source == "what-if") return "what-if `" + d.detail + "`";
    return d.source.empty() ? std::string("an unnamed source") : d.source;
}

std::string value_label(const Feature& f) {
    return "`" + std::string(f.os.value_name) + "`";
}

// A reading whose `overridden` is a value's history (earlier writes, oldest first): those that
// wrote something else than `where` are conflicts that Group Policy's processing order decided.
void order_conflicts(LayerReading& r) {
    for (std::size_t i = 0; i < r.overridden.size(); ++i) {
        if (r.overridden[i].raw != r.where.raw)
            r.conflicts.push_back(Conflict{i, std::nullopt, ConflictRule::order});
    }
}

// Moves `from`'s setting and all it overrode into `into`'s `overridden`, and its conflicts,
// renumbered, into `into`'s.
void take_over(LayerReading& into, LayerReading& from) {
    const std::size_t at = into.overridden.size();
    into.overridden.push_back(std::move(from.where));
    const std::size_t base = into.overridden.size();
    for (auto& o : from.overridden) into.overridden.push_back(std::move(o));
    for (const auto& c : from.conflicts) {
        into.conflicts.push_back(
            Conflict{base + c.overridden, c.winner ? base + *c.winner : at, c.rule});
    }
}

bool same_setting(const LayerReading& a, const LayerReading& b) {
    return a.state == b.state && a.level == b.level && a.list == b.list;
}

// `loser` is beaten by `winner` under `rule`: cited as overridden (a conflict when it said
// something else), with what it overrode, its conflicts and notes.
void beat(LayerReading& winner, LayerReading& loser, ConflictRule rule) {
    if (!same_setting(winner, loser))
        winner.conflicts.push_back(Conflict{winner.overridden.size(), std::nullopt, rule});
    take_over(winner, loser);
    for (auto& n : loser.notes) winner.notes.push_back(std::move(n));
}

// Reads one hive's registry value for the feature.
Reading read_registry(const Feature& f, const RegistryState& reg, std::string_view hive) {
    Reading out;
    std::string key = std::string(hive) + "\\" + std::string(f.os.key);
    const auto* slot = reg.find(key, f.os.value_name);
    if (slot == nullptr) return out;
    if (!slot->current) {
        if (slot->deleted_by) {
            const auto& d = *slot->deleted_by;
            out.r.notes.push_back(std::string(f.os.admx_policy) + ": " + value_label(f) +
                                  " deleted by " + who(d) + " (not configured)");
        }
        return out;
    }
    out.configured = true;
    LayerReading& r = out.r;
    r.where = slot->current->origin;
    fill_admx(f, r.where);
    r.overridden = slot->history;
    for (auto& o : r.overridden) fill_admx(f, o);
    order_conflicts(r);
    auto dw = reg_dword(slot->current->value);
    if (!dw) {
        r.state = State::error;
        r.error = detail::source_at(r.where) + ": " + value_label(f) + " is " +
                  reg_type_name(slot->current->value.type) + " of " +
                  std::to_string(slot->current->value.data.size()) +
                  " bytes, expected a 4-byte REG_DWORD";
        return out;
    }
    r.where.raw = std::to_string(*dw);
    if (f.kind == ValueKind::level) {
        if (*dw > 4) {
            r.state = State::error;
            r.error = detail::source_at(r.where) + ": " + value_label(f) + " = `" +
                      std::to_string(*dw) + "` is not a level 0-4";
            return out;
        }
        r.level = static_cast<int>(*dw);
        r.state = *dw == 0 ? State::deny : State::allow;
        return out;
    }
    if (*dw == f.os.deny_value) {
        r.state = State::deny;
    } else if (*dw == f.os.allow_value) {
        r.state = State::allow;
    } else {
        r.state = State::error;
        r.error = detail::source_at(r.where) + ": " + value_label(f) + " = `" +
                  std::to_string(*dw) + "` is neither `" + std::to_string(f.os.allow_value) +
                  "` (allow) nor `" + std::to_string(f.os.deny_value) + "` (deny)";
    }
    return out;
}

// `export.json: policy `Name` /settings/3`: where an Intune setting was read.
std::string intune_at(const Provenance& where) {
    return where.file + (where.detail.empty() ? "" : ": " + where.detail);
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Reads the feature's Intune settings (the last export that sets it wins; disagreeing exports are a
// conflict).
Reading read_intune(const Feature& f, const std::vector<IntuneValue>& intune) {
    Reading out;
    const IntuneValue* found = nullptr;
    for (const auto& v : intune) {
        bool ours = false;
        for (auto id : f.os.intune_ids) ours = ours || detail::iequals(v.definition_id, id);
        if (!ours || !v.parent_definition_id.empty()) continue;
        if (found != nullptr && found->value != v.value) {
            out.configured = true;
            out.r.state = State::error;
            out.r.where = v.where;
            out.r.error = "intune: conflicting values for `" + v.definition_id + "`: `" +
                          found->value + "` (" + found->where.file + ") and `" + v.value + "` (" +
                          v.where.file + ")";
            return out;
        }
        found = &v;
    }
    if (found == nullptr) return out;
    out.configured = true;
    LayerReading& r = out.r;
    r.where = found->where;
    fill_admx(f, r.where);
    r.where.intune_setting = found->definition_id;
    r.where.raw = found->value;
    bool enabled = ends_with(found->value, "_1");
    bool disabled = ends_with(found->value, "_0");
    if (!enabled && !disabled) {
        r.state = State::error;
        r.error = intune_at(r.where) + ": intune setting `" + found->definition_id +
                  "` has unknown value `" + found->value + "`";
        return out;
    }
    if (f.kind == ValueKind::level) {
        if (disabled) {  // restriction policy disabled = no restriction
            r.state = State::allow;
            r.level = kUnrestrictedLevel;
            return out;
        }
        for (const auto& v : intune) {
            if (!detail::iequals(v.parent_definition_id, found->definition_id) ||
                !detail::iequals(v.definition_id, f.os.intune_level_child)) {
                continue;
            }
            std::string_view val = v.value;
            char last = val.empty() ? '?' : val.back();
            if (val.size() >= 2 && val[val.size() - 2] == '_' && last >= '0' && last <= '4') {
                r.level = last - '0';
                r.state = *r.level == 0 ? State::deny : State::allow;
                r.where.raw = v.value;
                return out;
            }
            r.state = State::error;
            r.error = intune_at(v.where) + ": intune setting `" + v.definition_id +
                      "` has unknown value `" + v.value + "`";
            return out;
        }
        r.state = State::error;
        r.error = intune_at(r.where) + ": intune setting `" + found->definition_id +
                  "` is enabled without a level";
        return out;
    }
    r.state = (enabled == f.os.enabled_denies) ? State::deny : State::allow;
    return out;
}

bool mdm_wins_in_registry(const RegistryState& reg) {
    const auto* slot = reg.find("HKLM\\" + std::string(kMdmWinsKey), "MDMWinsOverGP");
    if (slot == nullptr || !slot->current) return false;
    auto v = reg_dword(slot->current->value);
    return v && *v == 1;
}

// Group Policy (Computer, and User where the policy has both) against Intune.
Reading read_ts(const Feature& f, const OsSources& os) {
    Reading gp = read_registry(f, os.registry, "HKLM");
    if (f.os.user_class_too) {
        Reading user = read_registry(f, os.registry, "HKCU");
        if (user.configured && (!gp.configured || user.r.state == State::error ||
                                (gp.r.state != State::error && user.r.level < gp.r.level))) {
            user.r.notes.push_back(std::string(f.os.admx_policy) +
                                   ": the User setting is stricter than the Computer setting");
            if (gp.configured) beat(user.r, gp.r, ConflictRule::stricter);
            gp = std::move(user);
        } else if (user.configured) {
            beat(gp.r, user.r, ConflictRule::stricter);
        }
    }
    Reading mdm = read_intune(f, os.intune);
    bool mdm_wins = os.mdm_wins || mdm_wins_in_registry(os.registry);
    if (gp.configured && mdm.configured) {
        Reading& winner = mdm_wins ? mdm : gp;
        Reading& loser = mdm_wins ? gp : mdm;
        winner.r.notes.push_back(mdm_wins
                                     ? "Intune overrides Group Policy (MDMWinsOverGP)"
                                     : "Group Policy overrides Intune (MDMWinsOverGP not set)");
        beat(winner.r, loser.r, mdm_wins ? ConflictRule::mdm_wins : ConflictRule::gp_wins);
        return std::move(winner);
    }
    if (gp.configured) return gp;
    if (mdm.configured) {
        for (auto& n : gp.r.notes) mdm.r.notes.push_back(std::move(n));
        return mdm;
    }
    return gp;  // not configured, with its notes
}

bool is_com_ports(const Feature& f) {
    return f.id == "com_ports";
}

// ---- comredir's own policies as OS-layer sources of com_ports (comredir_settings.hpp) ----

std::string bt(std::string_view s) {
    return "`" + std::string(s) + "`";
}

void deletion_note(const ComredirValue<bool>& v, std::vector<std::string>& notes) {
    if (!v.deleted_by) return;
    notes.push_back(v.where.admx_policy + ": " + bt(v.where.registry_value) + " deleted by " +
                    who(*v.deleted_by) + " (not configured)");
}

// A 1/0 policy value as a reading: `true_denies` says which of the two blocks.
Reading from_flag(const ComredirValue<bool>& v, bool true_denies) {
    Reading out;
    deletion_note(v, out.r.notes);
    if (v.ok() && !v.configured()) return out;
    out.configured = true;
    out.r.where = v.where;
    out.r.overridden = v.overridden;
    order_conflicts(out.r);
    if (!v.ok()) {
        out.r.state = State::error;
        out.r.error = v.error;
    } else {
        out.r.state = *v.value == true_denies ? State::deny : State::allow;
    }
    return out;
}

// AllowedPortNames: with a port, whether its name matches; without one, an empty list denies.
Reading port_names(const ComredirSettings& cp, const std::optional<std::string>& port) {
    const auto& rpn = cp.restrict_port_names;
    const auto& list = cp.allowed_ports;
    Reading out;
    deletion_note(rpn, out.r.notes);
    if (rpn.ok() && !rpn.get()) {
        if (!list.ok()) out.r.notes.push_back("AllowedPortNames: not used: " + list.error);
        if (!rpn.configured() && !list.items.empty()) {
            out.r.notes.push_back("AllowedPortNames: " + std::to_string(list.items.size()) +
                                  " port names under `AllowedPorts`, but `RestrictPortNames` is "
                                  "not set: every port name is allowed");
        }
        if (port) {
            out.r.notes.push_back("port " + bt(*port) + ": every port name is allowed (" +
                                  "AllowedPortNames " +
                                  (rpn.configured() ? "disabled" : "not configured") + ")");
        }
        if (!rpn.configured()) return out;
    }
    out.configured = true;
    out.r.where = rpn.where;
    out.r.overridden = rpn.overridden;
    order_conflicts(out.r);
    out.r.state = State::allow;
    const bool enabled = rpn.ok() && rpn.get();
    if (!rpn.ok() || (enabled && !list.ok())) {
        out.r.state = State::error;
        out.r.error = rpn.ok() ? list.error : rpn.error;
        return out;
    }
    if (!enabled) return out;  // Disabled: every port name (an explicit allow)
    if (port) {
        PortNameCheck c = port_name_allowed(cp, *port);
        out.r.state = c.allowed ? State::allow : State::deny;
        if (c.allowed) {  // cites the list item, not RestrictPortNames
            out.r.overridden.clear();
            out.r.conflicts.clear();
        }
        out.r.where = std::move(c.where);
        out.r.where.detail = "port " + c.reason;
        return out;
    }
    if (list.items.empty()) {
        out.r.state = State::deny;
        out.r.where.detail = "enabled with an empty list: no port is redirected";
        return out;
    }
    std::string pats;
    for (const auto& i : list.items) pats += (pats.empty() ? "" : ", ") + bt(i.text);
    out.r.notes.push_back("AllowedPortNames: only ports named " + pats +
                          " are redirected (give a port name to check one)");
    return out;
}

// The most restrictive of the OS layer's sources (error > deny > allow > not configured); on a
// tie the first. The others become `overridden`; errors are all reported.
Reading most_restrictive(std::array<Reading, 3>& parts) {
    auto rank = [](const Reading& x) {
        if (!x.configured) return 0;
        return x.r.state == State::error ? 3 : x.r.state == State::deny ? 2 : 1;
    };
    std::size_t w = 0;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (rank(parts[i]) > rank(parts[w])) w = i;
    }
    Reading out = std::move(parts[w]);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i == w) continue;
        Reading& o = parts[i];
        if (o.configured) {
            if (o.r.state == State::error && out.r.state == State::error)
                out.r.error += "; " + o.r.error;
            take_over(out.r, o.r);
        }
        for (auto& n : o.r.notes) out.r.notes.push_back(std::move(n));
    }
    return out;
}

Reading com_ports_os_layer(Reading ts, const ComredirSettings& cp,
                           const std::optional<std::string>& port) {
    std::array<Reading, 3> parts{std::move(ts), from_flag(cp.deny_com_redirection, true),
                                 port_names(cp, port)};
    Reading out = most_restrictive(parts);
    // Errors in values this decision does not use are still worth a word.
    for (const std::string* e :
         {&cp.audit_log_path.error, &cp.one_session_per_port.error, &cp.latency_warning_ms.error,
          &cp.serial_console_enabled.error, &cp.allow_takeover.error,
          &cp.restrict_attach_roles.error, &cp.attach_roles.error, &cp.idle_timeout_minutes.error,
          &cp.paste_limit_chars.error}) {
        if (!e->empty()) out.r.notes.push_back("comredir policy (not used here): " + *e);
    }
    return out;
}

LayerReading non_windows_clients(const ComredirSettings& cp) {
    return from_flag(cp.allow_non_windows_clients, false).r;
}

}  // namespace

LayerReading read_os_layer(const Feature& f, const OsSources& os) {
    if (!os.errors.empty()) {
        LayerReading r;
        r.state = State::error;
        for (const auto& e : os.errors) r.error += (r.error.empty() ? "" : "; ") + e;
        return r;
    }
    if (!is_com_ports(f)) return read_ts(f, os).r;
    ComredirSettings cp = read_comredir_settings(os.registry);
    return com_ports_os_layer(read_ts(f, os), cp, os.port_name).r;
}

LayerReading read_platform_policy(const Feature& f, const OsSources& os) {
    if (!is_com_ports(f) || !os.errors.empty()) return {};
    return non_windows_clients(read_comredir_settings(os.registry));
}

FeatureInputs read_layers(const Feature& f, const OsSources& os, const PropertySources& host_pool,
                          const PropertySources& client) {
    if (!is_com_ports(f) || !os.errors.empty()) {
        return FeatureInputs{read_os_layer(f, os), read_property_layer(f, host_pool),
                             read_property_layer(f, client)};
    }
    // com_ports: comredir's policies are read once for the OS layer and the platform policy.
    ComredirSettings cp = read_comredir_settings(os.registry);
    FeatureInputs in{com_ports_os_layer(read_ts(f, os), cp, os.port_name).r,
                     read_property_layer(f, host_pool), read_property_layer(f, client)};
    LayerReading platform = non_windows_clients(cp);
    if (platform.state != State::not_configured) in.platform = std::move(platform);
    return in;
}

}  // namespace comredir::policy
