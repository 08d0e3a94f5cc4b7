// Computer or User Configuration for a --pol file: see pol_scope.hpp.
#include "pol_scope.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "options.hpp"

namespace comredir::cli {

namespace pol = comredir::policy;

namespace {

std::string configuration(bool user) {
    return user ? "User Configuration" : "Computer Configuration";
}

std::size_t explained(const pol::PolFile& file, const pol::PolicyStates& states) {
    std::size_t n = 0;
    for (const auto& e : file.entries) n += e.value.empty() ? 0 : 1;
    return n - std::min(n, states.extra.size());
}

}  // namespace

PolScope pol_scope(const std::string& path, bool user_option, bool machine_option) {
    PolScope s;
    // The parent folder's name, as written (`Registry.pol` alone: the current folder's).
    if (!path.empty()) {
        std::error_code ec;
        auto abs = std::filesystem::absolute(path, ec);
        s.folder = (ec ? std::filesystem::path(path) : abs.lexically_normal())
                       .parent_path()
                       .filename()
                       .string();
    }
    if (user_option || machine_option) {
        s.user = user_option;
        s.from = "option";
    } else if (iequals(s.folder, "User") || iequals(s.folder, "Machine")) {
        s.user = iequals(s.folder, "User");
        s.from = "path";
    }
    return s;
}

std::string scope_note(const std::string& path, const PolScope& scope) {
    std::string other = scope.user ? "--machine" : "--user";
    if (scope.from == "path") {
        return path + ": " + configuration(scope.user) + ", from its folder `" + scope.folder +
               "` (" + other + " reads it as " + configuration(!scope.user) + ")";
    }
    if (scope.from == "default") {
        return path + ": " + configuration(scope.user) +
               ", the default: its folder is not `Machine` or `User` (" + other + " reads it as " +
               configuration(!scope.user) + ")";
    }
    return "";
}

ScopeFit scope_fit(const pol::AdmxSet& set, const pol::PolFile& file, const PolScope& scope,
                   const pol::PolicyStates& chosen) {
    ScopeFit fit;
    for (const auto& e : file.entries) fit.entries += e.value.empty() ? 0 : 1;
    fit.chosen = explained(file, chosen);
    fit.other = explained(file, pol::policy_states(set, file, scope.user ? "HKLM" : "HKCU"));
    return fit;
}

std::string fit_warning(const std::string& path, const PolScope& scope, const ScopeFit& fit) {
    return path + ": its entries fit " + configuration(!scope.user) + " far better (" +
           std::to_string(fit.other) + " of " + std::to_string(fit.entries) +
           " match a policy there, " + std::to_string(fit.chosen) + " as " +
           configuration(scope.user) + "): " + (scope.user ? "--machine" : "--user") +
           " reads it so";
}

}  // namespace comredir::cli
