// Options and token for reaching Azure Resource Manager (arm_options.hpp).
#include "arm_options.hpp"

#include <comredir/policy/hostpool/arm.hpp>

#include "command.hpp"

namespace comredir::cli {

void add_arm_connection_options(CLI::App& app, ArmConnection& c, const std::string& needs) {
    app.add_option("--arm-endpoint", c.endpoint,
                   needs +
                       ": Resource Manager URL (default https://management.azure.com; e.g. "
                       "https://management.usgovcloudapi.net, https://management.chinacloudapi.cn)")
        ->type_name("URL");
    app.add_option("--ca-file", c.ca_file,
                   needs + ": extra trusted CA certificates (PEM); verification stays on")
        ->type_name("FILE");
    app.add_option("--timeout", c.timeout, needs + ": seconds per request (default 30)")
        ->check(CLI::Range(0.1, 600.0));
    app.add_flag("--verbose", c.verbose,
                 needs + ": each request and status on stderr (the token is never shown)");
}

std::optional<std::string> arm_connection_token(const ArmConnection& c, int& exit) {
    if (!c.endpoint.starts_with("https://")) {
        print_error("--arm-endpoint `" + c.endpoint +
                    "` is not an https URL (TLS is always verified)");
        exit = exit_usage;
        return std::nullopt;
    }
    std::string error;
    auto token = policy::arm_token(c.endpoint, error);
    if (!token) {
        print_error(error);
        exit = exit_input;
    }
    return token;
}

}  // namespace comredir::cli
