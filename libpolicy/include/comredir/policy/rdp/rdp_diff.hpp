#pragma once
// Two sets of RDP properties compared property by property (a host pool against the
// baseline pool): names case-insensitively, the first occurrence of each (as the resolver
// and FreeRDP 2.11 read them), values with their type.

#include <comredir/policy/rdp/rdp.hpp>
#include <optional>
#include <string>
#include <vector>

namespace comredir::policy {

struct PropertyDifference {
    std::string name;                     ///< lowercase
    std::optional<std::string> baseline;  ///< `i:0`, `s:*`; nullopt: not set there
    std::optional<std::string> value;     ///< the same for the compared set
};

/// Every property whose type or value differs, or that one side lacks, sorted by name.
/// Integers compare by value (`i:01` equals `i:1`); strings exactly. A null side has none.
std::vector<PropertyDifference> diff_properties(const RdpFile* baseline, const RdpFile* other);

}  // namespace comredir::policy
