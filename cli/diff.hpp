#pragma once
// Unified diffs for --dry-run previews (libdtl).

#include <string>
#include <vector>

namespace comredir::cli {

/// `--- from` / `+++ to` and the hunks (3 lines of context); empty when equal.
std::string unified_diff(const std::vector<std::string>& before,
                         const std::vector<std::string>& after, const std::string& from,
                         const std::string& to);

}  // namespace comredir::cli
