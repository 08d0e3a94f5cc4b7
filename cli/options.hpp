#pragma once
// Small helpers shared by the commands.

#include <comredir/policy/catalog.hpp>
#include <optional>
#include <string>
#include <vector>

namespace comredir::cli {

std::string join(const std::vector<std::string>& items, const std::string& sep);
/// Accepted values of --product and --client-os, from the library's enums.
std::vector<std::string> product_names();
std::vector<std::string> client_os_names();
/// `all` or empty → every feature; unknown id → prints a usage error and returns nullopt.
std::optional<std::vector<const policy::Feature*>> resolve_features(
    const std::vector<std::string>& ids);

}  // namespace comredir::cli
