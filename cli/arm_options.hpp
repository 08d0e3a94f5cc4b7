#pragma once
// How to reach Azure Resource Manager, shared by `hostpool --arm` and `report
// --resource-graph`: the endpoint, extra CAs, the timeout, --verbose, and the token.

#include <CLI/CLI.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace comredir::cli {

struct ArmConnection {
    std::string endpoint = "https://management.azure.com";  ///< --arm-endpoint URL
    std::string ca_file;                                    ///< --ca-file: extra trusted CA (PEM)
    double timeout = 30;                                    ///< --timeout SECONDS per request
    bool verbose = false;  ///< --verbose: requests and statuses on stderr (token redacted)
    std::chrono::milliseconds timeout_ms() const {
        return std::chrono::milliseconds(static_cast<long long>(timeout * 1000));
    }
};

/// --arm-endpoint, --ca-file, --timeout, --verbose; each help line starts with `needs`
/// (`--arm`), the option they belong to.
void add_arm_connection_options(CLI::App& app, ArmConnection& c, const std::string& needs);

/// The bearer token for `c.endpoint` (arm_token), after checking the endpoint is https.
/// nullopt after printing the error, `exit` set (usage, or input when there is no token).
std::optional<std::string> arm_connection_token(const ArmConnection& c, int& exit);

}  // namespace comredir::cli
