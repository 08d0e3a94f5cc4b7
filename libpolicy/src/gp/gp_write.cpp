// Group Policy state -> Registry.pol records, from the ADMX definition.
#include <comredir/policy/gp/gp_write.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "gp/gp_write_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

/// The record an ADMX value writes to `key\name`.
PolRecord value_record(const std::string& key, const std::string& name, const AdmxValue& v) {
    switch (v.kind) {
        case AdmxValue::Kind::decimal:
            return PolRecord{key, name, kDword, pol_dword(static_cast<std::uint32_t>(v.number))};
        case AdmxValue::Kind::long_decimal:
            return PolRecord{key, name, kQword, pol_qword(v.number)};
        case AdmxValue::Kind::string:
            return PolRecord{key, name, kSz, pol_sz(v.text)};
        case AdmxValue::Kind::del:
        case AdmxValue::Kind::absent:
            break;
    }
    return pol_delete_value(key, name);
}

void add_list(std::vector<PolRecord>& out, const AdmxValueList& l) {
    for (const auto& it : l.items) out.push_back(value_record(it.key, it.value_name, it.value));
}

}  // namespace comredir::policy::detail

namespace comredir::policy {

std::optional<GpTarget> parse_gp_target(std::string_view s) {
    std::string l = detail::ascii_lower(s);
    if (l == "enabled") return GpTarget::enabled;
    if (l == "disabled") return GpTarget::disabled;
    if (l == "not-configured" || l == "not_configured" || l == "notconfigured") {
        return GpTarget::not_configured;
    }
    return std::nullopt;
}

std::string_view to_string(GpTarget t) {
    switch (t) {
        case GpTarget::enabled:
            return "enabled";
        case GpTarget::disabled:
            return "disabled";
        case GpTarget::not_configured:
            return "not-configured";
    }
    return "?";
}

namespace {

using detail::add_list;
using detail::delvals_first;
using detail::kDword;
using detail::keep_last_write;
using detail::same_value;
using detail::value_record;
using detail::Writer;

void own_list(PolSlots& s, const AdmxValueList& l) {
    for (const auto& it : l.items) s.values.emplace_back(it.key, it.value_name);
}

void own_all(const AdmxPolicy& p, PolSlots& s) {
    if (!p.value_name.empty()) s.values.emplace_back(p.key, p.value_name);
    own_list(s, p.enabled_list);
    own_list(s, p.disabled_list);
    for (const auto& e : p.elements) {
        if (e.kind == AdmxElementKind::list) {
            s.keys.push_back(e.key);
            continue;
        }
        if (!e.value_name.empty()) s.values.emplace_back(e.key, e.value_name);
        own_list(s, e.true_list);
        own_list(s, e.false_list);
        for (const auto& item : e.items) own_list(s, item.value_list);
    }
}

/// Disabled: a `**del.` for each element's own value (`**delvals.` for a list key), except
/// values the disabled state itself sets (TS_SESSIONS_* write their element's value in
/// disabledList), and a checkbox with a falseValue, which is written unchecked (a GPMC
/// backup holds LLTD_EnableLLTDIO Disabled with its three checkboxes at their falseValue 0;
/// no backup holds a Disabled policy's checkbox deleted). Values of boolean true/false lists
/// and enum valueLists get no record: they are owned, so any earlier ones are removed
/// (gp_states reads exactly this as Disabled).
void delete_elements(const AdmxPolicy& p, std::vector<PolRecord>& r) {
    const std::size_t set_by_state = r.size();
    auto set_already = [&](const std::string& key, const std::string& name) {
        for (std::size_t i = 0; i < set_by_state; ++i) {
            if (same_value(r[i], key, name)) return true;
        }
        return false;
    };
    for (const auto& e : p.elements) {
        if (e.kind == AdmxElementKind::list) {
            r.push_back(pol_delete_all_values(e.key));
        } else if (!e.value_name.empty() && !set_already(e.key, e.value_name)) {
            r.push_back(e.kind == AdmxElementKind::boolean && e.false_value.present()
                            ? value_record(e.key, e.value_name, e.false_value)
                            : pol_delete_value(e.key, e.value_name));
        }
    }
}

}  // namespace

PolicyRecords policy_records(const AdmxPolicy& p, GpTarget target, const ElementValues& values) {
    PolicyRecords out;
    own_all(p, out.slots);
    for (const auto& [id, v] : values) {
        bool known = false;
        for (const auto& e : p.elements) known = known || detail::iequals(e.id, id);
        if (!known) {
            std::string ids;
            for (const auto& e : p.elements) ids += (ids.empty() ? "" : ", ") + ("`" + e.id + "`");
            out.ok = false;
            out.message = "policy `" + p.name + "` has no element `" + id + "`" +
                          (ids.empty() ? " (it has no elements)" : " (elements: " + ids + ")");
            return out;
        }
    }
    if (target == GpTarget::not_configured) {
        if (!values.empty()) {
            out.ok = false;
            out.message = "policy `" + p.name + "`: element values need state `enabled`";
        }
        return out;
    }
    auto& r = out.records;
    if (target == GpTarget::disabled) {
        if (!values.empty()) {
            out.ok = false;
            out.message = "policy `" + p.name + "`: element values need state `enabled`";
            return out;
        }
        if (!p.value_name.empty()) {
            // Without a disabledValue the editor deletes the value (GPMC backups hold
            // `**del.DisableBkGndGroupPolicy` for a Disabled policy that gives neither value).
            r.push_back(p.disabled_value.present()
                            ? value_record(p.key, p.value_name, p.disabled_value)
                            : pol_delete_value(p.key, p.value_name));
        }
        add_list(r, p.disabled_list);
        delete_elements(p, r);
        delvals_first(r);
        return out;
    }
    if (!p.value_name.empty()) {
        r.push_back(p.enabled_value.present()
                        ? value_record(p.key, p.value_name, p.enabled_value)
                        : PolRecord{p.key, p.value_name, kDword, pol_dword(1)});
    }
    add_list(r, p.enabled_list);
    Writer w(p, out);
    for (const auto& e : p.elements) {
        std::vector<std::string> given;
        for (const auto& [id, v] : values) {
            if (detail::iequals(id, e.id)) given.push_back(v);
        }
        if (!w.element(e, given)) {
            r.clear();
            return out;
        }
    }
    keep_last_write(r);
    delvals_first(r);
    return out;
}

}  // namespace comredir::policy
