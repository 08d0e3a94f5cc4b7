// A Registry.pol's entries applied in order (one cell per value); ADMX values matched to them.

#include "gp/gp_eval.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && detail::iequals(s.substr(0, prefix.size()), prefix);
}

Applied::Applied(const PolFile& pol) : pol_(pol) {
    for (std::size_t i = 0; i < pol.entries.size(); ++i) apply(i);
}

Applied::Look Applied::look(std::string_view key, std::string_view value) const {
    Look l;
    l.pol = &pol_;
    const auto it = cells_.find(id(key, value));
    if (it != cells_.end()) l.cell = &it->second;
    const auto k = keys_.find(normalize_key(key));
    if (k != keys_.end()) l.key = &k->second;
    return l;
}

void Applied::key_values(std::string_view key, std::vector<const Cell*>& cells) const {
    const std::string prefix = normalize_key(key) + '\0';
    for (auto it = cells_.lower_bound(prefix);
         it != cells_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        cells.push_back(&it->second);
}

const KeyInfo* Applied::key_info(std::string_view key) const {
    const auto k = keys_.find(normalize_key(key));
    return k == keys_.end() ? nullptr : &k->second;
}

std::string Applied::id(std::string_view key, std::string_view value) {
    return normalize_key(key) + '\0' + detail::ascii_lower(value);
}

void Applied::apply(std::size_t i) {
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

}  // namespace comredir::policy::detail
