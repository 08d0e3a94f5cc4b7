// Group Policy state -> Registry.pol records, from the ADMX definition.
#include <algorithm>
#include <charconv>
#include <comredir/policy/gp_write.hpp>
#include <comredir/policy/registry.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "text.hpp"

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

constexpr auto kSz = static_cast<std::uint32_t>(RegType::sz);
constexpr auto kExpandSz = static_cast<std::uint32_t>(RegType::expand_sz);
constexpr auto kDword = static_cast<std::uint32_t>(RegType::dword);
constexpr auto kMultiSz = static_cast<std::uint32_t>(RegType::multi_sz);
constexpr auto kQword = static_cast<std::uint32_t>(RegType::qword);

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

void own_list(PolSlots& s, const AdmxValueList& l) {
    for (const auto& it : l.items) s.values.emplace_back(it.key, it.value_name);
}

std::optional<std::uint64_t> parse_number(std::string_view s) {
    std::uint64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<bool> parse_bool(std::string_view s) {
    std::string l = detail::ascii_lower(s);
    if (l == "true" || l == "1" || l == "yes" || l == "on" || l == "enabled") return true;
    if (l == "false" || l == "0" || l == "no" || l == "off" || l == "disabled") return false;
    return std::nullopt;
}

/// Number of UTF-16 code units of `utf8` (what maxLength counts).
std::size_t utf16_length(std::string_view utf8) {
    return detail::utf8_to_utf16le(utf8).size() / 2;
}

class Writer {
  public:
    Writer(const AdmxPolicy& p, PolicyRecords& out) : p_(p), out_(out) {}

    bool fail(const AdmxElement& e, const std::string& what) {
        out_.ok = false;
        out_.message = "policy `" + p_.name + "`: element `" + e.id + "`: " + what;
        return false;
    }

    /// The dialog's default for an element the caller left out, as a value `element` takes.
    static std::optional<std::string> default_value(const AdmxElement& e) {
        if (!e.has_default || e.kind == AdmxElementKind::list ||
            e.kind == AdmxElementKind::multi_text)
            return std::nullopt;
        if (e.kind != AdmxElementKind::enumeration) return e.default_text;
        const auto index = parse_number(e.default_text);  // dropdownList defaultItem
        if (!index || *index >= e.items.size()) return std::nullopt;
        return e.items[*index].display_name;
    }

    bool element(const AdmxElement& e, const std::vector<std::string>& given_values) {
        std::vector<std::string> defaulted;
        if (given_values.empty()) {
            if (auto d = default_value(e)) {
                out_.defaults.emplace_back(e.id, *d);
                defaulted.push_back(std::move(*d));
            }
        }
        const std::vector<std::string>& given = defaulted.empty() ? given_values : defaulted;
        auto& r = out_.records;
        bool many = e.kind == AdmxElementKind::list || e.kind == AdmxElementKind::multi_text;
        if (given.size() > 1 && !many) {
            return fail(e, "given " + std::to_string(given.size()) + " times; a " +
                               std::string(to_string(e.kind)) + " takes one value");
        }
        if (given.empty() && e.kind != AdmxElementKind::list &&
            e.kind != AdmxElementKind::boolean && e.kind != AdmxElementKind::multi_text) {
            if (e.required) return fail(e, "is required (--element " + e.id + "=VALUE)");
            return true;
        }
        const std::string v = given.empty() ? std::string() : given[0];
        switch (e.kind) {
            case AdmxElementKind::boolean: {
                auto b = given.empty() ? std::optional<bool>(false) : parse_bool(v);
                if (!b) return fail(e, "`" + v + "` is not true or false");
                const AdmxValue& chosen = *b ? e.true_value : e.false_value;
                if (!e.value_name.empty()) {
                    if (chosen.present()) {
                        r.push_back(value_record(e.key, e.value_name, chosen));
                    } else if (*b && !e.true_value.present() && !e.false_value.present()) {
                        r.push_back(PolRecord{e.key, e.value_name, kDword, pol_dword(1)});
                    } else {
                        // Unchecked without a falseValue (or checked without a trueValue
                        // beside a falseValue): the editor deletes the value.
                        r.push_back(pol_delete_value(e.key, e.value_name));
                    }
                }
                add_list(r, *b ? e.true_list : e.false_list);
                return true;
            }
            case AdmxElementKind::decimal:
            case AdmxElementKind::long_decimal: {
                auto n = parse_number(v);
                if (!n || *n < e.min_value || *n > e.max_value) {
                    return fail(e, "`" + v + "` is not a number in " + std::to_string(e.min_value) +
                                       ".." + std::to_string(e.max_value));
                }
                if (e.store_as_text) {
                    r.push_back(PolRecord{e.key, e.value_name, kSz, pol_sz(std::to_string(*n))});
                } else if (e.kind == AdmxElementKind::decimal) {
                    r.push_back(PolRecord{e.key, e.value_name, kDword,
                                          pol_dword(static_cast<std::uint32_t>(*n))});
                } else {
                    r.push_back(PolRecord{e.key, e.value_name, kQword, pol_qword(*n)});
                }
                return true;
            }
            case AdmxElementKind::text: {
                if (utf16_length(v) > e.max_length) {
                    return fail(e, "is " + std::to_string(utf16_length(v)) +
                                       " characters, longer than maxLength " +
                                       std::to_string(e.max_length));
                }
                r.push_back(
                    PolRecord{e.key, e.value_name, e.expandable ? kExpandSz : kSz, pol_sz(v)});
                return true;
            }
            case AdmxElementKind::multi_text: {
                // The dialog's box holds lines; left empty (or left out, when optional) it
                // writes an empty REG_MULTI_SZ: one NUL, 2 bytes, as GPMC backups hold it.
                if (given.empty() || (given.size() == 1 && given[0].empty())) {
                    if (e.required) return fail(e, "is required (--element " + e.id + "=LINE)");
                    r.push_back(PolRecord{e.key, e.value_name, kMultiSz, pol_multi_sz({})});
                    return true;
                }
                if (e.max_strings > 0 && given.size() > e.max_strings) {
                    return fail(e, std::to_string(given.size()) +
                                       " strings, more than maxStrings " +
                                       std::to_string(e.max_strings));
                }
                for (const auto& s : given) {
                    if (utf16_length(s) > e.max_length) {
                        return fail(e, "`" + s + "` is longer than maxLength " +
                                           std::to_string(e.max_length));
                    }
                }
                r.push_back(PolRecord{e.key, e.value_name, kMultiSz, pol_multi_sz(given)});
                return true;
            }
            case AdmxElementKind::enumeration: {
                for (const auto& item : e.items) {
                    bool by_name = detail::iequals(item.display_name, v);
                    bool by_value =
                        (item.value.kind == AdmxValue::Kind::string && item.value.text == v) ||
                        ((item.value.kind == AdmxValue::Kind::decimal ||
                          item.value.kind == AdmxValue::Kind::long_decimal) &&
                         parse_number(v) == item.value.number);
                    if (!by_name && !by_value) continue;
                    if (item.value.present())
                        r.push_back(value_record(e.key, e.value_name, item.value));
                    add_list(r, item.value_list);
                    return true;
                }
                std::string names;
                for (const auto& item : e.items) {
                    names += (names.empty() ? "" : ", ") + ("`" + item.display_name + "`");
                }
                return fail(e, "`" + v + "` is not one of " + names);
            }
            case AdmxElementKind::list: {
                if (!e.additive) r.push_back(pol_delete_all_values(e.key));
                std::uint32_t type = e.expandable ? kExpandSz : kSz;
                for (std::size_t i = 0; i < given.size(); ++i) {
                    std::string name = given[i];
                    std::string data = given[i];
                    if (e.explicit_value) {
                        auto eq = given[i].find('=');
                        if (eq == std::string::npos || eq == 0) {
                            return fail(e,
                                        "item `" + given[i] + "` is not NAME=DATA (explicitValue)");
                        }
                        name = given[i].substr(0, eq);
                        data = given[i].substr(eq + 1);
                    } else if (e.has_value_prefix) {
                        name = e.value_prefix + std::to_string(i + 1);
                    }
                    r.push_back(PolRecord{e.key, name, type, pol_sz(data)});
                }
                return true;
            }
        }
        return true;
    }

  private:
    const AdmxPolicy& p_;
    PolicyRecords& out_;
};

/// The value name a record sets or deletes (`X` for `**del.X`).
std::string_view target_name(const PolRecord& r) {
    constexpr std::string_view del = "**del.";
    const std::string_view v = r.value;
    if (v.size() >= del.size() && detail::iequals(v.substr(0, del.size()), del))
        return v.substr(del.size());
    return v;
}

bool same_value(const PolRecord& r, std::string_view key, std::string_view name) {
    return !r.value.starts_with("**delvals") && normalize_key(r.key) == normalize_key(key) &&
           detail::iequals(target_name(r), name);
}

/// One record per value, as the registry (and the editor's Registry.pol) holds one: a later
/// write of the same value replaces the earlier one in its place. An element that writes
/// the policy's own value (AllowWindowsInkWorkspace's enum) thus replaces the REG_DWORD 1
/// the Enabled state wrote first.
void keep_last_write(std::vector<PolRecord>& r) {
    std::vector<PolRecord> out;
    for (auto& rec : r) {
        bool replaced = false;
        for (auto& earlier : out) {
            if (same_value(earlier, rec.key, target_name(rec))) {
                earlier = rec;
                replaced = true;
                break;
            }
        }
        if (!replaced) out.push_back(std::move(rec));
    }
    r = std::move(out);
}

/// A list's `**delvals.` clears its key before anything of the state is written there: an
/// enabledList or disabledList item in the list's own key (Office's `List of managed
/// add-ins` keeps `policyon` beside its add-ins) would otherwise be deleted by it.
void delvals_first(std::vector<PolRecord>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) {
        if (!r[i].value.starts_with("**delvals")) continue;
        const std::string key = normalize_key(r[i].key);
        for (std::size_t j = 0; j < i; ++j) {
            if (normalize_key(r[j].key) != key) continue;
            std::rotate(r.begin() + static_cast<std::ptrdiff_t>(j),
                        r.begin() + static_cast<std::ptrdiff_t>(i),
                        r.begin() + static_cast<std::ptrdiff_t>(i) + 1);
            break;
        }
    }
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
