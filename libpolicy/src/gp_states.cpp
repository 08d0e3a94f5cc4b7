// Registry.pol values -> administrative-template policy states (GPMC's view).

#include <algorithm>
#include <comredir/policy/gp_states.hpp>
#include <comredir/policy/registry.hpp>
#include <map>
#include <optional>
#include <set>

#include "text.hpp"

namespace comredir::policy {

std::string_view to_string(GpState state) {
    return state == GpState::enabled ? "enabled" : "disabled";
}

namespace {

/// The file's entries applied in order: one cell per value mentioned.
struct Cell {
    std::optional<std::size_t> present;  ///< entry index of the value now set
    bool deleted = false;
    std::vector<std::size_t> sources;  ///< every entry that touched the value
};

struct KeyInfo {
    std::vector<std::size_t> delvals;  ///< `**delvals.` entries
};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && detail::iequals(s.substr(0, prefix.size()), prefix);
}

class Applied {
  public:
    explicit Applied(const PolFile& pol) : pol_(pol) {
        for (std::size_t i = 0; i < pol.entries.size(); ++i) apply(i);
    }

    struct Look {
        const Cell* cell = nullptr;
        const KeyInfo* key = nullptr;
        const PolFile* pol = nullptr;
        const PolEntry* entry() const {
            return cell && cell->present ? &pol->entries[*cell->present] : nullptr;
        }
        bool deleted() const {
            if (cell) return cell->deleted;
            return key != nullptr && !key->delvals.empty();
        }
    };

    Look look(std::string_view key, std::string_view value) const {
        Look l;
        l.pol = &pol_;
        const auto it = cells_.find(id(key, value));
        if (it != cells_.end()) l.cell = &it->second;
        const auto k = keys_.find(normalize_key(key));
        if (k != keys_.end()) l.key = &k->second;
        return l;
    }

    /// Present values of `key`, in name order, and the cells of every value it mentions.
    void key_values(std::string_view key, std::vector<const Cell*>& cells) const {
        const std::string prefix = normalize_key(key) + '\0';
        for (auto it = cells_.lower_bound(prefix);
             it != cells_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
            cells.push_back(&it->second);
    }

    const PolEntry& entry(std::size_t i) const { return pol_.entries[i]; }

    const KeyInfo* key_info(std::string_view key) const {
        const auto k = keys_.find(normalize_key(key));
        return k == keys_.end() ? nullptr : &k->second;
    }

  private:
    static std::string id(std::string_view key, std::string_view value) {
        return normalize_key(key) + '\0' + detail::ascii_lower(value);
    }

    void apply(std::size_t i) {
        const PolEntry& e = pol_.entries[i];
        if (e.value.empty()) return;  // creates the key only
        if (starts_with_ci(e.value, "**del.")) {
            Cell& c = cells_[id(e.key, std::string_view(e.value).substr(6))];
            c.present.reset();
            c.deleted = true;
            c.sources.push_back(i);
        } else if (starts_with_ci(e.value, "**delvals")) {
            keys_[normalize_key(e.key)].delvals.push_back(i);
            const std::string prefix = normalize_key(e.key) + '\0';
            for (auto it = cells_.lower_bound(prefix);
                 it != cells_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
                it->second.present.reset();
                it->second.deleted = true;
            }
        } else if (starts_with_ci(e.value, "**soft.")) {
            Cell& c = cells_[id(e.key, std::string_view(e.value).substr(7))];
            if (!c.present) {
                c.present = i;
                c.deleted = false;
            }
            c.sources.push_back(i);
        } else if (e.value.starts_with("**")) {
            return;  // other specials: left to `extra`
        } else {
            Cell& c = cells_[id(e.key, e.value)];
            c.present = i;
            c.deleted = false;
            c.sources.push_back(i);
        }
    }

    const PolFile& pol_;
    std::map<std::string, Cell, std::less<>> cells_;
    std::map<std::string, KeyInfo, std::less<>> keys_;
};

RegValue reg_value(const PolEntry& e) {
    return RegValue{e.type, e.data};
}

bool matches(const AdmxValue& want, const Applied::Look& l) {
    if (want.kind == AdmxValue::Kind::del) return l.deleted();
    const PolEntry* e = l.entry();
    if (e == nullptr) return false;
    const RegValue v = reg_value(*e);
    switch (want.kind) {
        case AdmxValue::Kind::decimal: {
            const auto d = reg_dword(v);
            return d && *d == want.number;
        }
        case AdmxValue::Kind::long_decimal: {
            const auto q = reg_qword(v);
            return q && *q == want.number;
        }
        case AdmxValue::Kind::string: {
            const auto s = reg_string(v);
            return s && *s == want.text;
        }
        default:
            return false;
    }
}

/// The two states of one value, with GP's defaults: REG_DWORD 1 / 0 when neither is
/// given, `<delete/>` for the one that is missing.
std::pair<AdmxValue, AdmxValue> value_pair(const AdmxValue& on, const AdmxValue& off) {
    AdmxValue a = on;
    AdmxValue b = off;
    if (!a.present() && !b.present()) {
        a.kind = AdmxValue::Kind::decimal;
        a.number = 1;
        b.kind = AdmxValue::Kind::decimal;
        b.number = 0;
    } else if (!a.present()) {
        a.kind = AdmxValue::Kind::del;
    } else if (!b.present()) {
        b.kind = AdmxValue::Kind::del;
    }
    return {a, b};
}

/// Collects the entries that explain the values a policy state uses.
struct Evaluation {
    const Applied& file;
    std::vector<std::size_t> used;

