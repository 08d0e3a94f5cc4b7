#include <comredir/policy/rdp/rdp_diff.hpp>
#include <map>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

/// lowercase name -> `t:value`, first occurrence of each name.
std::map<std::string, std::string> first_values(const RdpFile* f) {
    std::map<std::string, std::string> out;
    if (f == nullptr) return out;
    for (const auto& p : f->properties) {
        std::string value = p.type == 'i' && p.integer ? std::to_string(*p.integer) : p.value;
        out.emplace(detail::ascii_lower(p.name), std::string(1, p.type) + ":" + value);
    }
    return out;
}

}  // namespace

std::vector<PropertyDifference> diff_properties(const RdpFile* baseline, const RdpFile* other) {
    const auto a = first_values(baseline);
    const auto b = first_values(other);
    std::vector<PropertyDifference> out;
    auto ia = a.begin();
    auto ib = b.begin();
    while (ia != a.end() || ib != b.end()) {
        if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
            out.push_back({ia->first, ia->second, std::nullopt});
            ++ia;
        } else if (ia == a.end() || ib->first < ia->first) {
            out.push_back({ib->first, std::nullopt, ib->second});
            ++ib;
        } else {
            if (ia->second != ib->second) out.push_back({ia->first, ia->second, ib->second});
            ++ia;
            ++ib;
        }
    }
    return out;
}

}  // namespace comredir::policy
