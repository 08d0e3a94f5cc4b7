#pragma once
// Unified diffs for --dry-run previews (libdtl).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace comredir::cli {

/// `--- from` / `+++ to` and the hunks (3 lines of context); empty when equal.
std::string unified_diff(const std::vector<std::string>& before,
                         const std::vector<std::string>& after, const std::string& from,
                         const std::string& to);

/// A --dry-run's output: `report` with the diff under `diff` (--json), else the diff (or
/// `no change to FILE`).
void print_preview(nlohmann::json report, const std::string& diff, const std::string& file,
                   bool json);

}  // namespace comredir::cli
