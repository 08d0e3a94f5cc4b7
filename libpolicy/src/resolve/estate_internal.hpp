#pragma once
// Internal: the per-layer steps of load_estate.

#include <comredir/policy/resolve/estate.hpp>

namespace comredir::policy::detail {

void load_os_sources(Estate& e, const std::vector<OsSourceSpec>& specs);

}  // namespace comredir::policy::detail
