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

/// The states of a value that is on or off: a policy's own value (enabledValue /
/// disabledValue) or a checkbox's (trueValue / falseValue). Neither given: the editor writes
/// REG_DWORD 1 for on and deletes the value for off (GPMC reports `**del.` of such a value
/// Disabled, or an unchecked box: DisableBkGndGroupPolicy, SpynetReporting and
/// NoBackgroundPolicy in the corpus). `legacy_off` is REG_DWORD 0 for that shape, read as
/// off only when nothing else explains it (unverified: no GPMC report seen with it). One
/// of the two given: the other is `<delete/>`.
struct OnOff {
    AdmxValue on, off, legacy_off;
};

OnOff on_off(const AdmxValue& on, const AdmxValue& off) {
    OnOff m{on, off, {}};
    if (!m.on.present() && !m.off.present()) {
        m.on.kind = AdmxValue::Kind::decimal;
        m.on.number = 1;
        m.off.kind = AdmxValue::Kind::del;
        m.legacy_off.kind = AdmxValue::Kind::decimal;
        m.legacy_off.number = 0;
    } else if (!m.on.present()) {
        m.on.kind = AdmxValue::Kind::del;
    } else if (!m.off.present()) {
        m.off.kind = AdmxValue::Kind::del;
    }
    return m;
}

