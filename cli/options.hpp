#pragma once
// Small helpers shared by the commands.

#include <comredir/policy/catalog.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::cli {

/// ASCII case-insensitive equality (file names, registry keys, property names).
bool iequals(std::string_view a, std::string_view b);
/// The whole file, or nullopt when it cannot be opened.
std::optional<std::vector<std::uint8_t>> slurp(const std::string& path);

std::string join(const std::vector<std::string>& items, const std::string& sep);
/// Accepted values of --product and --client-os, from the library's enums.
std::vector<std::string> product_names();
std::vector<std::string> client_os_names();
/// `all` or empty → every feature; unknown id → prints a usage error and returns nullopt.
std::optional<std::vector<const policy::Feature*>> resolve_features(
    const std::vector<std::string>& ids);

}  // namespace comredir::cli
