// A policy's elements read from the applied entries: value text, deleted, fit, Disabled.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "gp/gp_eval.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += "; ";
        out += p;
    }
    return out;
}

}  // namespace

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

}  // namespace comredir::policy::detail