/// Collects the entries that explain the values a policy state uses.
struct Evaluation {
    const Applied& file;
    std::vector<std::size_t> used;
    /// How closely the values fit the policy (see Claim): 3 exact values (a state's own
    /// value or list, an enum item, a checkbox value), 2 free values an element reads (text,
    /// numbers), 1 any value of a list element's key.
    int fit = 3;

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
            const OnOff v = on_off(el.true_value, el.false_value);
            if (matches(v.on, l)) {
                ev.use(l);
                ev.list_matches(el.true_list);
                return "true";
            }
            if (matches(v.off, l) || (v.legacy_off.present() && matches(v.legacy_off, l))) {
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

int element_fit(AdmxElementKind kind) {
    switch (kind) {
        case AdmxElementKind::boolean:
        case AdmxElementKind::enumeration:
            return 3;
        case AdmxElementKind::list:
            return 1;
        default:
            return 2;
    }
}

/// An elements-only policy (or one whose enabledList is not there) is Disabled when no
/// element other than a checkbox holds a value, no checkbox is checked, and some element is
/// deleted or unchecked. Disabled deletes the other elements and writes each checkbox's
/// falseValue (else deletes it), so a policy of checkboxes only, all unchecked, is the file
/// Disabled writes: GPMC reports `Allow Online Tips` (one checkbox, AllowOnlineTips = 0)
/// Disabled, and Excel's `Set document behavior if file validation fails` (its enum deleted,
/// its checkbox unchecked) Disabled.
bool elements_say_disabled(const AdmxPolicy& p, Evaluation& ev) {
    Evaluation trial{ev.file, {}};
    bool evidence = false;
    for (const auto& el : p.elements) {
        if (element_deleted(el, trial)) {
            evidence = true;
            continue;
        }
        Evaluation probe{ev.file, {}};
        const auto text = element_text(el, probe);
        if (!text) continue;
        if (el.kind != AdmxElementKind::boolean || *text == "true") return false;
        evidence = true;  // an unchecked box
        trial.used.insert(trial.used.end(), probe.used.begin(), probe.used.end());
    }
    if (!evidence) return false;
    ev.used = std::move(trial.used);
    return true;
}

bool fits(AdmxClass cls, std::string_view hive) {
    const bool machine =
        detail::iequals(hive, "HKLM") || detail::iequals(hive, "HKEY_LOCAL_MACHINE");
    const bool user = detail::iequals(hive, "HKCU") || detail::iequals(hive, "HKEY_CURRENT_USER");
    if (cls == AdmxClass::both) return machine || user;
    return cls == AdmxClass::machine ? machine : user;
}

/// An element that writes the policy's own value (same key and valueName) and reads the
/// value there as one of its own: GPMC then reports the policy Enabled with that element
/// value (`AllowWindowsInkWorkspace = 0` is Enabled, item `Disabled`).
bool shared_element_reads(const AdmxPolicy& p, const Evaluation& ev) {
    for (const auto& el : p.elements) {
        if (el.kind == AdmxElementKind::list || !detail::iequals(el.value_name, p.value_name) ||
            normalize_key(el.key) != normalize_key(p.key))
            continue;
        Evaluation trial{ev.file, {}};
        if (element_text(el, trial)) return true;
    }
    return false;
}

std::optional<PolicyState> evaluate(const AdmxPolicy& p, Evaluation& ev) {
    std::optional<GpState> state;
    if (!p.value_name.empty()) {
        const auto l = ev.file.look(p.key, p.value_name);
        const OnOff v = on_off(p.enabled_value, p.disabled_value);
        if (matches(v.on, l))
            state = GpState::enabled;
        else if (matches(v.off, l))
            state = GpState::disabled;
        else if (shared_element_reads(p, ev))
            state = GpState::enabled;
        else if (v.legacy_off.present() && matches(v.legacy_off, l))
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
    } else if (p.enabled_list.present() && !p.disabled_list.present() && !p.elements.empty()) {
        // An enabledList that is not there and no disabledList: the elements can only say
        // Disabled (what the editor writes then: their values deleted).
        if (!elements_say_disabled(p, ev)) return std::nullopt;
        state = GpState::disabled;
    } else if (!p.enabled_list.present() && !p.elements.empty()) {
        // The elements decide (when no disabledList says otherwise): Disabled as
        // elements_say_disabled says, else Enabled when any element holds a value (below).
        if (!p.disabled_list.present() && elements_say_disabled(p, ev)) state = GpState::disabled;
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
        // The policy's element values are its own whatever they hold (GPMC lists none of
        // them as extra registry settings).
        for (const auto& el : p.elements) {
            if (!element_deleted(el, ev)) element_text(el, ev);
        }
        return out;
    }
    // Enabled (or, for an elements-only policy, maybe): read the element values. An element
    // without a value is left out (GPMC shows it "Not configured": a GPO written with an older
    // template that lacked it, e.g. Office's macro settings before their checkboxes).
    for (const auto& el : p.elements) {
        if (auto text = element_text(el, ev)) out.elements.emplace_back(el.id, std::move(*text));
    }
    // Elements only: Enabled when at least one element holds a value it reads; the best
    // fitting element gives the fit.
    if (!state) {
        if (out.elements.empty()) return std::nullopt;
        ev.fit = 0;
        for (const auto& el : p.elements) {
            const bool read = std::any_of(out.elements.begin(), out.elements.end(),
                                          [&](const auto& e) { return e.first == el.id; });
            if (read) ev.fit = std::max(ev.fit, element_fit(el.kind));
        }
    }
    out.state = GpState::enabled;
    return out;
}

bool writes_in_key(const AdmxValueList& list, const std::string& key) {
    return std::any_of(list.items.begin(), list.items.end(),
                       [&](const AdmxListItem& it) { return normalize_key(it.key) == key; });
}

/// Whether `p` writes any value of `key` (normalized).
bool writes_in_key(const AdmxPolicy& p, const std::string& key) {
    if (normalize_key(p.key) == key || writes_in_key(p.enabled_list, key) ||
        writes_in_key(p.disabled_list, key))
        return true;
    for (const auto& el : p.elements) {
        if (normalize_key(el.key) == key || writes_in_key(el.true_list, key) ||
            writes_in_key(el.false_list, key))
            return true;
        for (const auto& item : el.items)
            if (writes_in_key(item.value_list, key)) return true;
    }
    return false;
}

/// The policies (by index) that any entry of `pol` can concern: those writing a value it
/// sets or deletes (the set's index), and for a `**delvals.` every policy writing in that key.
std::vector<bool> candidates(const AdmxSet& admx, const PolFile& pol, std::string_view hive) {
    std::vector<bool> out(admx.policies.size(), false);
    std::set<std::string> delvals_keys;
    for (const PolEntry& e : pol.entries) {
        std::string_view name = e.value;
        if (name.empty()) continue;
        if (starts_with_ci(name, "**delvals")) {
            delvals_keys.insert(normalize_key(e.key));
            continue;
        }
        if (starts_with_ci(name, "**del."))
            name.remove_prefix(6);
        else if (starts_with_ci(name, "**soft."))
            name.remove_prefix(7);
        else if (name.starts_with("**"))
            continue;
        for (const auto& ref : admx.policies_for_value(hive, e.key, name))
            out[static_cast<std::size_t>(ref.policy - admx.policies.data())] = true;
    }
    if (!delvals_keys.empty()) {
        for (std::size_t i = 0; i < admx.policies.size(); ++i) {
            for (const auto& key : delvals_keys)
                if (!out[i] && writes_in_key(admx.policies[i], key)) out[i] = true;
        }
    }
    return out;
}

}  // namespace

PolicyStates policy_states(const AdmxSet& admx, const PolFile& pol, std::string_view hive) {
    const Applied file(pol);
    PolicyStates out;
    struct Found {
        PolicyState state;
        std::vector<std::size_t> used;
        int fit = 3;
    };
    std::vector<Found> found;
    const std::vector<bool> candidate = candidates(admx, pol, hive);
    const auto first_shown = [](const Found& a, const Found& b) {
        if (a.fit != b.fit) return a.fit > b.fit;
        const std::string fa = detail::ascii_lower(a.state.definition->source.file);
        const std::string fb = detail::ascii_lower(b.state.definition->source.file);
        return fa < fb;  // same file: the earlier one was found first and stays
    };
    for (std::size_t i = 0; i < admx.policies.size(); ++i) {
        const AdmxPolicy& p = admx.policies[i];
        if (!candidate[i] || !fits(p.cls, hive)) continue;
        Evaluation ev{file, {}};
        auto st = evaluate(p, ev);
        if (!st) continue;
        found.push_back(Found{std::move(*st), std::move(ev.used), ev.fit});
    }
    // Policies that explain exactly the same entries are one setting to GPMC, which reports
    // one of them: the best fit, then the first file in Windows' name order (letter case
    // ignored: msedge.admx's `Configure Microsoft Defender SmartScreen` over
    // SmartScreen.admx's), then the first in its file. GPMC shows `Select an active power plan`
    // (enum) over `Specify a custom active power plan` (text) for one ActivePowerScheme, `Configure
    // Default consent` (enum) over `Customize consent settings` (list), and the first of
    // WindowsStore.admx's two AutoDownload policies. A policy whose entries are only part of
    // another's is a setting of its own (ICM's `Turn off printing over HTTP` beside `Restrict
    // Internet communication`, whose enabledList writes the same value): both are reported. A
    // `**delvals.` is no value of its own: policies that only share one (every policy writing in
    // that key reads it as deleted) are not twins.
    const auto named = [&](const std::vector<std::size_t>& used) {
        std::vector<std::size_t> kept;
        for (const std::size_t e : used)
            if (!starts_with_ci(pol.entries[e].value, "**delvals")) kept.push_back(e);
        return kept;
    };
    std::map<std::vector<std::size_t>, std::size_t> winner;  // named entries -> found index
    for (std::size_t i = 0; i < found.size(); ++i) {
        auto& used = found[i].used;
        std::sort(used.begin(), used.end());
        used.erase(std::unique(used.begin(), used.end()), used.end());
        const auto key = named(used);
        if (key.empty()) continue;
        const auto [it, added] = winner.emplace(key, i);
        if (!added && first_shown(found[i], found[it->second])) it->second = i;
    }
    std::set<std::size_t> explained;
    for (std::size_t i = 0; i < found.size(); ++i) {
        const auto& used = found[i].used;
        const auto key = named(used);
        if (!key.empty() && winner.at(key) != i) continue;
        explained.insert(used.begin(), used.end());
        found[i].state.entries = used;
        out.policies.push_back(std::move(found[i].state));
    }
    for (std::size_t i = 0; i < pol.entries.size(); ++i) {
        const PolEntry& e = pol.entries[i];
        if (e.value.empty() || explained.count(i) != 0) continue;
        out.extra.push_back(ExtraSetting{e.key, e.value, e.type, pol_raw_text(e), e.offset});
    }
    return out;
}

OwnState policy_state(const AdmxSet& admx, const AdmxPolicy& policy, const PolFile& pol,
                      std::string_view hive) {
    OwnState out;
    const PolicyStates all = policy_states(admx, pol, hive);
    for (const auto& s : all.policies) {
        if (s.definition == &policy) {
            out.state = s;
            return out;
        }
    }
    if (!fits(policy.cls, hive)) return out;
    const Applied file(pol);
    Evaluation ev{file, {}};
    out.state = evaluate(policy, ev);
    if (!out.state) return out;
    std::sort(ev.used.begin(), ev.used.end());
    ev.used.erase(std::unique(ev.used.begin(), ev.used.end()), ev.used.end());
    out.state->entries = ev.used;
    for (const auto& s : all.policies) {
        if (s.entries == ev.used) out.shown_as = s.definition;
    }
    return out;
}

}  // namespace comredir::policy
