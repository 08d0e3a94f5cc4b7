// Registry.pol values -> administrative-template policy states (GPMC's view).

#include <algorithm>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gp/gp_eval.hpp"
#include "io/text.hpp"

namespace comredir::policy {

std::string_view to_string(GpState state) {
    return state == GpState::enabled ? "enabled" : "disabled";
}

namespace {

using detail::Applied;
using detail::evaluate;
using detail::Evaluation;
using detail::starts_with_ci;

bool fits(AdmxClass cls, std::string_view hive) {
    const bool machine =
        detail::iequals(hive, "HKLM") || detail::iequals(hive, "HKEY_LOCAL_MACHINE");
    const bool user = detail::iequals(hive, "HKCU") || detail::iequals(hive, "HKEY_CURRENT_USER");
    if (cls == AdmxClass::both) return machine || user;
    return cls == AdmxClass::machine ? machine : user;
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
