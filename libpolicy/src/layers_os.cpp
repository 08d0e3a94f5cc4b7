// OS policy layer: Group Policy registry values and Intune settings for one feature.
#include <comredir/policy/layers.hpp>
#include <string_view>

#include "text.hpp"

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

std::string value_label(const Feature& f) {
    return "`" + std::string(f.os.value_name) + "`";
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
            out.r.notes.push_back(
                std::string(f.os.admx_policy) + ": " + value_label(f) + " deleted by " +
                (d.gpo_name.empty() ? d.file : "GPO `" + d.gpo_name + "`") + " (not configured)");
        }
        return out;
    }
    out.configured = true;
    LayerReading& r = out.r;
    r.where = slot->current->origin;
    fill_admx(f, r.where);
    r.overridden = slot->history;
    for (auto& o : r.overridden) fill_admx(f, o);
    auto dw = reg_dword(slot->current->value);
    if (!dw) {
        r.state = State::error;
        r.error = r.where.file + ": " + value_label(f) + " is " +
                  reg_type_name(slot->current->value.type) + " of " +
                  std::to_string(slot->current->value.data.size()) +
                  " bytes, expected a 4-byte REG_DWORD";
        return out;
    }
    r.where.raw = std::to_string(*dw);
    if (f.kind == ValueKind::level) {
        if (*dw > 4) {
            r.state = State::error;
            r.error = r.where.file + ": " + value_label(f) + " = `" + std::to_string(*dw) +
                      "` is not a level 0-4";
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
        r.error = r.where.file + ": " + value_label(f) + " = `" + std::to_string(*dw) +
                  "` is neither `" + std::to_string(f.os.allow_value) + "` (allow) nor `" +
                  std::to_string(f.os.deny_value) + "` (deny)";
    }
    return out;
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
        r.error = r.where.file + ": intune setting `" + found->definition_id +
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
            r.error = r.where.file + ": intune setting `" + v.definition_id +
                      "` has unknown value `" + v.value + "`";
            return out;
        }
        r.state = State::error;
        r.error = r.where.file + ": intune setting `" + found->definition_id +
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

}  // namespace

LayerReading read_os_layer(const Feature& f, const OsSources& os) {
    if (!os.errors.empty()) {
        LayerReading r;
        r.state = State::error;
        for (const auto& e : os.errors) r.error += (r.error.empty() ? "" : "; ") + e;
        return r;
    }
    Reading gp = read_registry(f, os.registry, "HKLM");
    if (f.os.user_class_too) {
        Reading user = read_registry(f, os.registry, "HKCU");
        if (user.configured && (!gp.configured || user.r.state == State::error ||
                                (gp.r.state != State::error && user.r.level < gp.r.level))) {
            if (gp.configured) user.r.overridden.push_back(gp.r.where);
            user.r.notes.push_back(std::string(f.os.admx_policy) +
                                   ": the User setting is stricter than the Computer setting");
            gp = std::move(user);
        }
    }
    Reading mdm = read_intune(f, os.intune);
    bool mdm_wins = os.mdm_wins || mdm_wins_in_registry(os.registry);
    if (gp.configured && mdm.configured) {
        Reading& winner = mdm_wins ? mdm : gp;
        Reading& loser = mdm_wins ? gp : mdm;
        winner.r.overridden.push_back(loser.r.where);
        winner.r.notes.push_back(mdm_wins
                                     ? "Intune overrides Group Policy (MDMWinsOverGP)"
                                     : "Group Policy overrides Intune (MDMWinsOverGP not set)");
        for (auto& n : loser.r.notes) winner.r.notes.push_back(std::move(n));
        return winner.r;
    }
    if (gp.configured) return gp.r;
    if (mdm.configured) {
        for (auto& n : gp.r.notes) mdm.r.notes.push_back(std::move(n));
        return mdm.r;
    }
    LayerReading r;
    r.notes = std::move(gp.r.notes);
    return r;
}

FeatureInputs read_layers(const Feature& f, const OsSources& os, const PropertySources& host_pool,
                          const PropertySources& client) {
    return FeatureInputs{read_os_layer(f, os), read_property_layer(f, host_pool),
                         read_property_layer(f, client)};
}

}  // namespace comredir::policy
