// One policy's state from the applied entries: its own value, its lists, then its elements.

#include <algorithm>
#include <optional>

#include "gp/gp_eval.hpp"

namespace comredir::policy::detail {

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

std::optional<PolicyState> evaluate(const AdmxPolicy& p, Evaluation& ev) {
    std::optional<GpState> state;
    if (!p.value_name.empty()) {
        const auto l = ev.file.look(p.key, p.value_name);
        const OnOff v = on_off(p.enabled_value, p.disabled_value);
        // The tests in this order: each state comes from two of them, not next to each other.
        // NOLINTBEGIN(bugprone-branch-clone)
        if (matches(v.on, l))
            state = GpState::enabled;
        else if (matches(v.off, l))
            state = GpState::disabled;
        else if (shared_element_reads(p, ev))
            state = GpState::enabled;
        else if (v.legacy_off.present() && matches(v.legacy_off, l))
            state = GpState::disabled;
        // NOLINTEND(bugprone-branch-clone)
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

}  // namespace comredir::policy::detail