    void use(const Applied::Look& l) {
        if (l.cell)
            used.insert(used.end(), l.cell->sources.begin(), l.cell->sources.end());
        else if (l.key && l.deleted())
            used.insert(used.end(), l.key->delvals.begin(), l.key->delvals.end());
    }
    /// Every item of `list` matches; uses them when so.
    bool list_matches(const AdmxValueList& list) {
        if (!list.present()) return false;
        for (const auto& item : list.items)
            if (!matches(item.value, file.look(item.key, item.value_name))) return false;
        for (const auto& item : list.items) use(file.look(item.key, item.value_name));
        return true;
    }
};

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += "; ";
        out += p;
    }
    return out;
}

/// The element's value text when its values are present, nullopt otherwise.
std::optional<std::string> element_text(const AdmxElement& el, Evaluation& ev) {
    if (el.kind == AdmxElementKind::list) {
        std::vector<const Cell*> cells;
        ev.file.key_values(el.key, cells);
        // In the order the file sets them, which is the list's order as GP writes it
        // (name order would put value `10` before `2`).
        std::erase_if(cells, [](const Cell* c) { return !c->present; });
        std::sort(cells.begin(), cells.end(),
                  [](const Cell* a, const Cell* b) { return *a->present < *b->present; });
        std::vector<std::string> parts;
        for (const Cell* c : cells) {
            const PolEntry& e = ev.file.entry(*c->present);
            const std::string data = pol_raw_text(e);
            parts.push_back(el.explicit_value ? e.value + "=" + data : data);
            ev.used.insert(ev.used.end(), c->sources.begin(), c->sources.end());
        }
        if (parts.empty()) return std::nullopt;
        if (const KeyInfo* k = ev.file.key_info(el.key))
            ev.used.insert(ev.used.end(), k->delvals.begin(), k->delvals.end());
        return join(parts);
    }
    const auto l = ev.file.look(el.key, el.value_name);
    if (el.kind == AdmxElementKind::boolean) {
        if (!el.value_name.empty()) {
            const auto [t, f] = value_pair(el.true_value, el.false_value);
            if (matches(t, l)) {
                ev.use(l);
                ev.list_matches(el.true_list);
                return "true";
            }
            if (matches(f, l)) {
                ev.use(l);
                ev.list_matches(el.false_list);
                return "false";
            }
            return std::nullopt;
        }
        if (ev.list_matches(el.true_list)) return "true";
        if (ev.list_matches(el.false_list)) return "false";
        return std::nullopt;
    }
    if (el.kind == AdmxElementKind::enumeration) {
        for (const auto& item : el.items) {
            if (!matches(item.value, l)) continue;
            ev.use(l);
            if (item.value_list.present()) ev.list_matches(item.value_list);
            return item.display_name;
        }
        return std::nullopt;
    }
    const PolEntry* e = l.entry();
    if (e == nullptr) return std::nullopt;
    const RegValue v = reg_value(*e);
    std::optional<std::string> text;
    switch (el.kind) {
        case AdmxElementKind::decimal:
            if (const auto d = reg_dword(v))
                text = std::to_string(*d);
            else if (el.store_as_text)
                text = reg_string(v);
            break;
        case AdmxElementKind::long_decimal:
            if (const auto q = reg_qword(v))
                text = std::to_string(*q);
            else if (el.store_as_text)
                text = reg_string(v);
            break;
        case AdmxElementKind::text:
            text = reg_string(v);
            break;
        case AdmxElementKind::multi_text:
            if (const auto m = reg_multi_sz(v)) text = join(*m);
            break;
        default:
            break;
    }
    if (text) ev.use(l);
    return text;
}

/// Every element's values are deleted (the Disabled state of an element).
bool element_deleted(const AdmxElement& el, Evaluation& ev) {
    if (el.kind == AdmxElementKind::list) {
        std::vector<const Cell*> cells;
        ev.file.key_values(el.key, cells);
        for (const Cell* c : cells)
            if (c->present) return false;
        const KeyInfo* k = ev.file.key_info(el.key);
        if (k == nullptr || k->delvals.empty()) return false;
        ev.used.insert(ev.used.end(), k->delvals.begin(), k->delvals.end());
        return true;
    }
    if (el.value_name.empty()) return false;
    const auto l = ev.file.look(el.key, el.value_name);
    if (!l.deleted()) return false;
    ev.use(l);
    return true;
}

bool fits(AdmxClass cls, std::string_view hive) {
    const bool machine =
        detail::iequals(hive, "HKLM") || detail::iequals(hive, "HKEY_LOCAL_MACHINE");
    const bool user = detail::iequals(hive, "HKCU") || detail::iequals(hive, "HKEY_CURRENT_USER");
    if (cls == AdmxClass::both) return machine || user;
    return cls == AdmxClass::machine ? machine : user;
}

std::optional<PolicyState> evaluate(const AdmxPolicy& p, Evaluation& ev) {
    std::optional<GpState> state;
    if (!p.value_name.empty()) {
        const auto l = ev.file.look(p.key, p.value_name);
        const auto [on, off] = value_pair(p.enabled_value, p.disabled_value);
        if (matches(on, l))
            state = GpState::enabled;
        else if (matches(off, l))
            state = GpState::disabled;
        if (!state) return std::nullopt;
        ev.use(l);
        if (*state == GpState::enabled)
            ev.list_matches(p.enabled_list);
        else
            ev.list_matches(p.disabled_list);
    } else if (ev.list_matches(p.enabled_list)) {
        state = GpState::enabled;
    } else if (ev.list_matches(p.disabled_list)) {
        state = GpState::disabled;
    } else if (!p.enabled_list.present() && !p.elements.empty()) {
        // The elements decide: all deleted is Disabled (when no disabledList says
        // otherwise), all present Enabled (checked below).
        if (!p.disabled_list.present()) {
            Evaluation trial{ev.file, {}};
            bool all_deleted = true;
            for (const auto& el : p.elements)
                all_deleted = element_deleted(el, trial) && all_deleted;
            if (all_deleted) {
                ev.used = std::move(trial.used);
                state = GpState::disabled;
            }
        }
    } else {
        return std::nullopt;  // nothing in the registry tells its state
    }

    PolicyState out;
    out.policy = p.name;
    out.display_name = p.display_name;
    out.cls = p.cls;
    out.category = p.category_path;
    out.definition = &p;
    if (state == GpState::disabled) {
        out.state = GpState::disabled;
        for (const auto& el : p.elements) element_deleted(el, ev);
        return out;
    }
    // Enabled (or, for an elements-only policy, maybe): read the element values.
    bool any_missing = false;
    for (const auto& el : p.elements) {
        if (auto text = element_text(el, ev))
            out.elements.emplace_back(el.id, std::move(*text));
        else
            any_missing = true;
    }
    if (!state) {
        // Elements only: every element must decode; anything else is not a state we know.
        if (any_missing || out.elements.empty()) return std::nullopt;
    }
    out.state = GpState::enabled;
    return out;
}

}  // namespace

PolicyStates policy_states(const AdmxSet& admx, const PolFile& pol, std::string_view hive) {
    const Applied file(pol);
    PolicyStates out;
    std::set<std::size_t> explained;
    for (const auto& p : admx.policies) {
        if (!fits(p.cls, hive)) continue;
        Evaluation ev{file, {}};
        auto st = evaluate(p, ev);
        if (!st) continue;
        explained.insert(ev.used.begin(), ev.used.end());
        out.policies.push_back(std::move(*st));
    }
    for (std::size_t i = 0; i < pol.entries.size(); ++i) {
        const PolEntry& e = pol.entries[i];
        if (e.value.empty() || explained.count(i) != 0) continue;
        out.extra.push_back(ExtraSetting{e.key, e.value, e.type, pol_raw_text(e), e.offset});
    }
    return out;
}

}  // namespace comredir::policy
